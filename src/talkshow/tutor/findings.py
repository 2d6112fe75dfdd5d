"""What the checker finds in a learner's sentence: one error, where it is, how to say it right and why."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from talkshow.tutor.words import cased_like

__all__ = ["KINDS", "Finding", "Spanned", "apply_findings", "finding_over", "pattern_rule", "patterns_rule"]

# The kinds of learner error the tutor names (a report counts mistakes by these).
KINDS = ("tense", "agreement", "article", "plural", "preposition", "word_order", "word_choice", "word_form",
         "verb_form", "comparative", "pronoun", "missing_word")  # fmt: skip


class Spanned(Protocol):
    """Anything with a span in the text (a word)."""

    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


@dataclass(frozen=True)
class Finding:
    """One error in ``text[start:end]``: ``wrong`` is that text, ``right`` what replaces it.

    ``why`` is the rule in one short sentence; ``source`` says who found it ("harper" or "rules").
    """

    start: int
    end: int
    wrong: str
    right: str
    kind: str
    why: str
    source: str = "rules"

    def overlaps(self, other: Finding) -> bool:
        """Whether the two cover any of the same characters."""
        return self.start < other.end and other.start < self.end


def apply_findings(text: str, findings: list[Finding]) -> str:
    """``text`` with every finding's ``right`` in place of its span (findings must not overlap)."""
    out = text
    for finding in sorted(findings, key=lambda f: f.start, reverse=True):
        out = out[: finding.start] + finding.right + out[finding.end :]
    return " ".join(out.split())


def finding_over(text: str, first: Spanned, last: Spanned, right: str, kind: str, why: str) -> Finding:
    """A finding from ``first``'s start to ``last``'s end, replaced by ``right``."""
    return Finding(first.start, last.end, text[first.start : last.end], right, kind, why)


def pattern_rule(
    pattern: str, right: Callable[[re.Match[str]], str], kind: str, why: str
) -> Callable[[str], list[Finding]]:
    """A rule that finds ``pattern`` (case aside) and replaces each match with ``right(match)``; a match that
    ``right`` turns down ("" or the match itself) is not an error, and the search goes on from its next letter
    (so "She speaks English very good" is still found from "speaks" when "She" is turned down)."""
    compiled = re.compile(pattern, re.IGNORECASE)

    def find(text: str) -> list[Finding]:
        out = []
        at = 0
        while (match := compiled.search(text, at)) is not None:
            fixed = right(match)
            if fixed and fixed != match[0]:
                out.append(Finding(match.start(), match.end(), match[0], cased_like(match[0], fixed), kind, why))
                at = match.end()
            else:
                at = match.start() + 1
        return out

    return find


def patterns_rule(
    patterns: Sequence[Callable[[str], list[Finding]]],
) -> Callable[[str, Sequence[object]], list[Finding]]:
    """One checker rule made of text patterns (``pattern_rule``s): every finding of each, in order.

    It takes the checker's words as every rule does, and leaves them: the patterns read the text.
    """

    def rule(text: str, words: Sequence[object]) -> list[Finding]:
        del words
        return [finding for find in patterns for finding in find(text)]

    return rule
