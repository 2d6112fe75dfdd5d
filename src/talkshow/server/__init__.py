"""The studio web server (FastAPI): the page, the HLS stream, the API and the live timeline.

This package file loads nothing: import what you need from its modules.
"""
