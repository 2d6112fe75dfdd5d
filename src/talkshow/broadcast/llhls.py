"""Low-Latency HLS: 200 ms fMP4 parts, a preload hint, and a playlist a player can block on.

The same packets as every output, muxed a second time (no encode) as fragmented MP4:
``init.mp4``, then parts ``llNNNNNN.P.m4s`` of six frames (200 ms), each one CMAF fragment
of both tracks. A segment (``llNNNNNN.m4s``, one second, from keyframe to keyframe) is its
parts joined, so players that do not know parts play the same stream from ``ll.m3u8``.

Muxing runs on the encoder thread (talkshow.broadcast.fmp4 says when a fragment comes
out); files are written by a publisher thread, which then updates the playlist
in memory and tells ``LlHlsPlaylist``'s listeners, so the server can answer blocking
playlist requests (``_HLS_msn``/``_HLS_part``) and preload-hinted part requests the
moment the part exists, with no thread per waiting client.
"""

from __future__ import annotations

import logging
import queue
import re
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from talkshow.broadcast.fmp4 import Fragment, FragmentedMp4
from talkshow.broadcast.hls import clear_own_files, iso_time, prepare_private_dir, write_atomic
from talkshow.core.kinds.output import EncodedStreams, Packet
from talkshow.supervisor import Backoff, Supervisor, Worker
from talkshow.telemetry.events import Telemetry

logger = logging.getLogger(__name__)

__all__ = ["LL_FILE_NAME", "LL_PLAYLIST_NAME", "PART_FRAMES", "LlHlsOutput", "LlHlsPlaylist"]

LL_PLAYLIST_NAME = "ll.m3u8"
LL_FILE_NAME = re.compile(r"^(?:ll\.m3u8|init\.mp4|ll\d{6,}(?:\.\d{1,2})?\.m4s)$")
PART_FRAMES = 6  # 200 ms at 30 fps: within the 200-333 ms the spec's examples use
PART_HOLD_BACK_PARTS = 3  # the spec's minimum: three part target durations behind the live edge


@dataclass(frozen=True)
class _Part:
    msn: int
    index: int
    data: bytes
    duration_s: float
    independent: bool
    start_s: float

    @property
    def name(self) -> str:
        return f"ll{self.msn:06d}.{self.index}.m4s"


@dataclass
class _Segment:
    msn: int
    start_wall: float
    parts: list[tuple[str, float, bool]] = field(default_factory=list)  # published: name, seconds, independent
    seconds: float = 0.0
    complete: bool = False
    missing: bool = False  # lost parts to a failing disk: not listed whole
    expected: int = 0  # parts handed to the publisher for it, written or not
    data: list[bytes] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"ll{self.msn:06d}.m4s"


class LlHlsPlaylist:
    """What is published, for the server: the playlist text, the newest (segment, part), and listeners."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.text = ""
        self.last_msn = -1  # the segment whose parts are newest
        self.last_part = -1  # its newest part (-1: none yet)
        self.complete_msn = -1  # the newest complete segment
        self.hint = ""  # the part the preload hint names
        self._listeners: list[Callable[[], None]] = []

    def listen(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` (from the publisher thread; it must not block) after every publish."""
        with self._lock:
            self._listeners.append(callback)

    def has(self, msn: int, part: int | None) -> bool:
        """Whether segment ``msn`` (complete), or its part ``part``, is in the playlist."""
        with self._lock:
            if part is None:
                return msn <= self.complete_msn
            return msn < self.last_msn or (msn == self.last_msn and part <= self.last_part) or msn <= self.complete_msn

    def update(self, text: str, last: tuple[int, int], complete_msn: int, hint: str) -> None:
        with self._lock:
            self.text, (self.last_msn, self.last_part), self.complete_msn, self.hint = text, last, complete_msn, hint
            listeners = list(self._listeners)
        for callback in listeners:
            callback()


class LlHlsOutput:
    """Writes ``ll.m3u8``, ``init.mp4``, parts and segments into ``directory`` (shared with plain HLS)."""

    name = "ll-hls"

    def __init__(
        self,
        directory: Path,
        fps: int,
        epoch_wall: Callable[[], float],
        telemetry: Telemetry,
        supervisor: Supervisor | None = None,
        window: int = 4,
    ) -> None:
        self.directory = directory
        self.fps = fps
        self.epoch_wall = epoch_wall
        self.telemetry = telemetry
        self.window = window
        self.playlist = LlHlsPlaylist()
        self._mp4: FragmentedMp4 | None = None
        self._init_written = False  # by the publisher thread, before the first part
        self._failing = False
        self._msn = -1
        self._index = 0
        self._pending: queue.Queue[_Part | None] = queue.Queue(maxsize=32)
        self._segments: deque[_Segment] = deque()
        self._unlisted: deque[_Segment] = deque()
        self.dropped = 0
        self.supervisor = supervisor or Supervisor(self.telemetry)
        self._worker = Worker("ll-hls-publisher", self._publish_loop, self.supervisor, backoff=Backoff(0.1, 2.0))

    def open(self, streams: EncodedStreams) -> None:
        """Check the directory, clear this output's old files and start publishing."""
        prepare_private_dir(self.directory)
        clear_own_files(self.directory, LL_FILE_NAME)
        self._mp4 = FragmentedMp4(streams, PART_FRAMES / self.fps)
        self._worker.start()

    def send(self, packet: Packet, is_video: bool) -> None:
        """Mux the packet; each fragment that comes out is a part."""
        assert self._mp4 is not None, "open() first"
        if packet.pts is None or packet.pts < 0:  # the AAC priming packet, as in plain HLS
            return
        for fragment in self._mp4.mux(packet, is_video):
            self._take(fragment)

    def _take(self, fragment: Fragment) -> None:
        if fragment.duration_s <= 0:
            return  # audio before the first video: no part can start without a keyframe
        if fragment.independent or self._msn < 0:
            self._msn, self._index = self._msn + 1, 0
        part = _Part(self._msn, self._index, fragment.data, fragment.duration_s, fragment.independent, fragment.start_s)
        self._index += 1
        try:
            self._pending.put_nowait(part)
        except queue.Full:  # the disk is stalled: the encoder must not wait for it
            self.dropped += 1
            logger.warning("LL-HLS writes are behind; dropped part %s", part.name)

    def _publish_loop(self, stop: threading.Event) -> None:
        while (part := self._pending.get()) is not None:
            try:
                if not self._init_written and self._mp4 is not None and self._mp4.init is not None:
                    write_atomic(self.directory / "init.mp4", self._mp4.init)  # once, before any part names it
                    self._init_written = True
                self._publish(part)
            except OSError as exc:  # a full or failing disk: an outage to ride out, as plain HLS does
                self.dropped += 1
                self._write_failed(exc)
                continue
            if self._failing:
                self._failing = False
                self.supervisor.running(self.name)

    def _write_failed(self, exc: OSError) -> None:
        if not self._failing:  # said once per outage
            self._failing = True
            self.supervisor.failed(self.name, exc, restarting=True, lost="parts are dropped until a write works")

    def _publish(self, part: _Part) -> None:
        segment = self._segments[-1] if self._segments else None
        if segment is None or segment.msn != part.msn:
            if segment is not None:
                self._complete(segment)
            segment = _Segment(part.msn, self.epoch_wall() + part.start_s)
            self._segments.append(segment)
        segment.expected = part.index + 1
        write_atomic(self.directory / part.name, part.data)
        segment.parts.append((part.name, part.duration_s, part.independent))
        segment.seconds += part.duration_s
        segment.data.append(part.data)
        self._update()
        self.telemetry.emit(
            "ll_part_published", msn=part.msn, part=part.index, duration=round(part.duration_s, 4), bytes=len(part.data)
        )

    def _complete(self, segment: _Segment) -> None:
        """Write the whole segment (its parts joined) and let old ones go; a segment that lost parts,
        or whose file cannot be written, is not listed whole (its parts that were written still are)."""
        try:
            if segment.parts and len(segment.parts) == segment.expected:
                write_atomic(self.directory / segment.name, b"".join(segment.data))
            else:
                segment.missing = True
        except OSError as exc:
            segment.missing = True
            self._write_failed(exc)
        segment.data.clear()
        segment.complete = True
        while sum(1 for s in self._segments if s.complete) > self.window:
            self._unlisted.append(self._segments.popleft())
        while len(self._unlisted) > self.window:  # kept a window longer, for players reading an older playlist
            gone = self._unlisted.popleft()
            for name in (*(name for name, _, _ in gone.parts), gone.name):
                (self.directory / name).unlink(missing_ok=True)

    def _update(self, ended: bool = False) -> None:
        last = self._segments[-1]
        complete = [s for s in self._segments if s.complete]
        hint = "" if ended else self._hint()
        self.playlist.update(
            self.render(ended), (last.msn, len(last.parts) - 1), complete[-1].msn if complete else -1, hint
        )
        write_atomic(self.directory / LL_PLAYLIST_NAME, self.playlist.text.encode())

    def render(self, ended: bool = False) -> str:
        """The playlist: complete segments with their recent parts, the open segment's parts, the hint."""
        part_target = PART_FRAMES / self.fps
        lines = [
            "#EXTM3U",
            "#EXT-X-VERSION:9",
            "#EXT-X-TARGETDURATION:1",
            f"#EXT-X-PART-INF:PART-TARGET={part_target:.3f}",
            "#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,"
            f"PART-HOLD-BACK={PART_HOLD_BACK_PARTS * part_target:.3f},HOLD-BACK=3.000",
            f"#EXT-X-MEDIA-SEQUENCE:{self._segments[0].msn if self._segments else 0}",
            '#EXT-X-MAP:URI="init.mp4"',
        ]
        for index, segment in enumerate(self._segments):
            lines.append(f"#EXT-X-PROGRAM-DATE-TIME:{iso_time(segment.start_wall)}")
            if index >= len(self._segments) - 3:  # parts only near the live edge, as the spec allows
                for name, seconds, independent in segment.parts:
                    flag = ",INDEPENDENT=YES" if independent else ""
                    lines.append(f'#EXT-X-PART:DURATION={seconds:.5f},URI="{name}"{flag}')
            if (segment.complete or ended) and not segment.missing:
                lines.append(f"#EXTINF:{segment.seconds:.5f},")
                lines.append(segment.name)
        if ended:
            lines.append("#EXT-X-ENDLIST")
        elif self._segments:
            lines.append(f'#EXT-X-PRELOAD-HINT:TYPE=PART,URI="{self._hint()}"')
        return "\n".join(lines) + "\n"

    def _hint(self) -> str:
        """The part that comes next: the open segment's next, or the next segment's first after a second."""
        last = self._segments[-1]
        if last.seconds >= 1.0 - 0.5 / self.fps:  # keyframes come every second: the next part starts a segment
            return f"ll{last.msn + 1:06d}.0.m4s"
        return f"ll{last.msn:06d}.{len(last.parts)}.m4s"

    def close(self) -> None:
        """Publish what is left and end the playlist."""
        if self._mp4 is not None:
            for fragment in self._mp4.close():
                self._take(fragment)
        if self._worker.alive:
            self._pending.put(None)
            self._worker.done.wait(10)
        self._worker.stop(timeout=None)
        if self._segments:
            last = self._segments[-1]
            if not last.complete and last.data:
                self._complete(last)
            try:
                self._update(ended=True)
            except OSError as exc:
                logger.warning("could not end the LL-HLS playlist in %s: %s", self.directory, exc)
