"""What an animal eats, what its young grow into, and whether it lives somewhere, as the glosses say.

What it eats: "feeds on eucalyptus leaves and bark" (a koala), "for feeding on ants and termites" (an
anteater), or what it is said to be: herbivorous, carnivorous, insectivorous, a bird of prey. What it
becomes: "larva of a butterfly or moth" (a caterpillar), "a larval frog or toad" (a tadpole). Whether it
lives at the North Pole: from where its gloss says it lives. Nothing is inferred past what the gloss says.
"""

from __future__ import annotations

import re

from talkshow.knowledge.base import KnowledgeBase
from talkshow.knowledge.english import plural, singular
from talkshow.knowledge.glosses import Found, first_class, nouns, of_its_class
from talkshow.knowledge.places import where
from talkshow.knowledge.question import Question

__all__ = ["becomes", "eats", "lives_in"]

_FEEDS_ON = re.compile(
    r"\b(?:feeds?|feeding|preys?|preying) (?:chiefly |mainly |mostly |largely |primarily |)on "
    r"(?P<food>[a-z][a-z -]*?(?: and [a-z][a-z -]*?)?)(?=[;,.]|$| that| which| of the| in | by )"
)
_EATING = re.compile(r"\b(?P<food>[a-z]+)-eating\b")  # "fish-eating", "insect-eating"
# Foods said without a plural ("flesh-eating": cats eat flesh, not "fleshes"); the rest are counted ("insects").
_UNCOUNTED_FOODS = frozenset({"flesh", "meat", "fish", "grass", "plankton", "fruit", "honey", "nectar", "blood",
                              "carrion", "seaweed", "sap", "pollen", "bamboo", "wood"})  # fmt: skip
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
        for holder in (sense, *kb.ancestors(sense.id, depth=2)[:3]):
            gloss = holder.definition
            food = _FEEDS_ON.search(gloss) or _EATING.search(gloss)
            if food:
                said = food.group("food").strip()
                said = plural(said) if food.re is _EATING and said not in _UNCOUNTED_FOODS else said
                return said, f"{animals} eat {said}"
            kind = _KIND.search(gloss)
            if kind:
                said, what = _BY_KIND[kind.group(1)], kind.group(1)
                what = "birds of prey" if what == "bird of prey" else what  # "Owls are birds of prey"
                return said, f"{animals} are {what}: they eat {said}"
    return _eats_by_class(kb, animal)


# What an animal eats by the class it belongs to, where no gloss on its way up says (a cow is a bovid, a ruminant,
# "cud-chewing"; none says "grass"): talkshow's own table of what every schoolbook says, for the classes whose
# members all eat alike, looked up by the kinds WordNet puts the animal in. Rodents, carnivores (a panda is one)
# and primates are not in it: their members differ.
EATS_SOURCE = "WordNet and talkshow's table of what animals eat by class"
_EATS_BY_CLASS = (
    ("bovid", "grass and other plants"),  # cattle, sheep, goats, antelopes: grazers
    ("ruminant", "plants"),  # deer and giraffes browse leaves more than graze
    ("lagomorph", "grass and other plants"),
    ("equine", "grass and other plants"),
    ("frog", "insects and other small animals"),
)


def _eats_by_class(kb: KnowledgeBase, animal: str) -> Found:
    """ "A cow is a ruminant, and ruminants eat grass and other plants"."""
    for sense in nouns(kb, animal, 2):
        row = first_class(kb, sense, _EATS_BY_CLASS) if sense.lexname == "noun.animal" else None
        if row is not None:
            kind_name, food, itself = row
            return food, of_its_class(animal, kind_name, f"{plural(kind_name)} eat {food}", itself), EATS_SOURCE
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


_CONTINENTS = ("africa", "asia", "europe", "australia", "antarctica", "north america", "south america")
_POLES = {"north": ("north pole", "arctic"), "south": ("south pole", "antarctic", "antarctica", "southern")}


def lives_in(kb: KnowledgeBase, question: Question) -> Found:
    """ "Do penguins live at the North Pole?": yes where the gloss's place names the one asked about (or the same
    pole); no where it names another pole, continent or country ("cold southern especially Antarctic regions");
    else no answer."""
    found = where(kb, Question("where", question.subject, "", question.text))
    if found is None:
        return None
    place, fact = found[0], found[1]
    asked, said = question.detail.lower().removeprefix("the "), place.lower()
    same = _same_place(kb, asked, said)
    if same is None:
        return None
    return ("yes", f"Yes. {fact}") if same else ("no", f"No. {fact}")


def _same_place(kb: KnowledgeBase, asked: str, said: str) -> bool | None:
    """Whether ``said`` (the gloss's place) is ``asked``: True if it names it or the same pole, False if it names
    the other pole, another continent or a country, None if the two cannot be told apart from the words."""
    if re.search(rf"\b{re.escape(asked)}\b", said) or re.search(rf"\b{re.escape(said)}\b", asked):
        return True
    asked_pole = {side for side, words in _POLES.items() if any(re.search(rf"\b{w}\b", asked) for w in words)}
    said_pole = {side for side, words in _POLES.items() if any(re.search(rf"\b{w}\b", said) for w in words)}
    if asked_pole and said_pole:
        return bool(asked_pole & said_pole)
    asked_region = asked in _CONTINENTS or kb.country(asked) is not None
    said_region = any(re.search(rf"\b{c}\b", said) for c in _CONTINENTS) or kb.country(said) is not None
    return False if asked_region and said_region else None
