"""HLS output: 1 s MPEG-TS segments cut at keyframes, a rolling playlist with dates.

Segments are muxed in memory on the encoder thread and written by a publisher
thread, so a slow disk delays publishing, never encoding. Files appear atomically
(write, then rename), so a reader never sees half a segment or half a playlist.
"""

from __future__ import annotations

import io
import logging
import os
import queue
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import av

from talkshow.broadcast.encoder import EncodedStreams, Packet
from talkshow.telemetry import Telemetry

logger = logging.getLogger(__name__)

__all__ = ["PLAYLIST_NAME", "HlsOutput"]

PLAYLIST_NAME = "live.m3u8"


@dataclass(frozen=True)
class Segment:
    """A finished segment waiting to be published."""

    data: bytes
    first_frame: int
    frames: int
    fps: int
    start_wall: float  # wall time of its first frame's show time

    @property
    def duration(self) -> float:
        """Seconds of video in the segment."""
        return self.frames / self.fps


class _SegmentMuxer:
    """One in-memory MPEG-TS file."""

    def __init__(self, streams: EncodedStreams, first_frame: int) -> None:
        self.buffer = io.BytesIO()
        self.container = av.open(self.buffer, "w", format="mpegts")
        self.video = self.container.add_stream_from_template(streams.video)
        self.audio = self.container.add_stream_from_template(streams.audio)
        self.first_frame = first_frame

    def mux(self, packet: Packet, is_video: bool) -> None:
        packet.stream = self.video if is_video else self.audio
        self.container.mux(packet)

    def finish(self) -> bytes:
        self.container.close()
        return self.buffer.getvalue()


class HlsOutput:
    """Writes ``live.m3u8`` and its segments into ``directory``.

    ``epoch_wall`` gives the wall time of stream frame 0, so each segment's
    EXT-X-PROGRAM-DATE-TIME is the show time of its first frame.
    """

    def __init__(
        self,
        directory: Path,
        fps: int,
        epoch_wall: Callable[[], float],
        telemetry: Telemetry | None = None,
        window: int = 6,
        backlog: int = 8,
    ) -> None:
        self.directory = directory
        self.fps = fps
        self.epoch_wall = epoch_wall
        self.telemetry = telemetry or Telemetry()
        self.window = window
        self.name = f"hls:{directory}"
        self.published = 0
        self.dropped = 0
        self._streams: EncodedStreams | None = None
        self._muxer: _SegmentMuxer | None = None
        self._frames_in_segment = 0
        self._pending: queue.Queue[Segment | None] = queue.Queue(maxsize=backlog)
        self._listed: deque[tuple[int, Segment, bool]] = deque()  # (sequence, segment, discontinuity)
        self._discontinuity = False
        self._thread = threading.Thread(target=self._publish_loop, name="hls-publisher", daemon=True)

    @property
    def playlist_path(self) -> Path:
        """Where the playlist is written."""
        return self.directory / PLAYLIST_NAME

    def open(self, streams: EncodedStreams) -> None:
        """Clear old files and start the publisher thread."""
        self.directory.mkdir(parents=True, exist_ok=True)
        for stale in [*self.directory.glob("seg*.ts"), *self.directory.glob("*.m3u8")]:
            stale.unlink()
        self._streams = streams
        self._thread.start()

    def send(self, packet: Packet, is_video: bool) -> None:
        """Cut a new segment at each keyframe (one per second), then mux the packet."""
        assert self._streams is not None, "open() first"
        if packet.pts is None:
            return
        if is_video:
            frame = int(packet.pts * packet.time_base * self.fps + 0.5)
            if packet.is_keyframe or self._muxer is None:
                self._cut(frame)
            self._frames_in_segment += 1
        if self._muxer is not None:  # audio before the first keyframe has no segment yet
            self._muxer.mux(packet, is_video)

    def _cut(self, next_first_frame: int) -> None:
        if self._muxer is not None and self._frames_in_segment:
            self._enqueue(self._finish_segment())
        assert self._streams is not None
        self._muxer = _SegmentMuxer(self._streams, next_first_frame)
        self._frames_in_segment = 0

    def _finish_segment(self) -> Segment:
        assert self._muxer is not None
        first = self._muxer.first_frame
        data = self._muxer.finish()
        return Segment(data, first, self._frames_in_segment, self.fps, self.epoch_wall() + first / self.fps)

    def _enqueue(self, segment: Segment) -> None:
        try:
            self._pending.put_nowait(segment)
        except queue.Full:
            # The disk is stalled: dropping keeps encoding on time; players see a discontinuity.
            self.dropped += 1
            self._discontinuity = True
            logger.warning("HLS disk writes are behind; dropped the segment at frame %d", segment.first_frame)
            self.telemetry.emit("segment_dropped", first_frame=segment.first_frame, frames=segment.frames)

    def _publish_loop(self) -> None:
        sequence = 0
        while (segment := self._pending.get()) is not None:
            try:
                self._publish(sequence, segment)
                sequence += 1
            except OSError as exc:
                self.dropped += 1
                self._discontinuity = True
                logger.warning("could not write HLS segment %d: %s", sequence, exc)
                self.telemetry.emit("segment_dropped", first_frame=segment.first_frame, error=str(exc))

    def _publish(self, sequence: int, segment: Segment) -> None:
        _write_atomic(self.directory / _segment_name(sequence), segment.data)
        self._listed.append((sequence, segment, self._discontinuity))
        self._discontinuity = False
        while len(self._listed) > self.window:
            self._listed.popleft()
        _write_atomic(self.playlist_path, self._playlist(ended=False).encode())
        self.published += 1
        # Keep a window's worth of unlisted segments for players that read the older playlist.
        stale = self.directory / _segment_name(sequence - 2 * self.window)
        stale.unlink(missing_ok=True)
        now = time.time()
        last_frame_wall = segment.start_wall + (segment.frames - 1) / self.fps
        self.telemetry.emit(
            "segment_published",
            sequence=sequence,
            first_frame=segment.first_frame,
            frames=segment.frames,
            duration=round(segment.duration, 6),
            bytes=len(segment.data),
            latency_first_ms=round((now - segment.start_wall) * 1000, 1),
            latency_last_ms=round((now - last_frame_wall) * 1000, 1),
        )

    def _playlist(self, ended: bool) -> str:
        first_sequence = self._listed[0][0] if self._listed else 0
        lines = [
            "#EXTM3U",
            "#EXT-X-VERSION:3",
            "#EXT-X-TARGETDURATION:1",
            f"#EXT-X-MEDIA-SEQUENCE:{first_sequence}",
        ]
        for sequence, segment, discontinuity in self._listed:
            if discontinuity:
                lines.append("#EXT-X-DISCONTINUITY")
            lines.append(f"#EXT-X-PROGRAM-DATE-TIME:{_iso(segment.start_wall)}")
            lines.append(f"#EXTINF:{segment.duration:.6f},")
            lines.append(_segment_name(sequence))
        if ended:
            lines.append("#EXT-X-ENDLIST")
        return "\n".join(lines) + "\n"

    def close(self) -> None:
        """Publish the last (possibly short) segment and end the playlist."""
        if self._muxer is not None and self._frames_in_segment:
            self._pending.put(self._finish_segment())
        self._muxer = None
        if self._thread.is_alive():
            self._pending.put(None)
            self._thread.join()
        _write_atomic(self.playlist_path, self._playlist(ended=True).encode())


def _segment_name(sequence: int) -> str:
    return f"seg{sequence:06d}.ts"


def _iso(wall: float) -> str:
    return datetime.fromtimestamp(wall, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _write_atomic(path: Path, data: bytes) -> None:
    temporary = path.with_name(path.name + ".tmp")
    with temporary.open("wb") as handle:
        handle.write(data)
    os.replace(temporary, path)
