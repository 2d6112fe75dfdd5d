"""What an animal eats, and what its young grow into, as the glosses say.

What it eats: "feeds on eucalyptus leaves and bark" (a koala), "for feeding on ants and termites" (an
anteater), or what it is said to be: herbivorous, carnivorous, insectivorous, a bird of prey. What it
becomes: "larva of a butterfly or moth" (a caterpillar), "a larval frog or toad" (a tadpole). Nothing is
inferred past what the gloss says.
"""

from __future__ import annotations

import re

from talkshow.knowledge.base import KnowledgeBase
from talkshow.knowledge.english import plural, singular
from talkshow.knowledge.glosses import Found, nouns
from talkshow.knowledge.question import Question

__all__ = ["becomes", "eats"]

_FEEDS_ON = re.compile(
    r"\b(?:feeds?|feeding|preys?|preying) (?:chiefly |mainly |mostly |largely |primarily |)on "
    r"(?P<food>[a-z][a-z -]*?(?: and [a-z][a-z -]*?)?)(?=[;,.]|$| that| which| of the| in | by )"
)
_EATING = re.compile(r"\b(?P<food>[a-z]+)-eating\b")  # "fish-eating", "insect-eating"
_BY_KIND = {
    "herbivorous": "plants",
    "carnivorous": "meat",
    "insectivorous": "insects",
    "omnivorous": "plants and animals",
    "predatory": "other animals",
    "bird of prey": "other animals",
    "frugivorous": "fruit",
}
_KIND = re.compile(r"\b(" + "|".join(re.escape(k) for k in _BY_KIND) + r")\b")


def eats(kb: KnowledgeBase, question: Question) -> Found:
    """What ``question.subject`` eats, as its gloss (or a kind it belongs to, two steps up) says it."""
    animal = singular(question.subject)
    animals = plural(animal).capitalize()
    for sense in nouns(kb, animal, 2):
        if sense.lexname != "noun.animal":
            continue
        for where in (sense, *kb.ancestors(sense.id, depth=2)[:3]):
            gloss = where.definition
            food = _FEEDS_ON.search(gloss) or _EATING.search(gloss)
            if food:
                said = food.group("food").strip()
                said = plural(said) if food.re is _EATING else said
                return said, f"{animals} eat {said}"
            kind = _KIND.search(gloss)
            if kind:
                said, what = _BY_KIND[kind.group(1)], kind.group(1)
                what = "birds of prey" if what == "bird of prey" else what  # "Owls are birds of prey"
                return said, f"{animals} are {what}: they eat {said}"
    return None


_GROWS_INTO = re.compile(
    r"\b(?:larva|larvae|young|pupa|nymph|caterpillar) of (?:a |an |the )?"
    r"(?:certain |some |various |many |most )?(?:domestic )?"
    r"(?P<adult>[a-z]+(?: or (?:a |an )?[a-z]+)?)"
    r"|\blarval (?P<larval>[a-z]+(?: or [a-z]+)?)"
    r"|^(?:an? )?young (?:domestic )?(?P<young>[a-z]+)$"  # "young domestic cat" (a kitten), "a young dog"
)


def becomes(kb: KnowledgeBase, question: Question) -> Found:
    """What ``question.subject`` grows into, where its gloss calls it the larva or young of something."""
    young = singular(question.subject)
    for sense in nouns(kb, young, 2):
        if sense.lexname != "noun.animal":
            continue
        grown = _GROWS_INTO.search(sense.definition)
        if grown:
            adult = grown.group("adult") or grown.group("larval") or grown.group("young")
            return adult, f"{plural(young).capitalize()} grow into {_plural_words(adult)}"
    return None


def _plural_words(adults: str) -> str:
    """ "butterfly or moth" -> "butterflies or moths"."""
    return " or ".join(plural(singular(word.removeprefix("a ").removeprefix("an "))) for word in adults.split(" or "))
