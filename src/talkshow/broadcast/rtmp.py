"""RTMP push (Twitch, YouTube, any RTMP ingest) that survives the server going away.

The encoder thread only queues packets here. A feeder thread muxes them as FLV into
a pusher process (``_rtmp_push``), which owns the network: libavformat's RTMP
connect holds the GIL, so doing it in this process would stall the pacer. The
pusher reconnects with exponential backoff; if it dies it is restarted.
"""

from __future__ import annotations

import contextlib
import json
import logging
import queue
import subprocess
import sys
import threading
from typing import IO, Any, cast

import av

from talkshow.broadcast._rtmp_push import redact
from talkshow.broadcast.encoder import EncodedStreams, Packet
from talkshow.telemetry import Telemetry

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
        telemetry: Telemetry | None = None,
        backoff_s: tuple[float, float] = (1.0, 30.0),
        io_timeout_s: float = 5.0,
        queue_packets: int = 600,
    ) -> None:
        self.url = url
        self.name = f"rtmp:{redact(url)}"
        self.telemetry = telemetry or Telemetry()
        self.backoff_s = backoff_s
        self.io_timeout_s = io_timeout_s
        self.dropped_packets = 0
        self.restarts = 0
        self._queue: queue.Queue[object] = queue.Queue(maxsize=queue_packets)
        self._overflowed = False
        self._failing = False
        self._streams: EncodedStreams | None = None
        self._stop = threading.Event()
        self._process: subprocess.Popen[bytes] | None = None
        self._thread = threading.Thread(target=self._feed, name="rtmp-feeder", daemon=True)

    def open(self, streams: EncodedStreams) -> None:
        """Start the pusher process and the feeder thread."""
        self._streams = streams
        self._thread.start()

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
        with contextlib.suppress(queue.Full):
            self._queue.put(_STOP, timeout=1.0)
        self._thread.join(timeout=self.io_timeout_s + 5)

    def _feed(self) -> None:
        delay = self.backoff_s[0]
        while not self._stop.is_set():
            try:
                self._run_pusher()
                return
            except (OSError, av.error.FFmpegError) as exc:  # the pusher died: restart it
                self.restarts += 1
                logger.warning("RTMP pusher for %s stopped (%s); restarting in %.1f s", redact(self.url), exc, delay)
                self.telemetry.emit("rtmp_pusher_restart", url=redact(self.url), error=str(exc))
            if self._stop.wait(delay):
                return
            delay = min(delay * 2, self.backoff_s[1])

    def _run_pusher(self) -> None:
        assert self._streams is not None
        low, high = self.backoff_s
        command = [sys.executable, "-m", "talkshow.broadcast._rtmp_push", self.url]
        command += ["--backoff", str(low), str(high), "--timeout", str(self.io_timeout_s)]
        process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self._process = process
        assert process.stdin is not None and process.stdout is not None
        reader = threading.Thread(target=self._relay_events, args=(process.stdout,), name="rtmp-events", daemon=True)
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
            reader.join(timeout=1)

    def _relay_events(self, stream: IO[bytes]) -> None:
        for raw in stream:
            try:
                event: dict[str, Any] = json.loads(raw)
            except ValueError:
                continue
            kind = str(event.pop("kind", "rtmp_event"))
            # Say it once per outage; every attempt is still an event for the trace.
            if kind == "rtmp_error" and not self._failing:
                self._failing = True
                logger.warning("RTMP %s: %s; retrying with backoff", event.get("url"), event.get("error"))
            elif kind == "rtmp_connected" and self._failing:
                self._failing = False
                logger.warning("RTMP %s: connected again", event.get("url"))
            self.telemetry.emit(kind, **event)
