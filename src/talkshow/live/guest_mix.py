"""A caller's voice in the broadcast, when the operator allows it (off by default: privacy).

The caller's audio arrives in real time from the transport and waits in a short FIFO;
the pacer takes exactly one frame of it per tick and adds it to the show's frame, so it
stays on the one clock. The FIFO starts playing once 40 ms have gathered (jitter room),
pads with silence when the caller's packets are late, and drops its oldest audio
beyond 300 ms, so the caller's voice is never more than that behind.

The broadcast gets the mix; the caller gets the show without their own voice
(mix-minus), so they never hear themselves come back.
"""

from __future__ import annotations

import threading
from collections import deque

import numpy as np
import numpy.typing as npt

__all__ = ["GuestMix"]

START_AFTER_S = 0.04
MAX_BEHIND_S = 0.3


class GuestMix:
    """One caller's audio, mixed into the show frame by frame (thread-safe)."""

    def __init__(self, sample_rate: int, samples_per_frame: int, gain: float = 1.0) -> None:
        self.sample_rate = sample_rate
        self.samples_per_frame = samples_per_frame
        self.gain = gain
        self.enabled = False  # the operator's switch
        self._chunks: deque[npt.NDArray[np.int16]] = deque()
        self._buffered = 0
        self._playing = False
        self._lock = threading.Lock()
        self.dropped_samples = 0
        self.padded_frames = 0

    def write(self, samples: npt.NDArray[np.int16]) -> None:
        """Caller audio at the show rate, mono (the transport's thread); ignored while mixing is off."""
        if not self.enabled:
            return
        with self._lock:
            self._chunks.append(np.asarray(samples, np.int16))
            self._buffered += len(samples)
            limit = int(MAX_BEHIND_S * self.sample_rate)
            while self._buffered - len(self._chunks[0]) >= limit:  # too far behind: drop the oldest
                old = self._chunks.popleft()
                self._buffered -= len(old)
                self.dropped_samples += len(old)

    def mix(self, show: npt.NDArray[np.int16]) -> npt.NDArray[np.int16] | None:
        """The show's frame with one frame of the caller added; None when there is nothing to add (the pacer)."""
        with self._lock:
            if not self.enabled or not self._chunks:
                self._playing = False
                return None
            if not self._playing and self._buffered < START_AFTER_S * self.sample_rate:
                return None
            self._playing = True
            guest = self._take(self.samples_per_frame)
        mixed = show.astype(np.int32) + (guest.astype(np.float32) * self.gain).astype(np.int32)
        return np.clip(mixed, -32768, 32767).astype(np.int16)

    def clear(self) -> None:
        """Forget buffered audio (the call ended, or mixing was switched off)."""
        with self._lock:
            self._chunks.clear()
            self._buffered = 0
            self._playing = False

    def _take(self, count: int) -> npt.NDArray[np.int16]:
        out = np.zeros(count, np.int16)
        filled = 0
        while filled < count and self._chunks:
            chunk = self._chunks[0]
            part = chunk[: count - filled]
            out[filled : filled + len(part)] = part
            filled += len(part)
            if len(part) == len(chunk):
                self._chunks.popleft()
            else:
                self._chunks[0] = chunk[len(part) :]
            self._buffered -= len(part)
        if filled < count:
            self.padded_frames += 1
        return out
