"""A phone platform's playout of the audio a call receives, as tests and benchmarks need it emulated.

Audio goes into a small buffer and out at real time, 20 ms at a time, silence while the
buffer fills (as a phone line plays). A Media Streams ``mark`` is echoed once the audio
before it has played; ``clear`` drops what waits and echoes the marks in it at once, as
Twilio does. What was played, and when, is kept (``heard``: the same record the WebRTC
client keeps), and what arrived, and when (``received``).
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable

import numpy as np
import numpy.typing as npt

from talkshow.phone.audio import FRAME_MS
from talkshow.testing.talk_client import Heard

__all__ = ["Playout"]

PERIOD_S = FRAME_MS / 1000


class Playout:
    """A platform's playout of the audio a call receives: buffered, played at real time, marks echoed after."""

    def __init__(self, echo_mark: Callable[[str], Awaitable[None]] | None = None, buffer_ms: int = 60) -> None:
        self.echo_mark = echo_mark
        self.buffer_frames = max(1, buffer_ms // FRAME_MS)
        self.heard = Heard()  # (played at, 8 kHz sample index, peak) per 20 ms frame
        self.received = Heard()  # the same per frame as it arrived, before the buffer
        self.played: list[npt.NDArray[np.int16]] = []  # every frame played, decoded (8 kHz)
        self.marks_echoed: list[tuple[float, str]] = []
        self.clears: list[float] = []
        self.arrived = 0
        self._queue: deque[npt.NDArray[np.int16] | str] = deque()
        self._frames_queued = 0
        self._more = asyncio.Event()

    def audio(self, samples: npt.NDArray[np.int16]) -> None:
        """A frame of audio arrived."""
        peak = int(np.abs(samples.astype(np.int32)).max()) if len(samples) else 0
        self.received.audio.append((time.perf_counter(), self.arrived * len(samples), peak))
        self.arrived += 1
        self._queue.append(samples)
        self._frames_queued += 1
        self._more.set()

    def mark(self, name: str) -> None:
        """A mark arrived: echo it once everything before it has played."""
        self._queue.append(name)
        self._more.set()

    async def clear(self) -> None:
        """Drop the audio waiting; echo the marks among it now, unplayed (as Twilio does)."""
        self.clears.append(time.perf_counter())
        waiting, self._queue = list(self._queue), deque()
        self._frames_queued = 0
        for item in waiting:
            if isinstance(item, str):
                await self._echo(item)

    def samples(self) -> npt.NDArray[np.int16]:
        """All the audio played so far, 8 kHz."""
        return np.concatenate(self.played) if self.played else np.zeros(0, np.int16)

    async def run(self) -> None:
        """Play a 20 ms frame every 20 ms until cancelled: silence while the buffer fills (as a phone line does)."""
        loop = asyncio.get_running_loop()
        due = loop.time()
        buffering, index = True, 0
        silence = np.zeros(FRAME_MS * 8, np.int16)
        while True:
            await self._echo_leading_marks()  # their audio has played
            buffering = buffering and self._frames_queued < self.buffer_frames
            frame = silence
            if not buffering and self._frames_queued == 0:
                buffering = True  # an underrun: the buffer fills again first
            elif not buffering:
                item = self._queue.popleft()
                assert not isinstance(item, str)  # leading marks were echoed above
                frame = item
                self._frames_queued -= 1
            self.played.append(frame)
            peak = int(np.abs(frame.astype(np.int32)).max()) if len(frame) else 0
            self.heard.audio.append((time.perf_counter(), index, peak))
            index += len(frame)
            due += PERIOD_S
            await asyncio.sleep(max(0.0, due - loop.time()))

    async def _echo_leading_marks(self) -> None:
        while self._queue and isinstance(self._queue[0], str):
            name = self._queue.popleft()
            assert isinstance(name, str)
            await self._echo(name)

    async def _echo(self, name: str) -> None:
        self.marks_echoed.append((time.perf_counter(), name))
        if self.echo_mark is not None:
            await self.echo_mark(name)
