"""The bounded queue between the renderer (ahead of the clock) and the pacer (on it).

Buffers come from a fixed pool, so rendering ahead allocates nothing per frame and
memory stays flat. The queue can be cut: idle frames waiting at its tail are dropped
so a reply that is ready goes on air at once instead of after them.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from talkshow.acting.types import Pose
from talkshow.core.turn import PreparedTurn

__all__ = ["CutFrame", "FrameQueue", "QueuedFrame"]


@dataclass
class QueuedFrame:
    """One rendered show frame with its audio, waiting for its slot on air."""

    show_frame: int
    i420: npt.NDArray[np.uint8]
    audio: npt.NDArray[np.int16]
    idle: bool
    compose_ms: float
    tv_fps_cap: float | None = None
    turn_start: PreparedTurn | None = None  # set on a turn's first frame, to time it on air
    turn: PreparedTurn | None = None  # the turn this frame plays (None: idle or a pause)
    turn_offset: int = 0  # which of the turn's frames this is
    seconds: float = 0.0  # show time
    poses: Mapping[str, Pose] = field(default_factory=dict)  # what the frame shows each character doing


class CutFrame(NamedTuple):
    """A frame cut from the queue before it aired (its buffer is back in the pool)."""

    show_frame: int
    turn: PreparedTurn | None
    turn_offset: int


class FrameQueue:
    """A bounded FIFO of rendered frames whose buffers are pooled."""

    def __init__(self, capacity: int, frame_size: int) -> None:
        if capacity < 1:
            raise ValueError(f"capacity must be at least 1, got {capacity}")
        self.capacity = capacity
        self._frames: deque[QueuedFrame] = deque()
        # capacity in the queue, one being rendered, one held by the pacer for repeats.
        self._free = [np.empty(frame_size, np.uint8) for _ in range(capacity + 2)]
        self._changed = threading.Condition()
        self._interrupted = False

    @property
    def depth(self) -> int:
        """Frames rendered and waiting."""
        with self._changed:
            return len(self._frames)

    def acquire(self, timeout: float) -> npt.NDArray[np.uint8] | None:
        """A free buffer once the queue has room; None on timeout (the renderer is ahead enough)."""
        with self._changed:
            ready = self._changed.wait_for(
                lambda: self._interrupted or (len(self._frames) < self.capacity and bool(self._free)), timeout
            )
            if self._interrupted:
                self._interrupted = False
                return None
            return self._free.pop() if ready else None

    def interrupt(self) -> None:
        """Wake a renderer waiting in ``acquire`` (something needs it now, e.g. a cut)."""
        with self._changed:
            self._interrupted = True
            self._changed.notify_all()

    def put(self, frame: QueuedFrame) -> None:
        """Append a rendered frame (its buffer came from ``acquire``)."""
        with self._changed:
            self._frames.append(frame)
            self._changed.notify_all()

    def pop(self) -> QueuedFrame | None:
        """The oldest frame, or None at once if none is ready (the pacer never waits)."""
        with self._changed:
            return self._frames.popleft() if self._frames else None

    def release(self, buffer: npt.NDArray[np.uint8]) -> None:
        """Return a buffer to the pool."""
        with self._changed:
            self._free.append(buffer)
            self._changed.notify_all()

    def cut_tail(self, keep: int, fade_samples: int = 0) -> tuple[list[CutFrame], list[CutFrame]]:
        """A barge-in: drop every frame after the first ``keep``, and silence the ``keep`` frames' audio.

        The kept frames still air (the pacer must never starve while the renderer makes the
        first frame after the cut), but only as pictures: the first one's audio fades to
        zero over ``fade_samples`` (no click), the rest are silent. So the sound stops at
        the next frame boundary, not ``keep`` frames later. Returns the muted frames and
        the dropped ones, each oldest first: together, the audio that never aired.
        """
        dropped: list[CutFrame] = []
        muted: list[CutFrame] = []
        with self._changed:
            while len(self._frames) > keep:
                frame = self._frames.pop()
                dropped.append(CutFrame(frame.show_frame, frame.turn, frame.turn_offset))
                self._free.append(frame.i420)
            for index, frame in enumerate(self._frames):
                if not frame.audio.any():
                    continue
                muted.append(CutFrame(frame.show_frame, frame.turn, frame.turn_offset))
                frame.audio = _faded(frame.audio, fade_samples) if index == 0 else np.zeros_like(frame.audio)
            self._changed.notify_all()
        return muted, dropped[::-1]

    def cut_after_head_turn(self) -> tuple[PreparedTurn, list[CutFrame]] | None:
        """Finish the sentence: keep the frames of the turn at the head (the next to air), drop every one after.

        Returns that turn and the dropped frames, oldest first; None (nothing cut) when the head frame
        is idle or the queue is empty: then no sentence is on its way out.
        """
        dropped: list[CutFrame] = []
        with self._changed:
            head = self._frames[0].turn if self._frames else None
            if head is None:
                return None
            while self._frames[-1].turn is not head:
                frame = self._frames.pop()
                dropped.append(CutFrame(frame.show_frame, frame.turn, frame.turn_offset))
                self._free.append(frame.i420)
            self._changed.notify_all()
        return head, dropped[::-1]

    def cut_idle(self, keep: int = 0) -> list[int]:
        """Drop idle frames from the tail, leaving at least ``keep``; their show frames, oldest first."""
        dropped: list[int] = []
        with self._changed:
            while len(self._frames) > keep and self._frames[-1].idle:
                frame = self._frames.pop()
                dropped.append(frame.show_frame)
                self._free.append(frame.i420)
            self._changed.notify_all()
        return dropped[::-1]


def _faded(audio: npt.NDArray[np.int16], samples: int) -> npt.NDArray[np.int16]:
    """``audio``'s first ``samples`` ramped down to zero, then silence (a copy: frames may share audio)."""
    out = np.zeros_like(audio)
    n = min(samples, len(out))
    ramp = np.linspace(1.0, 0.0, n, endpoint=False, dtype=np.float32)
    out[:n] = (audio[:n].astype(np.float32) * ramp).astype(np.int16)
    return out
