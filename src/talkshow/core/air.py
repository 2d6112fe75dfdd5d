"""The air: what each stream frame carried, what a cut took off it, and when parts went on and off.

One clock drives the show (``talkshow.core.clock``); these are its exact playback records.
The pacer writes the ``AirLog`` for every stream frame it sends. A listener who hears the
show late (a phone caller behind the platform's playout buffer) reports how far they have
heard in stream samples; the log turns that into how many samples of a given turn they
heard, so a reply they talked over is cut in the history at the last word that reached
them, not at the last word that aired.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass, field

from talkshow.core.turn import PreparedTurn

__all__ = ["BARGE_KEEP_FRAMES", "AirChange", "AirLog", "Interruption"]

BARGE_KEEP_FRAMES = 2  # frames a barge-in leaves queued (muted): covers rendering the first one after it


@dataclass(frozen=True)
class AirChange:
    """A part went on air (``aired``: its first frame went out) or off it (``off_air``), at stream ``frame``."""

    kind: str
    turn: int
    frame: int


@dataclass
class Interruption:
    """What a barge-in cut: how much of each turn aired, and the turns that never did.

    ``heard`` maps ``id(turn)`` to the samples of that turn that aired (or will, in the
    frames kept at the cut); a turn not in it and not in ``dropped`` aired whole.
    """

    heard: dict[int, int] = field(default_factory=dict)
    dropped: list[PreparedTurn] = field(default_factory=list)
    show_frame: int = -1  # the first show frame that no longer carries the cut turn
    # Finish the sentence on air (a tutor's correction): only what follows it is cut. The renderer then
    # marks that turn heard whole.
    finish_on_air: bool = False


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
