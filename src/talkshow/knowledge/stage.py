"""The knowledge stage: a caller's words to a fact from a source, or an honest "no idea", before any model.

``KnowledgeStage.answer(heard, before)`` tries, in order: what the caller said earlier in the call
(``call_facts``); the solvers that need no lookup (a spoken sum, units, the date and time); then
a question the knowledge base answers (``question``, then ``lookups``). It returns None when the
words are not such a question (an opinion, a greeting, the character's own life): the rules or a
model answer those. A question of a fact kind that the knowledge does not hold comes back as
``known=False``: the character says it has no idea, in character, instead of a guess.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from talkshow.knowledge.base import KnowledgeBase
from talkshow.knowledge.build import knowledge_path
from talkshow.knowledge.call_facts import recall
from talkshow.knowledge.lookups import ANSWERERS
from talkshow.knowledge.question import FACT_KINDS, Question, follow_up, understand_question
from talkshow.knowledge.sequences import solve_order
from talkshow.knowledge.solvers import solve_clock, solve_sum, solve_unit

__all__ = ["Answer", "KnowledgeStage", "open_stage"]

SOURCE_NAMES = {"arithmetic": "arithmetic", "units": "units", "the clock": "the clock"}


@dataclass(frozen=True)
class Answer:
    """What the knowledge says to a question: ``answer`` (the word that answers it), ``fact`` (a sentence that
    holds it, from ``source``), or ``known=False`` for an honest no idea."""

    question: Question
    answer: str
    fact: str
    source: str
    known: bool = True
    ms: float = 0.0


class KnowledgeStage:
    """Answers from the solvers and the knowledge base; thread-safe (a context manager)."""

    def __init__(self, base: KnowledgeBase) -> None:
        self.base = base
        base.quiz()  # indexed now (about 15 ms), not in the first caller's answer

    def __enter__(self) -> KnowledgeStage:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the knowledge base."""
        self.base.close()

    def question(self, heard: str, before: tuple[str, ...] = ()) -> Question | None:
        """What ``heard`` asks, a follow-up completed from ``before`` (the caller's earlier words, oldest first)."""
        question = understand_question(heard)
        if question is None:
            return None
        if question.kind == "about" or question.needs_subject:
            earlier = next(
                (q for q in map(understand_question, reversed(before)) if q is not None and not q.needs_subject), None
            )
            if earlier is None:
                return None if question.kind == "about" else question
            question = follow_up(question, earlier)
        return question

    def answer(self, heard: str, before: tuple[str, ...] = ()) -> Answer | None:
        """The fact that answers ``heard``, an honest no idea, or None if it is not a question of fact."""
        started = time.perf_counter()
        remembered = recall(heard, before)
        if remembered is not None:  # the caller said it earlier in the call
            return Answer(Question("call", text=heard), *remembered, "the call", ms=_ms(started))
        solved = solve_sum(heard) or solve_unit(heard) or solve_order(heard) or solve_clock(heard)
        if solved is not None:
            question = Question(solved.kind, text=heard)
            return Answer(question, solved.answer, solved.fact, solved.source, ms=_ms(started))
        asked = self.question(heard, before)
        if asked is None or asked.kind not in FACT_KINDS:
            return None
        question = asked
        answerer = ANSWERERS.get(question.kind)
        found = answerer(self.base, question) if answerer and question.subject else None
        if found is None:  # what the glosses and tables do not hold, a quiz may ask the same way
            found = self.base.quiz().answer(heard)
        if found is None:
            return Answer(question, "", "", "", known=False, ms=_ms(started))
        word, fact = found[0], found[1]
        by_country = question.kind in ("capital", "language", "currency", "population", "continent")
        by_country = by_country or (question.kind == "superlative" and question.subject in ("country", "nation"))
        source = found[2] if len(found) == 3 else "countries" if by_country else "WordNet"
        return Answer(question, word, fact, source, ms=_ms(started))


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def open_stage(path: Path | None = None) -> KnowledgeStage:
    """The stage on the knowledge base setup built (or ``path``)."""
    return KnowledgeStage(KnowledgeBase(path or knowledge_path()))
