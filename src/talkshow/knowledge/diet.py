"""What an animal eats, from its gloss or a kind it belongs to: "feeds on eucalyptus leaves and bark" (a koala),
"for feeding on ants and termites" (an anteater), or what it is said to be: herbivorous, carnivorous,
insectivorous, a bird of prey. Nothing is inferred past what the gloss says.
"""

from __future__ import annotations

import re

from talkshow.knowledge.base import KnowledgeBase
from talkshow.knowledge.english import plural, singular
from talkshow.knowledge.glosses import Found, nouns
from talkshow.knowledge.question import Question

__all__ = ["eats"]

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
