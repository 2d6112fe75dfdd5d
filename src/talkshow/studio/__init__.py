"""The studio: shows queued and remembered (SQLite), transcripts, and the live timeline for clients.

This package file loads nothing: import what you need from its modules.
"""
