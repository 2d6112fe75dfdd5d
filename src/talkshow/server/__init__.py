"""The studio web server (FastAPI): the page, the HLS stream, the API and the live timeline."""

from talkshow.server.app import create_app, find_hlsjs, run_server
from talkshow.server.security import RateLimiter, TokenGate, is_loopback, prepare_token
from talkshow.server.studio import Studio, default_db_path

__all__ = [
    "RateLimiter",
    "Studio",
    "TokenGate",
    "create_app",
    "default_db_path",
    "find_hlsjs",
    "is_loopback",
    "prepare_token",
    "run_server",
]
