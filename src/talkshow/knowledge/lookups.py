"""Which function answers which kind of question: ``ANSWERERS[kind](kb, question) -> (answer, sentence) | None``.

Nothing in them guesses: a number is one the gloss says, a colour one it names, a yes one the
hypernym chain shows (``glosses``: the words of a gloss; ``relations``: WordNet's links and the
country table).
"""

from __future__ import annotations

from collections.abc import Callable

from talkshow.knowledge.animals import becomes, eats, lives_in
from talkshow.knowledge.base import KnowledgeBase
from talkshow.knowledge.compare import compare
from talkshow.knowledge.counts import how_many, how_many_there_are
from talkshow.knowledge.glosses import Found, colour, what_is, who, who_did
from talkshow.knowledge.instruments import measures, used_for
from talkshow.knowledge.people import first_to_use
from talkshow.knowledge.places import where
from talkshow.knowledge.planets import how_many_planets, planet_superlative
from talkshow.knowledge.qualities import is_like
from talkshow.knowledge.question import Question
from talkshow.knowledge.relations import called, country_fact, is_a, known_as, makes, opposite
from talkshow.knowledge.superlatives import superlative
from talkshow.knowledge.which import which
from talkshow.knowledge.yes_no import can, has, has_parts, is_in

__all__ = ["ANSWERERS", "Found"]

Answerer = Callable[[KnowledgeBase, Question], Found]


def _first(*answerers: Answerer) -> Answerer:
    """The first answer of ``answerers``, in order: a table that knows (the planets) before the glosses."""

    def answer(kb: KnowledgeBase, question: Question) -> Found:
        return next((found for ask in answerers if (found := ask(kb, question)) is not None), None)

    return answer


ANSWERERS: dict[str, Answerer] = {
    "how_many": _first(how_many_planets, how_many),
    "colour": colour,
    "what_is": what_is,
    "who": who,
    "who_did": _first(who_did, first_to_use),
    "where": where,
    "is_a": is_a,
    "opposite": opposite,
    "which": _first(planet_superlative, which),
    "called": called,
    "makes": makes,
    "superlative": _first(planet_superlative, superlative),
    "can": can,
    "eats": eats,
    "becomes": becomes,
    "lives_in": lives_in,
    "compare": compare,
    "how_many_there_are": _first(how_many_planets, how_many_there_are),
    "known_as": known_as,
    "measures": measures,
    "has_parts": has_parts,
    "is_in": is_in,
    "has": has,
    "used_for": used_for,
    "yes_no": is_like,
    "capital": lambda kb, q: country_fact(kb, q.subject, "capital"),
    "language": lambda kb, q: country_fact(kb, q.subject, "language"),
    "currency": lambda kb, q: country_fact(kb, q.subject, "currency"),
    "population": lambda kb, q: country_fact(kb, q.subject, "population"),
    "continent": lambda kb, q: country_fact(kb, q.subject, "continent"),
}
