"""What an instrument measures, as its gloss says: "measuring instrument for measuring temperature" (a
thermometer), "an instrument that measures atmospheric pressure" (a barometer), "a measuring instrument for
weighing" (a scale). Nothing is said that the gloss does not say.
"""

from __future__ import annotations

import re

from talkshow.knowledge.base import KnowledgeBase
from talkshow.knowledge.english import a_or_an, singular
from talkshow.knowledge.glosses import Found, nouns
from talkshow.knowledge.question import Question

__all__ = ["measures"]

_MEASURES = re.compile(
    r"\b(?:(?:for|and) (?:detecting and )?measuring|that measures(?: and displays)?|measures(?: and displays)?|"
    r"for recording|for weighing)\b(?: (?:the |its |an? )?(?P<what>[a-z][a-z -]*?))?(?=[;,.(]| in | by | on |$)"
)
_UNSAID = {"weighing": "weight"}  # "a measuring instrument for weighing" measures weight


def measures(kb: KnowledgeBase, question: Question) -> Found:
    """What ``question.subject`` measures, where its gloss says it measures (or records, or weighs) something."""
    thing = singular(question.subject)
    for sense in nouns(kb, thing, 3):
        if sense.lexname != "noun.artifact":
            continue
        said = _MEASURES.search(sense.definition)
        if not said:
            continue
        verb = said.group(0).split()[-1] if not said.group("what") else ""
        what = said.group("what") or _UNSAID.get(verb, "")
        if not what:
            continue
        words = what.split()[:10]
        while words and words[-1] in ("of", "and", "the", "a", "an", "or", "to"):
            words.pop()  # cut where the gloss went on: "... and duration of" -> "... and duration"
        what = " ".join(words)
        return what, f"{a_or_an(thing).capitalize()} {thing} measures {what}"
    return None
