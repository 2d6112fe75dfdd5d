"""Reports from traces: terminal tables and a self-contained HTML page with plots.

This package file loads nothing: import what you need from its modules.
"""
