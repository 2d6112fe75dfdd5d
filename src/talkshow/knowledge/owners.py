"""Which animal has a part, from the part's own gloss: "quill: a stiff hollow protective spine on a porcupine or
hedgehog", "tusk: ... especially in an elephant or walrus or hog".

An animal's gloss seldom names its parts (the porcupine's says "bristles", not "quills"), but a part's gloss
often names whose it is. Only a part asked for alone counts ("which animal has quills", not "a long neck" or
"eight legs": those are the animal's own gloss's to say), and a gloss that names animals it is not on ("mouth of
animals other than birds") is not read.
"""

from __future__ import annotations

import re

from talkshow.knowledge.base import KnowledgeBase, Sense
from talkshow.knowledge.english import clause, singular, statement
from talkshow.knowledge.glosses import Found, nouns, own_senses

__all__ = ["part_owner"]

_PART_FILES = ("noun.animal", "noun.body")
_DEPTH_SPREAD = 3  # owners this many kinds less deep than the deepest named are too wide to be the answer
# Where a gloss names the part's owner: "on a porcupine", "of a bird", "in an elephant", "(as a marsupial or ...)",
# "as e.g. a cat"; a list of owners runs on with "or" and commas.
_OWNERS = re.compile(
    r"\b(?:as of|as e\.g\.|e\.g\.|such as|on|of|in|as)\s+(?:an?\s+|the\s+|certain\s+|some\s+|many\s+|most\s+)?"
    r"([a-z]+(?:(?:,\s+|\s+or\s+|\s+and\s+)(?:an?\s+)?[a-z]+)*)"
)


def part_owner(kb: KnowledgeBase, part: str, kinds: set[int]) -> Found:
    """The animal of one of ``kinds`` that the gloss of ``part`` (one noun) names as having it, the narrowest named
    first ("most mammals as e.g. a cat": the cat); None if no gloss of the part names one."""
    for sense in kb.senses(singular(part), "n"):
        text = sense.definition.lower()
        if sense.lexname not in _PART_FILES or re.search(r"\bother than\b|\bhuman\b", text):
            continue  # "mouth of animals other than birds"; "hair covering the scalp of a human being" is no mane
        named = _named(kb, text)
        above = {animal.id: {a.id for a in kb.ancestors(animal.id)} for animal in named}  # each animal's kinds, once
        owners = [owner for owner in named if kinds & above[owner.id]]
        narrowest = [o for o in owners if not any(o.id in above[p.id] for p in owners)]
        # "such as arthropods and turtles": a phylum named beside a kind of reptile is the wider word (8 kinds deep
        # against 13); the turtle answers. Owners of about one depth ("an elephant or walrus or hog") keep their order.
        deepest = max((len(above[o.id]) for o in narrowest), default=0)
        narrowest = [o for o in narrowest if len(above[o.id]) >= deepest - _DEPTH_SPREAD]
        if narrowest:
            name = next((w for w in narrowest[0].words if w[:1].islower()), narrowest[0].head)
            return name, statement(singular(part), _saying(sense.definition, name))
    return None


def _saying(definition: str, owner: str) -> str:
    """The piece of ``definition`` that names ``owner``, its brackets opened: "saclike structure in any of various
    animals (as a marsupial or gopher)" keeps the marsupial, and "(anatomy)", which does not name it, goes."""
    pieces = [p.strip() for p in definition.split(";")]
    at = next((i for i, p in enumerate(pieces) if re.search(rf"\b{re.escape(owner)}", p, re.IGNORECASE)), None)
    if at is None:
        return clause(definition)
    # "tooth specialized for fighting or digging; especially in an elephant": the thing, then whose it is
    piece = pieces[at] if at == 0 else f"{pieces[0]}, {pieces[at]}"
    piece = re.sub(r"\(([^)]*)\)", lambda found: found.group(1) if owner in found.group(1) else "", piece)
    return re.sub(r"\s+", " ", piece).strip(" ,")


def _named(kb: KnowledgeBase, text: str) -> list[Sense]:
    """The animals ``text`` names after a word that says whose ("on", "of", "in", "as"), in the order named."""
    found: list[Sense] = []
    for match in _OWNERS.finditer(text):
        for word in re.split(r",\s+|\s+or\s+|\s+and\s+", match.group(1)):
            word = singular(re.sub(r"^an?\s+", "", word))
            animal = next(iter(nouns(kb, word, 1)), None)  # the word's likeliest sense
            if animal is not None and animal.lexname == "noun.animal" and animal.id not in {s.id for s in found}:
                if not _first_meaning(kb, word, animal):
                    continue  # "the heads of certain ungulates": a head is "a single domestic animal" only in a count
                found.append(animal)
    return found


def _first_meaning(kb: KnowledgeBase, word: str, animal: Sense) -> bool:
    """Whether the animal is what ``word`` first means, or comes after only its meat ("chicken" is first the food),
    among the senses the word names first ("turtle" is first "turtleneck; turtle; polo-neck", the sweater)."""
    first = next(iter(own_senses(kb, word, kb.senses(word, "n"))), None)
    return first is not None and (first.id == animal.id or first.lexname == "noun.food")
