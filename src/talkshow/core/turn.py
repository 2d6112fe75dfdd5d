"""A turn as it travels from the preparer to the air: the show's one shared unit of work.

Every stage after the writer hands these on (the preparer makes them, talk mode and the
chat host push them, the renderer and pacer play them, the air log remembers them), so
they live in ``core`` with the types they carry: the timings, the acting plan (made by
``talkshow.acting``) and the caption card (``core.picture``, drawn by ``talkshow.stage``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from talkshow.core.lines import Line
from talkshow.core.picture import Caption

__all__ = ["ExpressionSpan", "MouthCue", "PreparedTurn", "TurnPlan", "WordTiming"]


@dataclass(frozen=True)
class WordTiming:
    """One word with its position in the audio and in the spoken text."""

    start: float
    end: float
    char_start: int
    char_end: int


@dataclass(frozen=True)
class MouthCue:
    """Mouth ``shape`` held from ``start`` to ``end`` (seconds)."""

    start: float
    end: float
    shape: str


@dataclass(frozen=True)
class ExpressionSpan:
    """An expression held by one character over ``[start, end)`` frames of a turn."""

    cast_id: str
    start: int
    end: int
    brows: str | None = None
    eyes: str | None = None
    mouth_set: str | None = None


@dataclass(frozen=True)
class TurnPlan:
    """One turn's performance, in frames relative to the turn's first frame."""

    speaker: str
    frames: int
    mouth: tuple[str, ...]
    emotion: str
    spans: tuple[ExpressionSpan, ...]
    nods: tuple[tuple[str, int], ...]
    sentence_starts: tuple[int, ...]


@dataclass(frozen=True)
class PreparedTurn:
    """A turn ready for air: audio at the show rate, cues, acting plan, caption."""

    index: int
    line: Line
    audio: npt.NDArray[np.int16]
    cues: tuple[MouthCue, ...]
    plan: TurnPlan
    caption: Caption
    timings: dict[str, float]
    ready_at: float = field(default_factory=time.perf_counter)  # for ready-to-air latency
    source: str = "writer"  # or "say": pushed through the studio
    show_id: int | None = None  # the live show it belongs to (None: offline, or pushed)
    continued: bool = False  # more of the same line follows at once (streamed sentence by sentence)
    words: tuple[WordTiming, ...] = ()  # spoken words in ``audio`` (char spans index ``spoken_text``)
    spoken_text: str = ""  # the text ``audio`` speaks (one sentence of a streamed line)
    sample_rate: int = 48_000  # of ``audio``: the show rate

    def heard_text(self, heard_samples: int) -> str:
        """The words of this turn that started within its first ``heard_samples`` (what aired before a cut).

        A turn without word timings counts as heard only once all its audio aired.
        """
        text = self.spoken_text or self.line.text
        if heard_samples >= len(self.audio):
            return text
        heard_s = heard_samples / self.sample_rate
        ends = [w.char_end for w in self.words if w.start < heard_s]
        return text[: max(ends)].strip() if ends else ""

    def resume_point(self, heard_samples: int) -> tuple[int, int]:
        """Where to pick this turn up after a pause at ``heard_samples``: the start of the word it was in.

        Returns (sample, char offset in ``spoken_text``); without word timings, the very start.
        """
        heard_s = heard_samples / self.sample_rate
        started = [w for w in self.words if w.start < heard_s]
        if not started:
            return 0, 0
        word = started[-1]
        return min(len(self.audio), round(word.start * self.sample_rate)), word.char_start
