"""A thing named by how many parts it has: "a shape with three sides" is the noun glossed "a three-sided polygon"
that is a kind of shape (a triangle); "four equal sides" also needs "equal" in the gloss (a square)."""

from __future__ import annotations

import re

from talkshow.knowledge.base import KnowledgeBase
from talkshow.knowledge.english import a_or_an, clause
from talkshow.knowledge.glosses import Found
from talkshow.knowledge.numbers import NUMBER_WORDS

__all__ = ["named_by_parts"]

_WITH_PARTS = re.compile(
    r"^(?:a |an )?(?P<kind>[a-z]+) (?:with|that has|having) (?P<number>[a-z]+|\d+) "
    r"(?:(?P<how>[a-z]+) )?(?P<part>[a-z]+)s$"
)


def named_by_parts(kb: KnowledgeBase, subject: str) -> Found:
    """ "a shape with three sides": the noun glossed "a three-sided polygon" that is a kind of shape (a triangle)."""
    match = _WITH_PARTS.match(subject)
    if match is None or match["number"] not in NUMBER_WORDS - {"and"}:
        return None
    part = match["part"]
    having = part + "d" if part.endswith("e") else part + "ged" if part == "leg" else part + "ed"  # sided, legged
    kind, sided = match["kind"], f"{match['number']}-{having}"
    for sense in kb.search(sided, limit=10):
        described = not match["how"] or re.search(rf"\b{match['how']}\b", sense.definition)  # "four equal sides"
        if (
            sense.pos == "n"
            and sided in sense.definition
            and described
            and kind in {a.head for a in kb.ancestors(sense.id)}
        ):
            said = clause(sense.definition, sided)
            return (
                sense.head,
                f"{a_or_an(subject).capitalize()} {subject} is called {a_or_an(sense.head)} {sense.head}: {said}",
            )
    return None
