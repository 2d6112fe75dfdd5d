"""Secrets out of sight: stream keys and credentials are cut from URLs and from any text.

A stream URL's (RTMP, SRT, RTSP) last path segment is its key, and in any URL
``user:pass@`` or a query string may carry credentials: all are replaced with ``***``. Error texts
(FFmpeg's included) quote the URL they failed on, so every text that leaves a part
(log lines, events, status, errors) goes through ``redact_text``.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import urlsplit, urlunsplit

__all__ = ["MASK", "RedactingFilter", "redact_text", "redact_url"]

MASK = "***"
STREAM_SCHEMES = frozenset({"rtmp", "rtmps", "rtmpt", "rtmpe", "rtmpte", "rtmpts", "srt", "rtsp", "rtsps"})
_URL = re.compile(r"\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s'\"<>()\[\]{},]+")


def redact_url(url: str) -> str:
    """``url`` without credentials, query or stream key: ``rtmp://host/app/***``."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:  # not a URL we can take apart: hide all of it but the scheme
        scheme, _, _ = url.partition("://")
        return f"{scheme}://{MASK}"
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{MASK}@" if ("@" in parts.netloc) else ""
    netloc += host + (f":{port}" if port is not None else "")
    path = _mask_key(parts.path) if parts.scheme.lower() in STREAM_SCHEMES else parts.path
    query = MASK if parts.query else ""
    return urlunsplit((parts.scheme, netloc, path, query, ""))


def _mask_key(path: str) -> str:
    """The path with its last non-empty segment masked (a trailing slash must not expose the key)."""
    segments = path.split("/")
    for position in range(len(segments) - 1, -1, -1):
        if segments[position]:
            segments[position] = MASK
            break
    return "/".join(segments)


def redact_text(text: str) -> str:
    """``text`` with every URL in it redacted."""
    return _URL.sub(_redact_match, text)


def _redact_match(match: re.Match[str]) -> str:
    # Punctuation that ends a sentence ("... /app/KEY/: refused") is not part of the URL.
    url = match.group(0)
    core = url.rstrip(".,:;!?")
    return redact_url(core) + url[len(core) :]


class RedactingFilter(logging.Filter):
    """A logging filter that redacts URLs in every record (installed by the CLI on its handler)."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record's message with its URLs redacted; never drops a record."""
        message = record.getMessage()
        cleaned = redact_text(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True
