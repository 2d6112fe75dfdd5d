"""What each recent stream frame carried: the show clock's exact playback map.

The pacer records, for every stream frame it sends, which turn it played and at which of
that turn's frames. A listener who hears the show late (a phone caller behind the
platform's playout buffer) reports how far they have heard in stream samples; this log
turns that into how many samples of a given turn they heard, so a reply they talked over
is cut in the history at the last word that reached them, not at the last word that aired.
"""

from __future__ import annotations

import threading
from collections import deque

from talkshow.show.turns import PreparedTurn

__all__ = ["AirLog"]

# A caller hears the show well under a second late, so a turn that left the air longer ago
# than this was heard whole. The log holds the turns themselves (ids can be reused once a
# turn is freed), so it is kept short: it pins at most these seconds of aired turns.
KEEP_SECONDS = 10


class AirLog:
    """A bounded record of (stream frame, turn, frame within the turn), written by the pacer (thread-safe)."""

    def __init__(self, samples_per_frame: int, fps: int = 30) -> None:
        self.samples_per_frame = samples_per_frame
        # (index, turn, offset); idle frames too, so a turn leaves the log KEEP_SECONDS after it aired
        self._frames: deque[tuple[int, PreparedTurn | None, int]] = deque(maxlen=KEEP_SECONDS * fps)
        self._lock = threading.Lock()

    def record(self, index: int, turn: PreparedTurn | None, turn_offset: int) -> None:
        """Stream frame ``index`` went out playing ``turn``'s frame ``turn_offset`` (None: idle or silence)."""
        with self._lock:
            self._frames.append((index, turn, turn_offset))

    def latest(self) -> tuple[int, PreparedTurn | None, int] | None:
        """The newest frame that went out: (stream frame, its turn or None, frame within the turn)."""
        with self._lock:
            return self._frames[-1] if self._frames else None

    def heard_of(self, turn: PreparedTurn, until_sample: int) -> int | None:
        """Samples of ``turn`` that went out before stream sample ``until_sample``; None if it is not in the log.

        A turn whose frames all went out after ``until_sample`` was heard for 0 samples; one not
        in the log either never aired or left the air more than ``KEEP_SECONDS`` ago.
        """
        spf = self.samples_per_frame
        with self._lock:
            entries = [(index, offset) for index, logged, offset in self._frames if logged is turn]
        if not entries:
            return None
        before = [(index, offset) for index, offset in entries if index * spf < until_sample]
        if not before:
            return 0
        index, offset = before[-1]
        return offset * spf + min(spf, until_sample - index * spf)
