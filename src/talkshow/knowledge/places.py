"""Where a place is or a thing lives: the country table, then the gloss's own words ("a river in Egypt"), then its
adjective of a place ("a South American river"). Each answer is ``(place, sentence)``, as in ``glosses``."""

from __future__ import annotations

import re

from talkshow.knowledge.base import KnowledgeBase, Sense
from talkshow.knowledge.english import plural, singular
from talkshow.knowledge.glosses import Found, nouns, own_senses
from talkshow.knowledge.question import Question

__all__ = ["continents", "where"]

_SKY = frozenset({"Earth", "Sun", "Moon", "Mars", "Jupiter", "Saturn", "Venus", "Mercury", "Neptune", "Uranus"})


_WIDER = re.compile(r"(?:,| in) ((?:the )?[A-Z][a-z]+(?: [A-Z][a-z]+)*)\b(?! [a-z]*ing\b)")  # ", London"
_SOURCE = re.compile(r"\b(?:arises|rises|originates|empties|flows)\s*$")  # where a river starts is not where it is


def where(kb: KnowledgeBase, question: Question) -> Found:
    """Where a place is (its country or region) or where a thing lives, from the country table and glosses."""
    subject = question.subject
    country = kb.country(subject)
    if country is not None and country.subregion:
        return country.subregion, f"{country.name} is in {country.subregion}"
    of_capital = kb.country_with_capital(subject)
    if of_capital is not None:
        return of_capital.name, f"{of_capital.capital} is the capital of {of_capital.name}"
    place = re.compile(
        r"\b(in|of|from|on|at) ((?:the )?(?:(?:[A-Za-z-]+ ){0,4}(?:regions?|waters?|seas?|"
        r"oceans?|forests?|deserts?|grasslands?|plains?|savannahs?|mountains?|rivers?|lakes?|islands?|coasts?|"
        r"woodlands?|swamps?|jungles?|Africa|Asia|Australia|America|Europe|Antarctica)"
        r"(?: of (?:the )?[A-Z][a-z]+(?: [A-Z][a-z]+)*)?"
        r"|(?:(?:central|northern|southern|eastern|western) )?[A-Z][a-z]+(?: (?:of (?:the )?)?[A-Z][a-z]+)*))"
    )  # "the central Himalayas", "the Houses of Parliament"
    senses = own_senses(kb, subject, nouns(kb, subject, 3))
    senses = [s for s in senses if s.lexname != "noun.person"] or senses  # the Amazon the river, not the warriors
    the = "The " if re.search(rf"\bthe {re.escape(subject)}\b", question.text) else ""  # as asked: "the Nile"
    for sense in senses:
        match = next(
            (m for m in place.finditer(sense.definition) if not _SOURCE.search(sense.definition[: m.start()])), None
        )
        if match and match.group(2).removeprefix("the ") not in _SKY:  # "the natural satellite of the Earth"
            found = match.group(2)
            wider = _WIDER.match(sense.definition, match.end())  # "on Liberty Island in New York Bay"
            if wider:
                found += f" in {wider.group(1)}"
            name = singular(subject)
            lives = "live" if sense.lexname in ("noun.animal", "noun.plant") else "are found"
            # "on Liberty Island", "at Agra" as the gloss says; "in" for "of" or "from" ("the capital of Peru")
            on = match.group(1) if match.group(1) in ("on", "at") and found[:1].isupper() else "in"
            if sense.lexname == "noun.location" or sense.head[:1].isupper():
                return found, f"{the}{sense.head} is {on} {found}"
            return found, f"{plural(name).capitalize()} {lives} {on} {found}"
    return _where_its_adjective_says(kb, subject, senses, the) or _where_its_habitat_says(kb, subject, senses)


_PLACE_FILES = ("noun.location", "noun.object")  # a country or a city; a continent


def continents(kb: KnowledgeBase, place: str) -> list[str]:
    """The continents WordNet puts ``place`` in, by what it is part of (Peru of South America, Mexico of
    Mesoamerica of North America, Turkey of Asia Minor of Asia and of the Balkans of Europe); none if nothing it
    is part of is a continent (Japan: the Pacific)."""
    senses = [s for s in kb.senses(place, "n") if s.lexname == "noun.location"][:1]
    found: list[str] = []
    seen: set[int] = set()
    for _ in range(3):  # a country, a region, a continent
        wider = []
        for sense in senses:
            for whole in kb.related(sense.id, ("#p",)):
                if whole.id in seen:
                    continue
                seen.add(whole.id)
                if any(kind.head == "continent" for kind in kb.ancestors(whole.id, depth=2)):
                    found.append(whole.head)
                else:
                    wider.append(whole)
        if found:
            return found
        senses = wider
    return found


def _where_its_adjective_says(kb: KnowledgeBase, subject: str, senses: list[Sense], the: str) -> Found:
    """Where the gloss's own adjective of a place puts it: the Amazon is "a major South American river", and
    WordNet says "South American" pertains to South America. Never of a person: "a Florentine painter" was born
    there, and is not there now."""
    if the:  # "the Amazon": the river, a name, before the parrot
        senses = [s for s in kb.senses(subject, "n") if s.head[:1].isupper()] + senses
    for sense in senses:
        if sense.lexname == "noun.person":
            continue
        first = sense.definition.split(";")[0]
        for adjective in re.findall(r"\b((?:(?:North|South|Central|East|West) )?[A-Z][a-z]+)\b", first):
            places = {
                place.head
                for pert in kb.senses(adjective, "a")
                if pert.lexname == "adj.pert"
                for place in kb.related(pert.id, ("\\",))
                if place.lexname in _PLACE_FILES and place.head[:1].isupper()
            }
            if len(places) == 1:  # "American" is of the United States, or of the Americas: which, it cannot say
                found = places.pop()
                if sense.head[:1].isupper():
                    return found, f"{the or ''}{sense.head} is in {found}"
                lives = "live" if sense.lexname in ("noun.animal", "noun.plant") else "are found"
                return found, f"{plural(singular(subject)).capitalize()} {lives} in {found}"
    return None


# What a gloss says of where an animal or plant lives, in a word: "aquatic vertebrates" (a fish).
_HABITATS = {"marine": ("the sea", "in the sea"), "aquatic": ("water", "in water"),
             "freshwater": ("fresh water", "in fresh water"), "arboreal": ("trees", "in trees"),
             "semiaquatic": ("water", "in and near water"), "subterranean": ("the ground", "underground")}  # fmt: skip
_HABITAT = re.compile(r"\b(" + "|".join(_HABITATS) + r")\b")


def _where_its_habitat_says(kb: KnowledgeBase, subject: str, senses: list[Sense]) -> Found:
    """Where the gloss's word for a habitat puts an animal or a plant, or its kind's: fish are "aquatic
    vertebrates"; whales are cetaceans, "large aquatic carnivorous mammal[s]"."""
    for sense in senses[:2]:
        if sense.lexname not in ("noun.animal", "noun.plant"):
            continue
        said = next(
            (m for s in (sense, *kb.ancestors(sense.id, depth=2)[:2]) if (m := _HABITAT.search(s.definition))), None
        )
        if said:
            place, there = _HABITATS[said.group(1)]
            return place, f"{plural(singular(subject)).capitalize()} live {there}"
    return None
