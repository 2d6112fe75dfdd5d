"""RTMP push (Twitch, YouTube, any RTMP ingest) that survives the server going away.

The encoder thread only queues packets here. A feeder thread muxes them as FLV into
a pusher process (``_rtmp_push``), which owns the network: libavformat's RTMP
connect holds the GIL, so doing it in this process would stall the pacer. The
pusher reconnects with exponential backoff; if it dies, or the feeder fails in any
way, the supervisor restarts the feeder and a new pusher. The URL reaches the pusher
through its environment, never its command line, and no text from it carries the key.
"""

from __future__ import annotations

import json
import logging
import os
import queue
import subprocess
import sys
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any, cast

import av

from talkshow.broadcast._rtmp_push import URL_VARIABLE, redact
from talkshow.broadcast.types import OutputContext
from talkshow.core.errors import InputError
from talkshow.core.kinds.output import EncodedStreams, Packet
from talkshow.redact import redact_text
from talkshow.supervisor import Backoff, Policy, Supervisor, Worker
from talkshow.telemetry.events import Telemetry

logger = logging.getLogger(__name__)

__all__ = ["RtmpOutput", "redact"]

_STOP = object()


class _PipeWriter:
    """A write-only file object over the pusher's stdin, for PyAV's FLV muxer."""

    def __init__(self, pipe: IO[bytes]) -> None:
        self.pipe = pipe

    def write(self, data: bytes) -> int:
        self.pipe.write(data)
        return len(data)

    def flush(self) -> None:
        self.pipe.flush()


class RtmpOutput:
    """Pushes the stream to ``url``; never blocks the encoder, whatever the server does."""

    def __init__(
        self,
        url: str,
        telemetry: Telemetry,
        backoff_s: tuple[float, float] = (1.0, 30.0),
        io_timeout_s: float = 5.0,
        queue_packets: int = 600,
        supervisor: Supervisor | None = None,
    ) -> None:
        self.url = url
        self.name = f"rtmp:{redact(url)}"
        self.telemetry = telemetry
        self.backoff_s = backoff_s
        self.io_timeout_s = io_timeout_s
        self.dropped_packets = 0
        self.restarts = 0
        self._queue: queue.Queue[object] = queue.Queue(maxsize=queue_packets)
        self._overflowed = False
        self._failing = False
        self._streams: EncodedStreams | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._worker = Worker(
            f"rtmp-feeder:{redact(url)}", self._feed, supervisor, backoff=Backoff(backoff_s[0], backoff_s[1])
        )
        self._stop = self._worker.stop_event

    def open(self, streams: EncodedStreams) -> None:
        """Start the pusher process and the feeder thread."""
        self._streams = streams
        self._worker.start()

    def send(self, packet: Packet, is_video: bool) -> None:
        """Queue a packet; if the queue is full, drop until the next keyframe."""
        if self._overflowed and not (is_video and packet.is_keyframe):
            self.dropped_packets += 1
            return
        try:
            self._queue.put_nowait((packet, is_video))
            self._overflowed = False
        except queue.Full:
            self._overflowed = True
            self.dropped_packets += 1

    def close(self) -> None:
        """Stop feeding and let the pusher disconnect cleanly."""
        self._stop.set()
        try:
            self._queue.put(_STOP, timeout=1.0)  # what is queued is pushed first
        except queue.Full:  # the server stopped reading: what is queued cannot go out, the stop must
            while True:
                try:
                    self._queue.get_nowait()
                    self.dropped_packets += 1
                except queue.Empty:
                    break
            self._queue.put_nowait(_STOP)
        self._worker.stop(timeout=self.io_timeout_s + 2)
        process = self._process
        if self._worker.alive and process is not None:  # blocked writing to a pusher that no longer reads
            process.kill()  # the write fails, and the feeder ends
            self._worker.stop(timeout=5)

    def _feed(self, stop: threading.Event) -> None:
        """Run a pusher until stopped; any failure is raised to the worker, which restarts this after a backoff."""
        try:
            self._run_pusher()
        except Exception as exc:  # the pusher died or the feeder failed: say so (redacted), then restart
            if stop.is_set():
                return
            self.restarts += 1
            error = redact_text(str(exc)).replace(self.url, redact(self.url))
            self.telemetry.emit("rtmp_pusher_restart", url=redact(self.url), error=error)
            raise RuntimeError(f"RTMP pusher for {redact(self.url)} stopped: {error}") from None

    def _run_pusher(self) -> None:
        assert self._streams is not None
        low, high = self.backoff_s
        command = [sys.executable, "-m", "talkshow.broadcast._rtmp_push"]
        command += ["--backoff", str(low), str(high), "--timeout", str(self.io_timeout_s)]
        environment = {**os.environ, URL_VARIABLE: self.url}
        process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=environment)
        self._process = process
        assert process.stdin is not None and process.stdout is not None
        events = process.stdout
        reader = Worker("rtmp-events", lambda stop: self._relay_events(events), policy=Policy.FALLBACK)
        reader.start()
        flv = av.open(_PipeWriter(process.stdin), "w", format="flv")
        try:
            video = flv.add_stream_from_template(self._streams.video)
            audio = flv.add_stream_from_template(self._streams.audio)
            waiting_for_keyframe = True
            while (item := self._queue.get()) is not _STOP:
                packet, is_video = cast(tuple[Packet, bool], item)
                if waiting_for_keyframe:
                    if not (is_video and packet.is_keyframe):
                        continue
                    waiting_for_keyframe = False
                packet.stream = video if is_video else audio
                flv.mux(packet)
        finally:
            try:
                flv.close()
                process.stdin.close()
            except (OSError, av.error.FFmpegError):
                pass  # the pusher is gone already
            try:
                process.wait(timeout=self.io_timeout_s + 2)
            except subprocess.TimeoutExpired:
                process.kill()
            reader.stop(timeout=1)

    def _relay_events(self, stream: IO[bytes]) -> None:
        for raw in stream:
            try:
                event: dict[str, Any] = json.loads(raw)
            except ValueError:
                continue
            kind = str(event.pop("kind", "rtmp_event"))
            event = {k: self._scrub(v) if isinstance(v, str) else v for k, v in event.items()}
            supervisor = self._worker.supervisor
            # Say it once per outage (the supervisor logs it); every attempt is still an event for the trace.
            if kind == "rtmp_error" and not self._failing:
                self._failing = True
                supervisor.failed(self.name, str(event.get("error")), restarting=True, lost="retrying with backoff")
            elif kind == "rtmp_connected":
                self._failing = False
                supervisor.running(self.name)
            self.telemetry.emit(kind, **event)

    def _scrub(self, text: str) -> str:
        """``text`` with this output's URL, key and any other URL redacted (defence in depth)."""
        return redact_text(text.replace(self.url, redact(self.url)))


def create(target: str, options: Mapping[str, Any], context: OutputContext) -> RtmpOutput:
    """The ``output`` provider ``rtmp``: push to ``target`` (``rtmp://`` or ``rtmps://``), reconnecting with backoff.

    ``options``: ``backoff_s`` = [first, most] seconds between reconnects (default [1, 30]).
    """
    first, most = options.get("backoff_s", (1.0, 30.0))
    return RtmpOutput(read_url(target), context.telemetry, (float(first), float(most)), supervisor=context.supervisor)


def read_url(target: str, what: str = "RTMP URL") -> str:
    """The URL ``target`` names: itself, or (to keep a stream key off the command line) ``env:VAR``'s value
    or the first line of ``file:PATH``. InputError naming the variable or file if there is none."""
    kind, _, where = target.partition(":")
    if kind == "env":
        url = os.environ.get(where, "").strip()
        if not url:
            raise InputError(f"the {what}'s variable ${where} is not set")
        return url
    if kind == "file":
        try:
            url = Path(where).read_text(encoding="utf-8").strip().splitlines()[0]
        except (OSError, IndexError, UnicodeDecodeError) as exc:
            raise InputError(f"the {what} file {where} could not be read: {exc or 'it is empty'}") from exc
        return url
    return target
