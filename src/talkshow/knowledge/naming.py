"""How a thing the source names is said in a sentence: as a name ("Rome"), as a kind with an article ("a Great
Dane", "a Bactrian camel"), or as the one there is ("the Nile", "the Pacific Ocean"), taken from the source's own
spellings, its other names for the thing and its lexicographer file."""

from __future__ import annotations

import re

from talkshow.knowledge.base import Sense

__all__ = ["agreeing", "named"]


def named(sense: Sense, subject: str) -> tuple[str, bool]:
    """The subject as the source spells it ("Rome", "spider", "Bactrian camel"), and whether it is a name: a
    capital followed by a common noun is a kind of thing, said with an article ("a Bactrian camel"), and so is a
    breed or a variety ("a Great Dane", "a Granny Smith"). A sea, a river, a desert or a range is "the" one, as
    the source's other names for it show ("Pacific Ocean", "Nile River", "the Alps"): "the Pacific Ocean"."""
    word = next((w for w in sense.words if w.lower() == subject.lower()), sense.head)
    capital = word[:1].isupper()
    proper = capital and not re.search(r" [a-z]+$", word) and sense.lexname not in _KINDS_OF_LIVING_THINGS
    if proper and any(_TAKES_THE.search(w) for w in sense.words) and not word.startswith("the "):
        word = f"the {word}"
    return (word if capital else subject), proper


_KINDS_OF_LIVING_THINGS = frozenset(("noun.animal", "noun.plant", "noun.food"))  # breeds and varieties
_TAKES_THE = re.compile(r"\b(?:Ocean|Sea|River|Desert|Mountains|Gulf|Canal|Channel|Islands)\b|^the ")


def agreeing(said: str, spelled: str, sense: Sense) -> str:
    """A range is many: "The Alps are a large mountain system", not "is". The source says so where it names the
    thing with "the" as it is ("the Alps") or as mountains ("Himalaya Mountains"); "the United States" (named so
    for "the States") and "the Bahamas" (a country) stay one."""
    if not spelled.startswith("the ") or not re.search(r"[^s]s$", spelled):
        return said
    name = spelled[4:]
    if any(w == f"the {name}" or w.endswith(" Mountains") for w in sense.words):
        return re.sub(rf"^(The {re.escape(name)}) is ", r"\1 are ", said)
    return said
