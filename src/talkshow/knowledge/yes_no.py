"""Yes-or-no questions answered from what other answerers find, never a coin flip: can it fly, swim or jump
(its gloss and hypernym chain), does it have eight legs (the count ``counts`` finds), is it in a country or
on a continent (where ``places`` puts it, and the country table). Each returns ``(answer, sentence)``, or None
when the knowledge cannot say; then the character says it has no idea.
"""

from __future__ import annotations

import re

from talkshow.knowledge.base import KnowledgeBase
from talkshow.knowledge.counts import how_many
from talkshow.knowledge.english import a_or_an, clause, plural, singular, statement
from talkshow.knowledge.glosses import Found, nouns
from talkshow.knowledge.numbers import number_from_words, parse_number
from talkshow.knowledge.places import where
from talkshow.knowledge.question import Question

__all__ = ["can", "has", "has_parts", "is_in"]

CONTINENTS = {"europe": "Europe", "asia": "Asia", "africa": "Africa", "oceania": "Oceania", "america": "Americas",
              "americas": "Americas", "south america": "Americas", "north america": "Americas"}  # fmt: skip
HALVES = frozenset({"south america", "north america"})
# What a gloss puts in a place by saying "of" or "in" it: a city, a region, an animal or a plant (a person's "prince
# of Troy" is not one).
PLACED = frozenset({"noun.location", "noun.object", "noun.animal", "noun.plant"})


def can(kb: KnowledgeBase, question: Question) -> Found:
    """Flying and swimming, from the gloss and the chain: "flightless" says no; wings or a bird say yes. Any
    other doing, where the gloss names it or a word WordNet gives it ("long hind limbs for leaping": a frog
    can jump)."""
    subject, detail = question.subject, question.detail
    senses = nouns(kb, subject, 2)
    if not senses:
        return None
    text = " ".join(s.definition for s in senses)
    kinds = {a.head for s in senses for a in kb.ancestors(s.id)}
    name = plural(singular(subject))
    if detail == "fly":
        if "flightless" in text:
            return "no", f"No, {name} cannot fly. They are " + clause(senses[0].definition, "flightless")
        if "bird" in kinds or re.search(r"\bwings?\b|\bflying\b", text):
            return "yes", f"Yes, {name} can fly"
    if detail == "swim" and ("fish" in kinds or re.search(r"\baquatic|\bswim|\bflippers?\b|\bwebbed\b", text)):
        return "yes", f"Yes, {name} can swim"
    if detail == "breathe underwater":  # gills say yes; a blowhole or air-breathing says no
        chain = " ".join([text, *(a.definition for s in senses for a in kb.ancestors(s.id, depth=3)[:4])])
        if re.search(r"\bgills?\b", chain):
            return "yes", f"Yes, {name} can breathe underwater: they breathe through gills"
        if re.search(r"\bblowhole\b|\bair-breathing\b|\blungs\b", chain):
            return "no", f"No, {name} cannot breathe underwater: they breathe air"
    if " " not in detail and (said := _doing_said(kb, detail, senses[0].definition)):
        one = singular(subject)
        return "yes", f"Yes, {name} can {detail}. {a_or_an(one).capitalize()} {one} is " + clause(
            senses[0].definition, said
        )
    return None


def _doing_said(kb: KnowledgeBase, verb: str, gloss: str) -> str:
    """The word of ``gloss`` that names doing ``verb`` ("leaping" for jump, from jump's synonyms), or ""."""
    words = {verb} | {w for sense in kb.senses(verb, "v")[:2] for w in sense.words if " " not in w}
    for word in sorted(words):
        stem = word[:-1] if word.endswith("e") else word
        found = re.search(rf"\b(?:{re.escape(word)}s?|{re.escape(stem)}{re.escape(stem[-1])}?ing)\b", gloss)
        if found:
            return found.group(0)
    return ""


def has_parts(kb: KnowledgeBase, question: Question) -> Found:
    """'Do spiders have eight legs?', 'Do snakes have legs?': the count ``how_many`` finds, said as a yes or a no."""
    words = question.detail.split()
    asked = number_from_words(words[:1]) if len(words) > 1 else None
    part = " ".join(words[1:] if asked is not None else words)
    found = how_many(kb, Question("how_many", question.subject, part, question.text))
    if found is None:
        return None
    count = parse_number(found[0]) if found[0] not in ("no", "none") else 0.0
    if count is None:
        return None
    right = count == asked if asked is not None else count > 0
    said = f"{'Yes' if right else 'No'}. {found[1]}"
    return ("yes", said, *found[2:]) if right else ("no", said, *found[2:])  # keeps the count's source


def has(kb: KnowledgeBase, question: Question) -> Found:
    """'Do birds have feathers?', 'Do fish breathe with gills?': yes where the gloss, or a kind up to three steps
    up, names the thing ("characterized by feathers"), no where it names it as missing ("having no fins"); a gloss
    that does not name it says nothing, since a gloss leaves most things out. Legs are ``has_parts``'s."""
    part = singular(question.detail)
    senses = [s for s in nouns(kb, question.subject, 2) if s.lexname in ("noun.animal", "noun.plant")]
    if not senses or part == "leg" or not kb.is_lemma(part, "n"):
        return None
    named = re.compile(rf"\b(?:{re.escape(part)}|{re.escape(plural(part))})\b")
    for holder in (senses[0], *kb.ancestors(senses[0].id, depth=3)):
        said = named.search(holder.definition)
        if said:
            who = singular(question.subject) if holder is senses[0] else holder.head
            fact = statement(who, clause(holder.definition, said.group(0)))
            kind = (
                "" if holder is senses[0] else f"{plural(singular(question.subject)).capitalize()} are {plural(who)}. "
            )
            lacking = re.search(r"\b(?:no|without|lacking)\s+(?:[a-z-]+\s+){0,2}$", holder.definition[: said.start()])
            answer = "no" if lacking else "yes"
            return answer, f"{answer.capitalize()}. {kind}{fact[0].upper()}{fact[1:]}"  # "Elephants are proboscideans."
    return None


def is_in(kb: KnowledgeBase, question: Question) -> Found:
    """'Is Paris in France?', 'Is Tokyo in China?', 'Is Rome in Europe?': where ``places`` puts the place, and
    the country table's continents. A no only where both are countries or continents: never of a smaller place."""
    asked = re.sub(r"^the ", "", question.detail)
    senses = nouns(kb, question.subject, 2)
    proper = bool(senses) and senses[0].head[:1].isupper()
    name = question.subject.title() if proper and question.subject.islower() else question.subject
    be = "are" if question.text.startswith("are ") else "is"  # "Are lions in Africa?"
    country = kb.country(question.subject)
    in_gloss = re.compile(rf"\b(?:in|of) (?:the )?{re.escape(asked)}\b", re.IGNORECASE)
    placed = [s for s in senses if s.lexname in PLACED]  # not "Paris: prince of Troy" (a person)
    if country is None and any(in_gloss.search(s.definition) for s in placed):
        return "yes", f"Yes, {name} {be} in {asked.title()}"  # "the capital and largest city of England"
    if country is None:
        found = where(kb, Question("where", question.subject, "", question.text))
        if found is None:
            return None
        if found[0].lower().removeprefix("the ") == asked:
            return "yes", f"Yes. {found[1]}"
        country = kb.country(found[0])
        if country is None:
            return None
    elif country.name.lower() == asked:
        return None  # "Is France in France?" is not a question
    if (other := kb.country(asked)) is not None:
        if other.name == country.name:
            return "yes", f"Yes, {name} is in {country.name}"
        return "no", f"No, {name} is in {country.name}, not {other.name}"
    continent = CONTINENTS.get(asked)
    if continent is None or (continent == country.region and asked in HALVES):
        return None  # the table's regions do not split the Americas into north and south
    where_it_is = name if name == country.name else f"{name} is in {country.name}, which"
    said = {"Americas": "the Americas"}
    if continent == country.region:
        return "yes", f"Yes, {where_it_is} is in {said.get(continent, continent)}"
    return "no", f"No, {where_it_is} is in {said.get(country.region, country.region)}"
