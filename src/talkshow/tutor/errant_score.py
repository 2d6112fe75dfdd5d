"""The checker scored as grammatical error correction is: ERRANT edits, span level, F0.5 per type.

As in the BEA-2019 shared task (``errant_compare``'s default, span-based correction): ERRANT
extracts the edits between the learner's sentence and the gold correction, and between the
learner's sentence and the checker's; an edit of the checker's is right when one of the gold's
has its span and its correction. Precision, recall and F0.5 (precision weighted twice) in all
and per ERRANT type (``R:VERB:TENSE``: a verb's tense replaced; ``M:DET``: a missing
determiner...). Punctuation and capitals are left out on both sides: the learner spoke, and
what the ears write of them is the ears', not the learner's.

The learner set is ``assets/tutor/learner_set_dev.toml`` (tuned on) and ``..._test.toml``
(reported only).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib.resources import files
from typing import Any, Literal

__all__ = ["GecScore", "LearnerPair", "NamedEdit", "TypeCount", "edits", "learner_set", "named_edits"]

IGNORED_TYPES = {"R:PUNCT", "M:PUNCT", "U:PUNCT", "R:ORTH", "UNK"}
Half = Literal["dev", "test"]


@dataclass(frozen=True)
class LearnerPair:
    """A learner's sentence and the same sentence put right (equal: it is correct English)."""

    text: str
    corrected: str


def learner_set(half: Half) -> list[LearnerPair]:
    """The dev or the test half of the bundled learner set."""
    if half not in ("dev", "test"):
        raise ValueError(f"the learner set has a 'dev' and a 'test' half, not {half!r}")
    text = files("talkshow").joinpath(f"assets/tutor/learner_set_{half}.toml").read_text(encoding="utf-8")
    return [LearnerPair(original, corrected) for original, corrected in tomllib.loads(text)["pairs"]]


Edit = tuple[int, int, str, str]  # (start token, end token, corrected words, ERRANT type)


def edits(annotator: Any, original: str, corrected: str) -> list[Edit]:
    """ERRANT's edits from ``original`` to ``corrected``, punctuation and capitals left out."""
    if original == corrected:
        return []
    found = annotator.annotate(annotator.parse(original, tokenise=True), annotator.parse(corrected, tokenise=True))
    return [
        (edit.o_start, edit.o_end, edit.c_str.lower(), edit.type) for edit in found if edit.type not in IGNORED_TYPES
    ]


@dataclass(frozen=True)
class NamedEdit:
    """One ERRANT edit as words: what was said, what is right, and its type."""

    wrong: str
    right: str
    type: str


def named_edits(annotator: Any, original: str, corrected: str) -> list[NamedEdit]:
    """ERRANT's edits from ``original`` to ``corrected`` as words (punctuation and capitals left out)."""
    if original == corrected:
        return []
    found = annotator.annotate(annotator.parse(original, tokenise=True), annotator.parse(corrected, tokenise=True))
    return [NamedEdit(edit.o_str, edit.c_str, edit.type) for edit in found if edit.type not in IGNORED_TYPES]


@dataclass
class TypeCount:
    """True and false positives and misses of one type (or all)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def f(self, beta: float = 0.5) -> float:
        """F-beta: 0.5 weighs precision twice as much as recall, as GEC is scored."""
        p, r = self.precision, self.recall
        return (1 + beta**2) * p * r / (beta**2 * p + r) if p + r else 0.0

    @property
    def precision(self) -> float:
        """Of the checker's edits, the share that were right (1.0 when it made none)."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        """Of the gold edits, the share the checker made (1.0 when there were none)."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def as_dict(self) -> dict[str, Any]:
        """The counts with precision, recall and F0.5, rounded for a report."""
        figures = {"p": self.precision, "r": self.recall, "f0.5": self.f()}
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, **{k: round(v, 3) for k, v in figures.items()}}


@dataclass
class GecScore:
    """Span-level counts in all and per ERRANT type; ``exact``: sentences put right exactly."""

    total: TypeCount = field(default_factory=TypeCount)
    by_type: dict[str, TypeCount] = field(default_factory=dict)
    sentences: int = 0
    exact: int = 0
    misses: list[str] = field(default_factory=list)  # for a report: what went wrong, sentence by sentence

    def add(self, gold: Iterable[Edit], made: Iterable[Edit], sentence: str = "") -> None:
        """One sentence: the gold edits and the checker's."""
        gold_spans = {edit[:3]: edit[3] for edit in gold}
        made_spans = {edit[:3]: edit[3] for edit in made}
        self.sentences += 1
        self.exact += gold_spans.keys() == made_spans.keys()
        for span, kind in gold_spans.items():
            count = self.by_type.setdefault(kind, TypeCount())
            if span in made_spans:
                count.tp += 1
                self.total.tp += 1
            else:
                count.fn += 1
                self.total.fn += 1
                self.misses.append(f"missed {kind} {span[2]!r}: {sentence}")
        for span, kind in made_spans.items():
            if span not in gold_spans:
                self.by_type.setdefault(kind, TypeCount()).fp += 1
                self.total.fp += 1
                self.misses.append(f"false {kind} {span[2]!r}: {sentence}")

    def as_dict(self) -> dict[str, Any]:
        """The whole score, per type sorted by name, for ``talkshow bench tutor``."""
        return {
            "sentences": self.sentences,
            "exact": self.exact,
            "types": len(self.by_type),
            **self.total.as_dict(),
            "by_type": {kind: count.as_dict() for kind, count in sorted(self.by_type.items())},
        }
