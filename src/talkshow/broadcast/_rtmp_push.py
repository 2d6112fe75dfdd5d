"""The RTMP pusher process: FLV on stdin, RTMP out, reconnecting with backoff.

It runs in its own process because libavformat's RTMP connect and handshake hold
Python's GIL (measured: 240 ms with a slow server), which would stall the pacer.
While the server is away it keeps reading stdin and discards it, so the show's
process never blocks on it; on reconnect it resumes at a keyframe from t=0.
Events go to stdout as JSON lines for the parent's telemetry.

The URL comes in the environment (``TALKSHOW_RTMP_URL``), never on the command
line: ``ps`` shows every process's arguments to every local user, while a process's
environment is readable only by its owner. Nothing it reports carries the key.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import time
from typing import Any

import av

from talkshow.redact import MASK, redact_text, redact_url

URL_VARIABLE = "TALKSHOW_RTMP_URL"
_SECRETS: list[str] = []  # this process's stream key and credentials, cut from every report


def report(kind: str, **fields: Any) -> None:
    """One event for the parent, as a JSON line, with every secret cut out."""
    line = json.dumps({"kind": kind, **fields})
    for secret in _SECRETS:
        line = line.replace(secret, MASK)
    sys.stdout.write(redact_text(line) + "\n")
    sys.stdout.flush()


def redact(url: str) -> str:
    """The URL without its stream key or credentials (they are secrets)."""
    return redact_url(url)


def _secrets_of(url: str) -> list[str]:
    """The parts of ``url`` that must never be shown: key, user info, query (longest first)."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    found = [url, parts.query, parts.netloc.rpartition("@")[0] if "@" in parts.netloc else ""]
    key = [segment for segment in parts.path.split("/") if segment]
    if key:
        found.append(key[-1])
    return sorted({s for s in found if len(s) >= 4}, key=len, reverse=True)


class Pusher:
    """One RTMP destination fed from a demuxed FLV stream."""

    def __init__(self, url: str, backoff: tuple[float, float], timeout: float) -> None:
        self.url = url
        self.backoff = backoff
        self.timeout = timeout
        self.delay = backoff[0]
        self.retry_at = 0.0
        self.attempt = 0
        self.out: Any = None
        self.streams: dict[int, Any] = {}
        self.offsets: dict[int, int] = {}

    def connect(self, templates: list[Any]) -> None:
        self.attempt += 1
        report("rtmp_connecting", url=redact(self.url), attempt=self.attempt)
        out = av.open(self.url, "w", format="flv", timeout=(self.timeout, self.timeout))
        try:
            self.streams = {t.index: out.add_stream_from_template(t) for t in templates}
            out.start_encoding()  # the handshake happens here; a refusal raises now
        except BaseException:
            _close_quietly(out)
            raise
        self.out = out
        self.offsets = {}
        self.delay = self.backoff[0]
        report("rtmp_connected", url=redact(self.url))

    def fail(self, exc: BaseException) -> None:
        if self.out is not None:
            _close_quietly(self.out)
            self.out = None
            report("rtmp_disconnected", url=redact(self.url))
        report("rtmp_error", url=redact(self.url), error=str(exc), retry_in_s=self.delay)
        self.retry_at = time.monotonic() + self.delay
        self.delay = min(self.delay * 2, self.backoff[1])

    def push(self, packet: Any, templates: list[Any]) -> None:
        if self.out is None:
            is_key_video = packet.stream.type == "video" and packet.is_keyframe
            if not is_key_video or time.monotonic() < self.retry_at:
                return  # discard: a live push never sends stale or undecodable video
            try:
                self.connect(templates)
            except (av.error.FFmpegError, OSError) as exc:
                self.fail(exc)
                return
        index = packet.stream.index
        if index not in self.offsets:
            if packet.stream.type != "video" and not self.offsets:
                return  # audio waits for the first video keyframe
            self.offsets[index] = packet.pts
        offset = self.offsets[index]
        if packet.pts < offset:
            return
        packet.pts -= offset
        packet.dts = packet.dts - offset if packet.dts is not None else None
        packet.stream = self.streams[index]
        try:
            self.out.mux(packet)
        except (av.error.FFmpegError, OSError) as exc:
            self.fail(exc)

    def close(self) -> None:
        if self.out is not None:
            _close_quietly(self.out)
            self.out = None


def _close_quietly(container: Any) -> None:
    with contextlib.suppress(av.error.FFmpegError, OSError):  # the server is gone; nothing to flush
        container.close()


def main(argv: list[str] | None = None) -> int:
    """Push FLV from stdin to the URL until stdin ends."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--backoff", type=float, nargs=2, default=(1.0, 30.0))
    parser.add_argument("--timeout", type=float, default=5.0)
    args = parser.parse_args(argv)
    url = os.environ.pop(URL_VARIABLE, "")
    if not url:
        parser.error(f"set {URL_VARIABLE} to the RTMP URL (it is kept off the command line)")
    _SECRETS[:] = _secrets_of(url)
    pusher = Pusher(url, tuple(args.backoff), args.timeout)
    source = av.open(sys.stdin.buffer, "r", format="flv")
    templates = [s for s in source.streams if s.type in ("video", "audio")]
    try:
        for packet in source.demux(templates):
            if packet.dts is not None and packet.size:
                pusher.push(packet, templates)
    except (av.error.FFmpegError, OSError) as exc:
        report("rtmp_input_error", error=str(exc))
    finally:
        pusher.close()
        source.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
