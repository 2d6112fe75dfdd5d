"""One reply in progress: its parts as pushed, what of it has aired, and how it was stopped."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from talkshow.core.air import Interruption
from talkshow.core.cast import CastMember
from talkshow.core.kinds.hearing import NO_READINGS, HeardWord, Readings, Transcript
from talkshow.core.kinds.writer import Exchange, ReplyRequest
from talkshow.core.recall import Recollection
from talkshow.core.turn import PreparedTurn

__all__ = ["Reply"]


@dataclass
class Reply:
    """One reply in progress: its parts as pushed, and what of it has aired."""

    exchange: int
    heard: str
    heard_words: tuple[HeardWord, ...] = ()  # ``heard`` with the ears' confidence in each word, if they gave it
    parts: list[PreparedTurn] = field(default_factory=list)
    aired: set[int] = field(default_factory=set)  # turn indexes whose first frame went out
    off_air: set[int] = field(default_factory=set)
    first_aired_at: float | None = None
    written: bool = False  # the writer finished (no more parts will come)
    cancelled: bool = False
    history_index: int = -1  # where the reply's own line is in the history
    caller_index: int = -1  # where the caller's line it answers is
    stamps: dict[str, float] = field(default_factory=dict)  # perf_counter times of each stage
    token: int = 0  # the programme's cut count its parts are pushed under
    paused: Interruption | None = None  # stopped at the caller's first voice; resumes if it was nothing
    held: list[PreparedTurn] = field(default_factory=list)  # parts voiced while paused
    aired_before: str = ""  # what aired before a pause it resumed from
    confirmed: bool = True  # False: made on speculation (the caller paused); held until the turn really ends
    text: str = ""  # the whole reply, once written
    script: tuple[str, ...] = ()  # set: these sentences are said as they are (a greeting), no writer asked
    ack: str = ""  # said first, while the caller's words are still being transcribed (``heard`` comes later)
    heard_readings: Readings = NO_READINGS  # other readings of the caller's words the ears found likely
    heard_ready: threading.Event | None = None  # set once ``heard`` is known, for a reply that opened with ``ack``
    answer_turn: int = -1  # the part that began the answer proper (after the ack), to time it on air
    aired_cut: Interruption | None = None  # the pause as the show clock saw it (``paused``: as the caller heard it)
    off_air_frame: int = -1  # the stream frame after its last part left the air (set once it has)
    heard_allowed: bool | None = None  # moderation's verdict on ``heard`` (None: not judged yet)
    captioned: bool = False  # the caller's words went on screen
    abort: Callable[[], None] = field(default=lambda: None, repr=False)  # stops its writing at once (thread-safe)

    def heard_by(self, ears: Transcript | None) -> Reply:
        """Take from ``ears`` (the ears' transcript of ``heard``) each word's confidence and the other readings."""
        if ears is not None:
            self.heard_words, self.heard_readings = ears.heard_words, ears.readings
        return self

    def request(
        self, character: CastMember, topic: str, earlier: tuple[Exchange, ...], memories: tuple[Recollection, ...]
    ) -> ReplyRequest:
        """What the writer is asked: ``heard`` as the ears heard it, after the talk ``earlier``."""
        spoke = max(0.0, self.stamps.get("speech_end", 0.0) - self.stamps.get("speech_start", 0.0))
        return ReplyRequest(
            character, topic, self.heard, earlier, memories, self.heard_words, spoke, heard_readings=self.heard_readings
        )

    def cancel(self) -> None:
        """Nothing more of this reply airs, and a writer still thinking about it is stopped now, not at its timeout."""
        self.cancelled = True
        self.abort()
        if self.heard_ready is not None:
            self.heard_ready.set()  # nothing waits any longer for words it will not answer

    released: bool = False  # its parts were let go once it had aired: only its text and times remain

    @property
    def finished_airing(self) -> bool:
        """All of it has aired (or nothing more will)."""
        if self.cancelled or self.released:
            return True
        return self.written and all(p.index in self.off_air for p in self.parts)

    def release(self) -> None:
        """Let go of the audio and captions of a reply that has finished airing (a part is ~1 MB, mostly
        its caption card: kept for a whole call, they grew the process by ~25 MB a minute)."""
        self.released = True
        self.parts, self.held = [], []
        self.paused = self.aired_cut = None
