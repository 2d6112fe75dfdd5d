"""What an instrument measures (or finds, or shows), as its gloss says: "measuring instrument for measuring
temperature" (a thermometer), "an instrument that measures atmospheric pressure" (a barometer), "a measuring
instrument for weighing" (a scale), "navigational instrument for finding directions" (a compass). Nothing is
said that the gloss does not say.
"""

from __future__ import annotations

import re

from talkshow.knowledge.base import KnowledgeBase
from talkshow.knowledge.english import a_or_an, clause, singular
from talkshow.knowledge.glosses import Found, nouns
from talkshow.knowledge.question import Question

__all__ = ["measures", "used_for"]

_MEASURES = re.compile(
    r"\b(?:(?:for|and) (?:detecting and )?measuring|that measures(?: and displays)?|measures(?: and displays)?|"
    r"for recording|for weighing|for finding|for indicating|that indicates|for showing|that shows)\b"
    r"(?: (?:the |its |an? )?(?P<what>[a-z][a-z -]*?))?(?=[;,.(]| in | by | on |$)"
)
_UNSAID = {"weighing": "weight"}  # "a measuring instrument for weighing" measures weight
# What the sentence says it does, where the gloss says more than "measures": "for finding directions" (a compass).
_DOES = {"finding": "is for finding", "indicat": "shows", "show": "shows", "recording": "records"}


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
        does = next((verb for word, verb in _DOES.items() if word in said.group(0)), "measures")
        if does == "shows" and f"the {what}" in sense.definition:
            what = f"the {what}"  # "shows the time of day"; a measure is said bare ("measures temperature")
        return what, f"{a_or_an(thing).capitalize()} {thing} {does} {what}"
    return None


def used_for(kb: KnowledgeBase, question: Question) -> Found:
    """ "What do we use to measure temperature?": the thing whose gloss says it is for doing that to it
    ("measuring instrument for measuring temperature": a thermometer), the doing and the thing side by side."""
    verb, thing = question.detail, question.subject
    doing = _gerund(verb)
    things = "|".join(re.escape(t) for t in dict.fromkeys([thing, singular(thing)]))  # "holes", "a hole"
    said = rf"\b(?:for {doing}|to {verb}|that {verb}s?|used to {verb}) (?:the |a |an |(?:[a-z]+ )?)(?:{things})\b"
    for sense in kb.search(doing, thing, lexname="noun.artifact", limit=10) + kb.search(
        verb, thing, lexname="noun.artifact", limit=10
    ):
        if re.search(said, sense.definition):
            name = sense.head
            return name, f"To {verb} {thing} we use {a_or_an(name)} {name}: {clause(sense.definition, thing)}"
    return None


def _gerund(verb: str) -> str:
    """ "measure" -> "measuring", "cut" -> "cutting", "see" -> "seeing"."""
    if verb.endswith("e") and not verb.endswith(("ee", "ye", "oe")):
        return verb[:-1] + "ing"
    short = len(verb) == 3 and verb[0] not in "aeiou" and verb[1] in "aeiou" and verb[2] not in "aeiouwxy"
    return verb + verb[-1] + "ing" if short else verb + "ing"
