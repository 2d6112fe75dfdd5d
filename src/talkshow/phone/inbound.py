"""A caller's audio in, as the ears need it: in order, in time, and never faster than a person talks.

The ears count silence in samples to decide when a turn has ended, so the inbound path
keeps the caller's timeline: a Media Streams packet that comes twice or out of order (its
``timestamp`` is behind) is dropped, and a gap the platform left (packets lost upstream)
is filled with that much silence, up to a second. Packets that arrive bunched after a
network stall are all taken: the ears need no smoothing, only the samples.

A bridge that sends faster than real time (a bug, or an attack) is held to real time
plus a one-second burst, by two token buckets: one on messages (checked before a message
is even parsed) and one on audio. The excess is dropped, counted and logged once per
flood; ``flooding_for`` says how long it has gone on, so the call can be ended.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from talkshow.phone.audio import FRAME_MS, PhoneAudio

logger = logging.getLogger(__name__)

__all__ = ["InboundAudio", "InboundStats"]

BURST_S = 1.0  # how far ahead of real time a bridge may get (packets bunched after a stall)
MESSAGES_PER_S = 75.0  # 50 media messages a second, plus marks and keys, with room
MAX_FILL_MS = 1000  # a longer gap is a discontinuity, not lost packets: no more silence than this
LATE_MS = FRAME_MS // 2  # a packet this far behind the timeline was already covered


@dataclass
class InboundStats:
    """What came in: frames taken, silence filled for gaps, late or repeated packets, flood drops."""

    frames: int = 0
    filled_ms: int = 0
    late: int = 0
    flood_dropped: int = 0


class _Bucket:
    """``rate`` tokens a second, at most ``capacity`` saved."""

    def __init__(self, rate: float, capacity: float) -> None:
        self.rate, self.capacity = rate, capacity
        self.tokens = capacity
        self.last: float | None = None  # the clock starts with the first packet

    def take(self, cost: float, now: float) -> bool:
        elapsed = 0.0 if self.last is None else now - self.last
        self.tokens = min(self.capacity, self.tokens + elapsed * self.rate)
        self.last = now
        if self.tokens < cost:
            return False
        self.tokens -= cost
        return True


class InboundAudio:
    """One call's inbound audio: wire payloads in, 48 kHz samples for the ears out (one loop, not thread-safe)."""

    def __init__(self, audio: PhoneAudio, label: str = "caller") -> None:
        self.audio = audio
        self.label = label  # who, for log lines (a masked number)
        self.stats = InboundStats()
        self._messages = _Bucket(MESSAGES_PER_S, MESSAGES_PER_S * BURST_S)
        self._audio_ms = _Bucket(1000.0, 1000.0 * BURST_S + FRAME_MS)
        self._next_ms: int | None = None  # the media timestamp expected next
        self._flood_started = 0.0
        self._last_drop = -10.0

    def admit(self, now: float | None = None) -> bool:
        """May one more message be handled now? False: drop it unread (the bridge is flooding)."""
        now = time.monotonic() if now is None else now
        if self._messages.take(1.0, now):
            return True
        self._dropped(now, "messages")
        return False

    def accept(
        self, payload: bytes, timestamp_ms: int | None = None, now: float | None = None
    ) -> npt.NDArray[np.int16]:
        """The show-rate samples ``payload`` adds to the caller's timeline (empty if it is dropped).

        ``timestamp_ms`` is the packet's place in the stream where the bridge says (Media
        Streams does; AudioSocket's TCP stream is its own order). Raises InputError for audio
        the encoding cannot hold (an odd byte count of 16-bit linear).
        """
        now = time.monotonic() if now is None else now
        duration_ms = len(payload) * 1000 // (self.audio.wire_rate * self.audio.bytes_per_sample)
        if not payload:
            return np.zeros(0, np.int16)
        gap_ms = 0
        if timestamp_ms is not None:
            expected = self._next_ms
            if expected is not None and timestamp_ms + LATE_MS <= expected:
                self.stats.late += 1
                return np.zeros(0, np.int16)
            if expected is not None and timestamp_ms - expected >= LATE_MS:
                gap_ms = min(timestamp_ms - expected, MAX_FILL_MS)
            self._next_ms = timestamp_ms + duration_ms
        if not self._audio_ms.take(duration_ms + gap_ms, now):
            self._dropped(now, "audio")
            return np.zeros(0, np.int16)
        samples = self.audio.decode(payload)
        self.stats.frames += 1
        if gap_ms:
            self.stats.filled_ms += gap_ms
            samples = np.concatenate([np.zeros(gap_ms * self.audio.show_rate // 1000, np.int16), samples])
        return samples

    def flooding_for(self, now: float | None = None) -> float:
        """Seconds the current flood has lasted (0 when none is going on)."""
        now = time.monotonic() if now is None else now
        return now - self._flood_started if now - self._last_drop < 1.0 else 0.0

    def _dropped(self, now: float, what: str) -> None:
        self.stats.flood_dropped += 1
        if now - self._last_drop >= 1.0:  # a new flood: say so once
            self._flood_started = now
            logger.warning("%s: the bridge sends %s faster than real time; the excess is dropped", self.label, what)
        self._last_drop = now
