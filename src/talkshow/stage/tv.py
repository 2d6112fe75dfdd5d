"""What plays on the TV: any video file PyAV decodes (scaled, looped) or a built-in channel.

File decoding runs on its own thread into a bounded queue, so the compositor only
ever takes a ready frame. If decoding falls behind, the TV holds its last frame
(a TV frame drop, counted) rather than delaying the show. If the decoder fails in
any way, the supervisor restarts it with a backoff; meanwhile the TV holds.
"""

from __future__ import annotations

import logging
import math
import queue
import threading
from pathlib import Path
from typing import Protocol

import av
import numpy as np
import numpy.typing as npt
from PIL import Image, ImageDraw

from talkshow.core.errors import TVSourceError
from talkshow.stage.fonts import load_font
from talkshow.stage.frame import rgb_to_yuv
from talkshow.supervisor import Backoff, Supervisor, Worker

logger = logging.getLogger(__name__)

__all__ = ["GeneratedChannel", "TVSource", "VideoFileTV", "open_tv"]

U8 = npt.NDArray[np.uint8]
Planes = tuple[U8, U8, U8]


class TVSource(Protocol):
    """A source of TV frames at the screen's size."""

    fps: float
    drops: int

    def frame_at(self, seconds: float) -> tuple[int, Planes]:
        """The frame showing at ``seconds`` of show time: (frame id, Y/U/V planes)."""

    def close(self) -> None:
        """Stop any background work."""


def open_tv(
    source: str,
    width: int,
    height: int,
    base_dir: Path,
    topic: str,
    blocking: bool,
    supervisor: Supervisor | None = None,
) -> TVSource:
    """Open ``source`` (``off``, ``channel:news`` or a video path) at ``width`` x ``height``."""
    if source == "off":
        return SwitchedOffTV(width, height)
    if source.startswith("channel:"):
        return GeneratedChannel(width, height, topic)
    path = Path(source)
    if not path.is_absolute():
        path = base_dir / path
    return VideoFileTV(path, width, height, blocking=blocking, supervisor=supervisor)


def _split_i420(data: U8, width: int, height: int) -> Planes:
    y = data[:height]
    u = data[height : height + height // 4].reshape(height // 2, width // 2)
    v = data[height + height // 4 :].reshape(height // 2, width // 2)
    return np.ascontiguousarray(y), np.ascontiguousarray(u), np.ascontiguousarray(v)


class VideoFileTV:
    """Decodes a video file on a worker thread, scaled to the screen, looping forever."""

    def __init__(
        self,
        path: Path,
        width: int,
        height: int,
        blocking: bool = True,
        wait_s: float = 5.0,
        supervisor: Supervisor | None = None,
    ) -> None:
        self.path = path
        self.width, self.height = width, height
        self.blocking = blocking
        self.wait_s = wait_s
        self.drops = 0
        self.fps = self._probe()
        self._queue: queue.Queue[tuple[int, Planes]] = queue.Queue(maxsize=12)
        self._index = -1
        self._last: Planes | None = None
        self._next_index = 0  # frame ids keep counting across restarts
        self._worker = Worker("tv-decode", self._decode_forever, supervisor, backoff=Backoff(0.5, 2.0), background=True)
        self._stop = self._worker.stop_event
        self._worker.start()

    def _probe(self) -> float:
        if not self.path.is_file():
            raise TVSourceError(str(self.path), "file not found")
        try:
            with av.open(str(self.path)) as container:
                if not container.streams.video:
                    raise TVSourceError(str(self.path), "has no video stream")
                stream = container.streams.video[0]
                first = next(container.decode(stream), None)
                if first is None:
                    raise TVSourceError(str(self.path), "decodes to no frames")
                rate = stream.average_rate or stream.guessed_rate
                return float(rate) if rate else 25.0
        except (av.error.FFmpegError, StopIteration) as exc:
            raise TVSourceError(str(self.path), f"cannot be decoded ({exc})") from exc

    def _decode_forever(self, _stop: threading.Event) -> None:
        reported = False
        while not self._stop.is_set():
            decoded_this_pass = 0
            try:
                with av.open(str(self.path)) as container:
                    stream = container.streams.video[0]
                    stream.thread_type = "AUTO"
                    for frame in container.decode(stream):
                        scaled = frame.reformat(width=self.width, height=self.height, format="yuv420p")
                        planes = _split_i420(np.asarray(scaled.to_ndarray(), np.uint8), self.width, self.height)
                        while not self._stop.is_set():
                            try:
                                self._queue.put((self._next_index, planes), timeout=0.2)
                                break
                            except queue.Full:
                                continue
                        self._next_index += 1
                        decoded_this_pass += 1
                        if self._stop.is_set():
                            return
            except (av.error.FFmpegError, OSError) as exc:
                if not reported:
                    logger.warning("TV video %s failed mid-stream (%s); looping from the start", self.path, exc)
                    reported = True
            if decoded_this_pass == 0:
                # The screen holds its last frame meanwhile; the supervisor retries with backoff
                # and shows the TV as restarting, so a clip that is fixed comes back by itself.
                raise TVSourceError(str(self.path), "yields no frames; holding the last frame")

    def frame_at(self, seconds: float) -> tuple[int, Planes]:
        """The looping video's frame at ``seconds``; holds the last frame if decode lags."""
        target = int(seconds * self.fps)
        while self._index < target or self._last is None:
            try:
                timeout = self.wait_s if self.blocking or self._last is None else 0.0
                self._index, self._last = self._queue.get(timeout=timeout) if timeout else self._queue.get_nowait()
            except queue.Empty:
                if self._last is None:
                    raise TVSourceError(str(self.path), "no frame decoded in time") from None
                self.drops += 1
                break
        return self._index, self._last

    def close(self) -> None:
        """Stop the decode thread."""
        self._worker.stop(timeout=2)


class SwitchedOffTV:
    """A dark screen that never changes (the TV is off)."""

    fps = 1.0

    def __init__(self, width: int, height: int) -> None:
        self.drops = 0
        shade = np.full((height, width), 24, np.uint8)
        self._planes = (
            shade,
            np.full((height // 2, width // 2), 128, np.uint8),
            np.full((height // 2, width // 2), 128, np.uint8),
        )

    def frame_at(self, seconds: float) -> tuple[int, Planes]:
        """Always the same dark frame."""
        return 0, self._planes

    def close(self) -> None:
        """Nothing runs in the background."""


class GeneratedChannel:
    """A built-in 'news' channel: animated sky, bouncing logo and a topic ticker.

    Rendered once at load as a 4 s loop at 15 fps, so each TV frame costs a lookup.
    """

    fps = 15.0
    loop_frames = 60

    def __init__(self, width: int, height: int, topic: str) -> None:
        self.drops = 0
        self.width, self.height = width, height
        self.topic = topic
        self._frames = [self._render(i, topic) for i in range(self.loop_frames)]
        self._epoch = 0  # moved on at each new title: a frame index never names two different pictures

    def retitle(self, topic: str) -> None:
        """The ticker reads ``topic`` from now on: the loop is rendered anew, then swapped in whole."""
        if topic != self.topic:
            frames = [self._render(i, topic) for i in range(self.loop_frames)]
            self._frames, self._epoch = frames, self._epoch + 1
            self.topic = topic

    def _render(self, index: int, topic: str) -> Planes:
        w, h = self.width, self.height
        phase = index / self.loop_frames
        t = np.linspace(0, 1, h, dtype=np.float32)[:, None, None]
        sky = np.array([40, 120, 200], np.float32) * (1 - t) + np.array([250, 170, 120], np.float32) * t
        image = Image.fromarray(np.broadcast_to(sky, (h, w, 3)).astype(np.uint8).copy(), "RGB")
        draw = ImageDraw.Draw(image)
        sun_x = w * (0.15 + 0.7 * phase)
        sun_y = h * (0.45 - 0.25 * math.sin(math.pi * phase))
        r = h * 0.12
        draw.ellipse([sun_x - r, sun_y - r, sun_x + r, sun_y + r], fill=(255, 236, 140))
        for i in range(5):  # hills
            hx = (i / 4) * w
            draw.ellipse([hx - w * 0.3, h * 0.62, hx + w * 0.3, h * 1.3], fill=(60 + 12 * i, 150 - 8 * i, 80))
        font = load_font(max(10, h // 9), bold=True)
        bounce = abs(math.sin(2 * math.pi * phase)) * h * 0.06
        draw.text(
            (w * 0.06, h * 0.08 - bounce),
            "TALKSHOW NEWS",
            font=font,
            fill=(255, 255, 255),
            stroke_width=max(1, h // 120),
            stroke_fill=(30, 30, 60),
        )
        bar_h = h // 7
        draw.rectangle([0, h - bar_h, w, h], fill=(180, 20, 40))
        ticker = f"LIVE  •  {topic.upper()}  •  STAY TUNED  •  "
        small = load_font(max(8, bar_h * 2 // 3), bold=True)
        length = draw.textlength(ticker, font=small)
        x = -phase * length
        while x < w:
            draw.text((x, h - bar_h + bar_h // 8), ticker, font=small, fill=(255, 255, 255))
            x += length
        yuv = rgb_to_yuv(np.asarray(image, dtype=np.float32))
        y = np.clip(yuv[..., 0] + 0.5, 0, 255).astype(np.uint8)
        u = np.clip(yuv[..., 1].reshape(h // 2, 2, w // 2, 2).mean(axis=(1, 3)) + 0.5, 0, 255).astype(np.uint8)
        v = np.clip(yuv[..., 2].reshape(h // 2, 2, w // 2, 2).mean(axis=(1, 3)) + 0.5, 0, 255).astype(np.uint8)
        return y, u, v

    def frame_at(self, seconds: float) -> tuple[int, Planes]:
        """The looping channel frame at ``seconds``."""
        index = int(seconds * self.fps)
        frames, epoch = self._frames, self._epoch
        return epoch * 1_000_000_000 + index, frames[index % self.loop_frames]

    def close(self) -> None:
        """Nothing runs in the background."""
