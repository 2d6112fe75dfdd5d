"""The learner's errors in what they said: Harper's grammar checker and the learner rules, together.

Harper (``harper-py``: Automattic's Rust checker, offline, in its wheel) finds the errors of
written English it knows ("buyed", "she don't", "an test", "since five years"); the learner
rules (``learner_rules``) the ones learners make that it does not look for. Only Harper's
grammar kinds are kept: what it says of spelling, capitals and punctuation is about writing,
and here the text is what the ears heard, which has none of the learner's own.

A finding on a word the ears were unsure of may be the ears' error, not the learner's: it is kept
apart (``Check.doubtful``), and the tutor asks and corrects at once ("Did you say 'can sings'? If
so, we say 'can sing'."), so a learner is never left uncorrected because the ears were unsure.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from talkshow.core.errors import InputError
from talkshow.core.kinds.hearing import HeardWord
from talkshow.tutor.findings import Finding, apply_findings
from talkshow.tutor.learner_rules import learner_findings
from talkshow.tutor.words import lemmas

__all__ = ["Check", "GrammarChecker", "HeardWord"]

FUSED = {"cannot", "into", "onto"}  # closed compounds the lexicon has no entry for, as it has none for 'in'
POSSESSIVE_DETERMINERS = {"my", "your", "his", "her", "its", "our", "their"}
TIMES_OF_SAYING = {"yesterday", "today", "tomorrow", "tonight", "now", "then", "again", "later", "soon", "before"}
MAX_CHARS = 600  # a spoken turn of 20 s at most; longer text is not a learner's sentence
# Harper's lint kinds that are about grammar (the rest are spelling, capitals, punctuation and style).
HARPER_KINDS = {
    "Agreement": "agreement",
    "Grammar": "tense",
    "Miscellaneous": "word_choice",
    "Redundancy": "word_choice",
    "WordChoice": "word_choice",
    "Usage": "word_choice",
}


@dataclass(frozen=True)
class Check:
    """What the checker made of one turn: the corrections, the words to ask about, the sentence put right."""

    text: str
    findings: tuple[Finding, ...]
    unsure: tuple[str, ...] = ()  # words the ears were unsure of, where a finding was (asked about first)
    doubtful: tuple[Finding, ...] = ()  # the findings on those words: "Did you say 'can sings'? If so, ..."
    ms: float = 0.0
    harper: tuple[Finding, ...] = field(default=(), repr=False)  # Harper's own, before the rules were joined

    @property
    def corrected(self) -> str:
        """The learner's sentence with every correction made."""
        return apply_findings(self.text, list(self.findings))

    @property
    def corrected_if_heard_right(self) -> str:
        """The sentence with the doubtful corrections made too (the tutor asks and corrects those at once)."""
        return apply_findings(self.text, sorted([*self.findings, *self.doubtful], key=lambda f: f.start))


class GrammarChecker:
    """Finds a learner's errors (thread-safe; one Harper linter, built once: about a second)."""

    def __init__(self) -> None:
        from harper import Dialect, Linter

        self._linter: Any = Linter(Dialect.AMERICAN)
        self._lock = threading.Lock()  # a Harper linter is not thread-safe

    def check(self, text: str, heard: Iterable[HeardWord] = (), floor: float = 0.5) -> Check:
        """The errors in ``text``; ``heard``: the ears' words with confidences, if they gave them (a word
        heard with less than ``floor`` is asked about, never corrected)."""
        if len(text) > MAX_CHARS:
            raise InputError(f"the learner's turn is {len(text)} characters; the checker takes {MAX_CHARS}")
        started = time.perf_counter()
        harper = self._harper(text)
        found: list[Finding] = learner_findings(text)  # first: they explain in a learner's terms
        for finding in harper:
            if not any(finding.overlaps(other) or _inserts_before(finding, other) for other in found):
                found.append(finding)
        found.sort(key=lambda f: f.start)
        doubtful = {w.text.lower().strip(".,!?") for w in heard if w.confidence < floor}
        sure, unsure, asked = [], [], []
        for finding in found:
            touched = {w.lower().strip(".,!?") for w in finding.wrong.split()}
            if touched & doubtful:
                unsure.extend(sorted(touched & doubtful))
                asked.append(finding)
            else:
                sure.append(finding)
        ms = (time.perf_counter() - started) * 1000
        return Check(text, tuple(sure), tuple(dict.fromkeys(unsure)), tuple(asked), ms, tuple(harper))

    def _harper(self, text: str) -> list[Finding]:
        from harper import Language

        with self._lock:
            lints = self._linter.lint(text, language=Language.PLAINTEXT)
        out: list[Finding] = []
        for lint in lints:
            kind = HARPER_KINDS.get(lint.lint_kind)
            if kind is None or not lint.suggestions:
                continue
            right = _replacement(lint.problem_text, lint.suggestions[0])
            start, end = lint.span.start, lint.span.end
            if _rare_compound(lint.problem_text, right) or _possessive_before_a_time(text[end:], right):
                continue
            if lint.problem_text.lower() in ("a", "an") and right in ("a", "an"):
                kind = "article"
            elif kind == "tense" and "VERB" not in lemmas(right) and "NOUN" in lemmas(right):
                kind = "plural"  # "childs", "informations": a noun's number, not a verb's tense
            out.append(Finding(start, end, lint.problem_text, right, kind, _plain(lint.message), "harper"))
        return out


def _rare_compound(problem: str, right: str) -> bool:
    """Whether Harper joins two words into one the lexicon does not know ("his car very fast" -> "carvery"):
    a closed compound a learner never meant, where "some times" -> "sometimes" is kept."""
    joined = problem.replace(" ", "")
    return " " in problem and right.lower() == joined.lower() and not lemmas(right) and joined.lower() not in FUSED


def _possessive_before_a_time(after: str, right: str) -> bool:
    """Whether Harper makes a pronoun possessive before a time ("I thought about you yesterday" -> "your
    yesterday"): a time there is when it happened, not a thing owned."""
    following = after.split(maxsplit=1)[0].strip(".,!?").lower() if after.strip() else ""
    return right.lower() in POSSESSIVE_DETERMINERS and following in TIMES_OF_SAYING


def _inserts_before(harper: Finding, rule: Finding) -> bool:
    """Whether Harper's finding inserts words just before a rule's ("want" + " to" beside "learn" -> "to learn")."""
    return harper.right.startswith(harper.wrong) and harper.end <= rule.start <= harper.end + 1


def _replacement(problem: str, suggestion: Any) -> str:
    """What replaces ``problem``: Harper's suggestion may also be an insertion after it or a removal."""
    from harper import SuggestionKind

    if suggestion.kind == SuggestionKind.INSERT_AFTER:  # "want learn" -> "want" + " to"
        return problem + str(suggestion.replacement_text)
    if suggestion.kind == SuggestionKind.REMOVE:
        return ""
    return str(suggestion.replacement_text)


def _plain(message: str) -> str:
    """Harper's message as the tutor says it: one sentence, no markup."""
    text = message.replace("`", "'").strip()
    return text if text.endswith((".", "!", "?")) else text + "."
