"""A part or an ability said as one adjective of WordNet's: "has a hump" is "one-humped" ("having one hump"), "has no
legs" is "legless" ("not having legs"), "cannot fly" is "flightless" ("incapable of flying").

A gloss says "one-humped camel" or "flightless bird" far more often than "a camel with a hump", so "which animal has
a hump" and "which bird cannot fly" are found through the adjective whose own short gloss says the question's words,
with the same yes or no: "legless" answers "no legs", never "legs".
"""

from __future__ import annotations

import re

from talkshow.knowledge.base import KnowledgeBase, Sense
from talkshow.knowledge.english import plural, singular

__all__ = ["DENIED_ABILITY", "as_adjectives", "best_of_kind", "describes", "extinct"]

DENIED_ABILITY = frozenset(("cannot", "can't", "cant"))  # "which bird cannot fly": an ability denied
_DENIES = re.compile(r"\b(?:not|no|incapable|unable|lacking|without|never)\b")
_HAVING = re.compile(r"^(?:having|with|possessing|bearing|not having|lacking|without|incapable of|unable to)\b")
_SHORT_GLOSS = 5  # "having one hump", "incapable of flying": an adjective's gloss that is only the words asked
_ADJECTIVE_FILES = ("adj.all", "adj.pert")  # WordNet's files of adjectives ("legless", "one-humped")
_GROUP = re.compile(r"^(?:order|family|genus|subfamily|suborder|class|subclass|superfamily) ")


def as_adjectives(kb: KnowledgeBase, words: list[str], denials: frozenset[str]) -> list[str]:
    """The one-word adjectives whose short gloss is "having ..." (or "not having", "incapable of" ...) and says every
    one of ``words`` with the question's yes or no: a question with a word of ``denials`` in it takes only
    adjectives that deny ("legless"), others only those that do not ("one-humped")."""
    denied = any(w in denials or w in DENIED_ABILITY for w in words)
    found: list[str] = []
    asked = [singular(w) for w in words if w not in denials and w not in DENIED_ABILITY]
    for word in asked:
        for form in _forms(word):
            for sense in (s for lexname in _ADJECTIVE_FILES for s in kb.search(form, lexname=lexname, limit=20)):
                gloss = sense.definition.lower()
                if len(gloss.split()) > _SHORT_GLOSS:
                    continue
                if not _HAVING.match(gloss) or bool(_DENIES.search(gloss)) != denied:
                    continue  # "saclike: resembling a pouch" is no pouch
                if all(re.search(rf"\b(?:{'|'.join(map(re.escape, _forms(w)))})\b", gloss) for w in asked):
                    found += [w.lower() for w in sense.words if " " not in w]
    return list(dict.fromkeys(found))


def _forms(word: str) -> tuple[str, ...]:
    """The forms a gloss may say ``word`` in: one, many, and doing ("hump", "humps"; "fly", "flying")."""
    doing = (word[:-1] + "ing",) if word.endswith("e") else (word + "ing",)
    return tuple(dict.fromkeys((word, plural(word), *doing)))


def best_of_kind(senses: list[Sense], kind: str) -> list[Sense]:
    """``senses`` with the ones a child means first: a living one before an extinct one, and one thing ("flightless
    bird") before a group of them ("order Apterygiformes", "flightless birds ...: penguins")."""

    def later(sense: Sense) -> tuple[bool, bool]:
        gloss = sense.definition.lower()
        group = any(_GROUP.match(w.lower()) for w in sense.words)
        many = re.search(rf"{re.escape(plural(kind))}\b", gloss) and not re.search(rf"{re.escape(kind)}\b", gloss)
        return "extinct" in gloss, group or bool(many)

    return sorted(senses, key=later)


def extinct(kb: KnowledgeBase, sense: Sense) -> bool:
    """Whether ``sense`` or a kind above it is glossed as extinct: "sauropod: very large herbivorous dinosaur"
    says nothing of it, but "dinosaur: any of numerous extinct terrestrial reptiles" does."""
    return any("extinct" in s.definition.lower() for s in (sense, *kb.ancestors(sense.id, depth=6)))


_OTHER_THING = re.compile(r"\b(?:resembl\w*|like|similar|related|unlike|than|except|feeds?|eats?|preys?)\b")


def describes(sense: Sense, adjective: str) -> bool:
    """Whether ``adjective`` is said of the thing itself, in its names or its gloss before another thing comes in:
    "false scorpion: ... arachnid resembling a tailless scorpion" is not itself said to be tailless."""
    if any(adjective in w.lower() for w in sense.words):
        return True
    own = _OTHER_THING.split(sense.definition.lower(), maxsplit=1)[0]
    return re.search(rf"\b{re.escape(adjective)}\b", own) is not None
