"""The studio web server (FastAPI): player page, HLS files and status."""

from talkshow.server.app import create_app, find_hlsjs, run_server

__all__ = ["create_app", "find_hlsjs", "run_server"]
