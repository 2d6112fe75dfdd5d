"""How well the checker finds a learner's errors: precision and recall on a labelled set of sentences.

A labelled error counts as found when a finding covers its wrong words and its correction holds the
right ones (case aside); every other finding is a false correction. The bundled set is
``assets/tutor/learner_sentences.toml``; the same score is taken on typed text and on what the ears
heard of it spoken (``talkshow bench tutor``).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib.resources import files

from talkshow.tutor.findings import Finding

__all__ = ["LabelledError", "LabelledSentence", "Score", "labelled_sentences", "score_sentence"]


@dataclass(frozen=True)
class LabelledError:
    """One error a sentence has: its kind, the wrong words and what is right."""

    kind: str
    wrong: str
    right: str


@dataclass(frozen=True)
class LabelledSentence:
    """A learner's sentence and the errors it has (none: it is correct English)."""

    text: str
    errors: tuple[LabelledError, ...]


@dataclass
class Score:
    """Found, missed and false corrections, in all and by kind."""

    found: int = 0
    missed: int = 0
    false: int = 0
    by_kind: dict[str, list[int]] = field(default_factory=dict)  # kind -> [found, missed]

    @property
    def precision(self) -> float:
        """Of the corrections made, the share that were right."""
        return self.found / (self.found + self.false) if self.found + self.false else 1.0

    @property
    def recall(self) -> float:
        """Of the errors there were, the share corrected."""
        return self.found / (self.found + self.missed) if self.found + self.missed else 1.0


def labelled_sentences() -> list[LabelledSentence]:
    """The bundled labelled learner sentences."""
    text = files("talkshow").joinpath("assets/tutor/learner_sentences.toml").read_text(encoding="utf-8")
    return [
        LabelledSentence(s["text"], tuple(LabelledError(*e) for e in s["errors"]))
        for s in tomllib.loads(text)["sentence"]
    ]


def _norm(text: str) -> str:
    return " ".join(text.lower().replace("’", "'").strip(" .,!?").split())


def matches(finding: Finding, error: LabelledError) -> bool:
    """Whether ``finding`` corrects ``error``."""
    wrong, right = _norm(error.wrong), _norm(error.right)
    return wrong in _norm(finding.wrong) and (right in _norm(finding.right) or (not right and not finding.right))


def score_sentence(sentence: LabelledSentence, findings: list[Finding], score: Score) -> list[str]:
    """Add one sentence's outcome to ``score``; what went wrong, as text (for a report)."""
    notes: list[str] = []
    used: set[int] = set()
    for error in sentence.errors:
        tally = score.by_kind.setdefault(error.kind, [0, 0])
        hit = next((i for i, f in enumerate(findings) if i not in used and matches(f, error)), None)
        if hit is None:
            score.missed += 1
            tally[1] += 1
            notes.append(f"missed {error.kind}: {error.wrong!r} -> {error.right!r}")
        else:
            used.add(hit)
            score.found += 1
            tally[0] += 1
    for i, finding in enumerate(findings):
        if i not in used:
            score.false += 1
            notes.append(f"false correction: {finding.wrong!r} -> {finding.right!r}")
    return notes
