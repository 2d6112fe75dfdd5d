"""Facts about a show's topic, from the knowledge base, for the offline writer to bring to its debate.

The topic's nouns ("should the office get a pet octopus": office, pet, octopus) are looked up,
two-word names first ("hot dog"); each gives what WordNet says it is ("An octopus is a
bottom-living cephalopod having a soft oval body with eight long tentacles"), the kind of thing
it is, its colour or where it lives when its gloss says, and a part it has. Every fact is a
sentence in the source's words; with no knowledge base there are none, and the show goes on
without them.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace

from talkshow.core.errors import TalkshowError
from talkshow.knowledge.base import KnowledgeBase, Sense
from talkshow.knowledge.build import knowledge_path
from talkshow.knowledge.english import a_or_an, singular
from talkshow.knowledge.glosses import colour, is_mass, nouns, say
from talkshow.knowledge.lookups import ANSWERERS
from talkshow.knowledge.places import where
from talkshow.knowledge.question import Question

logger = logging.getLogger(__name__)

__all__ = ["Fact", "TopicFacts", "facts_for"]

MAX_NOUNS = 3
_NOT_TOPICS = frozenset(
    "way thing things best trouble time people kind lot idea one someone something really allowed".split()
)
_STOP = frozenset(
    "a an the is are was were be should could would can will do does did we you they i it its of to for and or "
    "on in at with about why how what who where when which there really ever every all our my your their get "
    "got go goes keep need better worse than more less secretly good bad".split()
)
_GRAMMAR = frozenset(  # the words of grammar, which the lexicon of inflections does not list
    "a an the of with in on at by for from to into onto about as than that which who whom whose what where when "
    "and or but nor so if because while between among through during without within under over above below "
    "it its this these those there their they them he she his her one some any no not each every all both you "
    "many much more most".split()
)
_TOO_GENERAL = frozenset({"entity", "physical entity", "object", "whole", "abstraction", "matter", "thing",
                          "organism", "being", "artifact", "artefact", "unit", "group", "act"})  # fmt: skip


_DERIVED_FROM = ("+", "\\", "<")  # WordNet's derivation, pertainym and participle pointers


@dataclass(frozen=True)
class Fact:
    """A sentence the knowledge base holds about one of the topic's nouns."""

    noun: str  # the topic's noun it is about (a fact of its kind too: "a cephalopod is..." for the octopus)
    text: str
    starts_with_a_name: bool = False  # "Paris is the capital...", not "Soup is a liquid food..."

    @property
    def mid_sentence(self) -> str:
        """The fact said after other words ("Did you know that soup is a liquid food..."): its first letter small,
        unless it starts with a name ("Paris is the capital...")."""
        return self.text if self.starts_with_a_name else self.text[:1].lower() + self.text[1:]


class TopicFacts:
    """Facts for topics, from one knowledge base (thread-safe: the base has its own lock)."""

    def __init__(self, base: KnowledgeBase | None) -> None:
        self.base = base

    @classmethod
    def open(cls) -> TopicFacts:
        """On the knowledge base setup built; without facts (logged) if it is missing."""
        try:
            return cls(KnowledgeBase(knowledge_path()))
        except TalkshowError as exc:
            logger.warning("the offline writer has no facts: %s", exc)
            return cls(None)

    def nouns(self, topic: str) -> list[tuple[str, Sense]]:
        """The topic's nouns with their likeliest sense, two-word names first, at most ``MAX_NOUNS``."""
        if self.base is None:
            return []
        words = re.findall(r"[a-z]+", topic.lower())
        found: list[tuple[int, str, Sense]] = []
        taken: set[int] = set()
        for size in (2, 1):
            for i in range(len(words) - size + 1):
                span = words[i : i + size]
                if taken & set(range(i, i + size)) or any(w in _STOP or w in _NOT_TOPICS or len(w) < 3 for w in span):
                    continue
                noun = " ".join(span)
                senses = [s for s in nouns(self.base, noun, 2) if s.lexname != "noun.person" or s.head[:1].isupper()]
                if senses:
                    found.append((i, singular(noun), senses[0]))
                    taken |= set(range(i, i + size))
        return [(noun, sense) for _, noun, sense in sorted(found, key=lambda item: item[0])][:MAX_NOUNS]

    def facts(self, topic: str) -> list[Fact]:
        """Every fact the base holds about the topic's nouns, each once, the nouns' definitions first."""
        if self.base is None:
            return []
        base = self.base
        nouns = self.nouns(topic)  # looked up once: each lookup is a few queries per word of the topic
        found = [Fact(noun, say(sense, noun)) for noun, sense in nouns]
        for noun, sense in nouns:
            name = sense.head if sense.head[:1].isupper() else ""  # Paris: "Paris is a national capital"
            one = name or (noun if is_mass(sense) else f"{a_or_an(noun)} {noun}")
            one = one[:1].upper() + one[1:]
            kinds = [a for a in base.related(sense.id, ("@", "@i")) if a.head not in _TOO_GENERAL]
            if kinds:
                kind = f"{a_or_an(kinds[0].head)} {kinds[0].head}" if name else f"a kind of {kinds[0].head}"
                found.append(Fact(noun, f"{one} is {kind}"))
                found.append(Fact(noun, say(kinds[0], kinds[0].head)))  # about the topic's noun, through its kind
            for answer in (colour(base, Question("colour", noun)), where(base, Question("where", noun))):
                if answer is not None and answer[1] not in {fact.text for fact in found}:
                    found.append(Fact(noun, answer[1]))
            parts = [p for p in base.related(sense.id, ("%p",)) if " " not in p.head and p.head != noun]
            parts = [p for p in parts if self._commonest(p)][:2]  # a dog's tail is its "flag": not said so
            if parts:
                said = [p.head if is_mass(p) else f"{a_or_an(p.head)} {p.head}" for p in parts]
                found.append(Fact(noun, f"{one} has {' and '.join(said)}"))
            made = [p.head for p in base.related(sense.id, ("%s",)) if " " not in p.head][:2]
            if made:
                found.append(Fact(noun, f"{one} is made of {' and '.join(made)}"))
            found += [Fact(noun, said) for said in _answers(base, noun, sense)]
        kept = [
            fact
            for fact in {fact.text: fact for fact in found}.values()
            if self._plain(fact.text) and not _SAYS_ITSELF.match(fact.text)
        ]
        return [replace(fact, starts_with_a_name=self._named(fact.text.split(" ", 1)[0])) for fact in kept]

    def _commonest(self, sense: Sense) -> bool:
        """Whether ``sense`` is what its word means first (a flag is an emblem before a dog's tail)."""
        assert self.base is not None
        first = self.base.senses(sense.head, "n")[:1]
        return bool(first) and first[0].id == sense.id

    def _named(self, word: str) -> bool:
        """Whether ``word`` starts a fact as a name (WordNet spells it with a capital: Paris, not soup)."""
        base = self.base
        if base is None or word in ("A", "An", "The"):  # "A" is also the letter, and vitamin A
            return False
        senses = base.senses(word.lower(), "n")  # its commonest sense: milk is not the Milk River
        return bool(senses) and senses[0].head.split()[0] == word

    def _common(self, word: str) -> bool:
        """A word a viewer knows: a form of a noun, verb or adverb WordNet has, or of an adjective it has in more
        than one sense (botany's "decumbent" has one). A word in -ed must be a verb's form: the grammar checker
        reads "fissiped" as a verb in the wrong tense."""
        assert self.base is not None
        base, low = self.base, word.lower()

        def has(pos: str) -> bool:
            return any(base.is_lemma(form, pos) for form in base.lemmas(low, pos))

        adjective = any(
            len(base.senses(form, "a")) > 1 or self._from_a_common_word(form) for form in base.lemmas(low, "a")
        )
        if low.endswith("ed"):
            return has("v") or adjective
        return has("n") or has("v") or has("r") or adjective

    def _from_a_common_word(self, adjective: str) -> bool:
        """Whether a one-sense adjective comes from a word of many senses ("reproductive" from "reproduce",
        "pulpy" from "pulp"), unlike "decumbent" (from "recumb")."""
        assert self.base is not None
        for sense in self.base.senses(adjective, "a"):
            for source in self.base.related(sense.id, _DERIVED_FROM):
                if len(self.base.senses(source.head, source.pos)) > 1:
                    return True
        return False

    def _plain(self, text: str) -> bool:
        """Every word is one a viewer knows: in the English lexicon, a name, or the name of a thing (a gloss with
        "decumbent" or "fissiped" in it says nothing on air, and the grammar checker stumbles on it too)."""
        assert self.base is not None
        for word in re.findall(r"[A-Za-z]+", text):
            if word in _GRAMMAR or word[:1].isupper() or self.base.names_a_thing(word) or self._common(word):
                continue
            return False
        return True


# "A day is a day assigned to a particular purpose": a sense defined by its own word tells a viewer nothing.
_SAYS_ITSELF = re.compile(r"^(?:an? |the )?([a-z]+(?: [a-z]+)?) (?:is|are) (?:an? |the )?\1\b", re.IGNORECASE)


def _answers(base: KnowledgeBase, noun: str, sense: Sense) -> list[str]:
    """What the knowledge stage's answerers say of ``noun``: what it makes, and for an animal its legs, what it
    eats, what it grows into and whether it flies ("Bees make honey"; "A bee belongs to the Hexapoda...")."""
    asked = [("makes", "make")]
    if sense.lexname == "noun.animal":
        asked += [("how_many", "legs"), ("eats", ""), ("becomes", ""), ("can", "fly")]
    said = []
    for kind, detail in asked:
        found = ANSWERERS[kind](base, Question(kind, noun, detail, ""))
        if found is not None and found[1]:
            said.append(found[1])
    return said


def facts_for(topic: str) -> list[Fact]:
    """The facts for ``topic`` from the knowledge base setup built (none if it is missing)."""
    return TopicFacts.open().facts(topic)
