"""HLS output: 1 s MPEG-TS segments cut at keyframes, a rolling playlist with dates.

Segments are muxed in memory on the encoder thread and written by a publisher
thread, so a slow disk delays publishing, never encoding. Files appear atomically
(write, then rename), so a reader never sees half a segment or half a playlist.

A full disk is an outage, not an end: the publisher frees the space its own older
segments hold, drops segments (the playlist marks a discontinuity) and publishes
again as soon as a write succeeds. The directory is private: created 0700, refused
if another user owns it or it is a symlink, and only talkshow's own files in it are
ever deleted.
"""

from __future__ import annotations

import io
import logging
import os
import queue
import re
import stat
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import av

from talkshow.core.errors import TalkshowError
from talkshow.core.kinds.output import EncodedStreams, Packet
from talkshow.supervisor import Backoff, Supervisor, Worker
from talkshow.telemetry.events import Telemetry

logger = logging.getLogger(__name__)

__all__ = [
    "HLS_FILE_NAME",
    "PLAYLIST_NAME",
    "HlsDirectoryError",
    "HlsOutput",
    "clear_own_files",
    "iso_time",
    "prepare_private_dir",
    "write_atomic",
]

PLAYLIST_NAME = "live.m3u8"
HLS_FILE_NAME = re.compile(r"^(?:live\.m3u8|seg\d{6,}\.ts)$")  # every file this output writes


class HlsDirectoryError(TalkshowError):
    """The HLS directory is not safe to publish from."""


def prepare_private_dir(directory: Path) -> None:
    """Create ``directory`` (mode 0700) or check that it is a real directory this user owns.

    Another local user must not be able to plant files or symlinks where the server
    serves from, so a directory owned by someone else, or a symlink, is refused.
    """
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=False)
        return
    except FileExistsError:
        pass
    info = os.lstat(directory)
    if stat.S_ISLNK(info.st_mode):
        raise HlsDirectoryError(f"HLS directory {directory} is a symlink; give a real directory")
    if not stat.S_ISDIR(info.st_mode):
        raise HlsDirectoryError(f"HLS directory {directory} is not a directory")
    if hasattr(os, "geteuid") and info.st_uid != os.geteuid():
        raise HlsDirectoryError(f"HLS directory {directory} belongs to another user (uid {info.st_uid}); use your own")
    if info.st_mode & 0o022:
        raise HlsDirectoryError(
            f"HLS directory {directory} is writable by others (mode {stat.S_IMODE(info.st_mode):o}); chmod go-w it"
        )


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
        telemetry: Telemetry,
        window: int = 6,
        backlog: int = 8,
        supervisor: Supervisor | None = None,
    ) -> None:
        self.directory = directory
        self.fps = fps
        self.epoch_wall = epoch_wall
        self.telemetry = telemetry
        self.window = window
        self.name = f"hls:{directory}"
        self.published = 0
        self.dropped = 0
        self._streams: EncodedStreams | None = None
        self._muxer: _SegmentMuxer | None = None
        self._frames_in_segment = 0
        # The segment just cut, kept open for its last audio: AAC packets come out of the encoder
        # a little after the video of the same moment, and belong with it.
        self._closing: tuple[_SegmentMuxer, int, float] | None = None  # (muxer, frames, cut time in s)
        self._pending: queue.Queue[Segment | None] = queue.Queue(maxsize=backlog)
        self._listed: deque[tuple[int, Segment, bool]] = deque()  # (sequence, segment, discontinuity)
        self._discontinuity = False
        self._sequence = 0
        self._failing = False
        self._lock = threading.Lock()  # the playlist state, shared by the publisher and close()
        self.supervisor = supervisor or Supervisor(self.telemetry)
        self._worker = Worker("hls-publisher", self._publish_loop, self.supervisor, backoff=Backoff(0.1, 2.0))

    @property
    def playlist_path(self) -> Path:
        """Where the playlist is written."""
        return self.directory / PLAYLIST_NAME

    def open(self, streams: EncodedStreams) -> None:
        """Check the directory, clear this output's old files (nothing else) and start publishing."""
        prepare_private_dir(self.directory)
        clear_own_files(self.directory, HLS_FILE_NAME)
        self._streams = streams
        self._worker.start()

    def send(self, packet: Packet, is_video: bool) -> None:
        """Cut a new segment at each keyframe (one per second), then mux the packet."""
        assert self._streams is not None, "open() first"
        if packet.pts is None:
            return
        if packet.pts < 0:
            # The AAC encoder's priming packet (before time 0). A TS muxer that got it would shift
            # the first segment's timestamps by its 1024 samples against every later segment's.
            return
        if is_video:
            frame = int(packet.pts * packet.time_base * self.fps + 0.5)
            if packet.is_keyframe or self._muxer is None:
                self._cut(frame)
            # A packet may stand for several frames (the broadcast delay's still after a dump).
            covers = round(float(packet.duration * packet.time_base) * self.fps) if packet.duration else 1
            self._frames_in_segment += max(1, covers)
        elif self._closing is not None:
            if float(packet.pts * packet.time_base) < self._closing[2]:
                self._closing[0].mux(packet, False)  # audio from before the cut: the segment it belongs to
                return
            self._finish_closing()
        if self._muxer is not None:  # audio before the first keyframe has no segment yet
            self._muxer.mux(packet, is_video)

    def _cut(self, next_first_frame: int) -> None:
        self._finish_closing()  # a second cut before its audio came (no audio at all): publish it now
        if self._muxer is not None and self._frames_in_segment:
            self._closing = (self._muxer, self._frames_in_segment, next_first_frame / self.fps)
        assert self._streams is not None
        self._muxer = _SegmentMuxer(self._streams, next_first_frame)
        self._frames_in_segment = 0

    def _finish_closing(self) -> None:
        if self._closing is not None:
            muxer, frames, _ = self._closing
            self._closing = None
            self._enqueue(self._finish_segment(muxer, frames))

    def _finish_segment(self, muxer: _SegmentMuxer, frames: int) -> Segment:
        first = muxer.first_frame
        data = muxer.finish()
        return Segment(data, first, frames, self.fps, self.epoch_wall() + first / self.fps)

    def _enqueue(self, segment: Segment) -> None:
        try:
            self._pending.put_nowait(segment)
        except queue.Full:
            # The disk is stalled: dropping keeps encoding on time; players see a discontinuity.
            self.dropped += 1
            self._discontinuity = True
            logger.warning("HLS disk writes are behind; dropped the segment at frame %d", segment.first_frame)
            self.telemetry.emit("segment_dropped", first_frame=segment.first_frame, frames=segment.frames)

    def _publish_loop(self, stop: threading.Event) -> None:
        while (segment := self._pending.get()) is not None:
            try:
                self._publish(segment)
            except OSError as exc:  # a full or failing disk: an outage to ride out, not an end
                self._write_failed(segment, exc)

    def _write_failed(self, segment: Segment, exc: OSError) -> None:
        self.dropped += 1
        self._discontinuity = True
        freed = self._free_space()
        self.telemetry.emit("segment_dropped", first_frame=segment.first_frame, error=str(exc), freed=freed)
        if not self._failing:
            self._failing = True
            self.supervisor.failed(
                self.name, exc, restarting=True, lost=f"segments are dropped until a write succeeds; freed {freed}"
            )

    def _free_space(self) -> int:
        """Delete this output's segments that no playlist lists any more; how many went."""
        with self._lock:
            listed = {_segment_name(sequence) for sequence, _, _ in self._listed}
        freed = 0
        for path in self.directory.iterdir():
            name = path.name.removesuffix(".tmp")
            if HLS_FILE_NAME.match(name) and name != PLAYLIST_NAME and (name not in listed or path.name != name):
                try:
                    path.unlink()
                    freed += 1
                except OSError:
                    pass
        return freed

    def _publish(self, segment: Segment) -> None:
        sequence = self._sequence
        write_atomic(self.directory / _segment_name(sequence), segment.data)
        with self._lock:
            self._listed.append((sequence, segment, self._discontinuity))
            while len(self._listed) > self.window:
                self._listed.popleft()
            playlist = self._playlist(ended=False)
        self._sequence += 1
        self._discontinuity = False
        write_atomic(self.playlist_path, playlist.encode())
        self.published += 1
        if self._failing:
            self._failing = False
            self.supervisor.running(self.name)
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
            lines.append(f"#EXT-X-PROGRAM-DATE-TIME:{iso_time(segment.start_wall)}")
            lines.append(f"#EXTINF:{segment.duration:.6f},")
            lines.append(_segment_name(sequence))
        if ended:
            lines.append("#EXT-X-ENDLIST")
        return "\n".join(lines) + "\n"

    def close(self) -> None:
        """Publish the last (possibly short) segment and end the playlist (ENDLIST)."""
        if self._closing is not None:
            muxer, frames, _ = self._closing
            self._closing = None
            self._pending.put(self._finish_segment(muxer, frames))
        if self._muxer is not None and self._frames_in_segment:
            self._pending.put(self._finish_segment(self._muxer, self._frames_in_segment))
        self._muxer = None
        if self._worker.alive:
            self._pending.put(None)
            self._worker.done.wait(10)
        self._worker.stop(timeout=None)
        with self._lock:
            playlist = self._playlist(ended=True)
        try:
            write_atomic(self.playlist_path, playlist.encode())
        except OSError as exc:  # the disk is still full: say so plainly, no traceback at shutdown
            logger.warning("could not end the HLS playlist in %s: %s", self.directory, exc)


def _segment_name(sequence: int) -> str:
    return f"seg{sequence:06d}.ts"


def iso_time(wall: float) -> str:
    """``wall`` as EXT-X-PROGRAM-DATE-TIME wants it: UTC, milliseconds, Z."""
    return datetime.fromtimestamp(wall, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def clear_own_files(directory: Path, names: re.Pattern[str]) -> None:
    """Delete an earlier run's files that ``names`` matches (and their ``.tmp``), never a link or anything else."""
    for stale in directory.iterdir():
        if names.match(stale.name.removesuffix(".tmp")) and stale.is_file() and not stale.is_symlink():
            stale.unlink()


def write_atomic(path: Path, data: bytes) -> None:
    """Write beside ``path`` and rename over it: a reader sees the old file or the new, never half."""
    temporary = path.with_name(path.name + ".tmp")
    try:
        with temporary.open("wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except OSError:
        temporary.unlink(missing_ok=True)  # a half-written file only takes space a full disk needs
        raise
