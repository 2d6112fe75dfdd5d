"""Answers from WordNet's relations and the country table: is X a Y (the hypernym chain), opposites, what makes
what, what a thing is called, and a country's capital, language, currency and people (which thing of a kind fits
is ``which``; the biggest of a kind, ``superlatives``). Each returns ``(answer, sentence)``, or None when the
knowledge holds no answer.
"""

from __future__ import annotations

import re

from talkshow.knowledge.base import KnowledgeBase, Sense
from talkshow.knowledge.english import a_or_an, plural, singular
from talkshow.knowledge.glosses import KNOWN_KINDS, Found, is_mass, nouns, own_senses, say
from talkshow.knowledge.naming import named
from talkshow.knowledge.people import person_who
from talkshow.knowledge.places import continents
from talkshow.knowledge.question import Question
from talkshow.knowledge.shapes import named_by_parts
from talkshow.knowledge.which import FILLER_WORDS

__all__ = ["called", "country_fact", "is_a", "known_as", "makes", "opposite"]


def is_a(kb: KnowledgeBase, question: Question) -> Found:
    """Yes when a sense of the subject is a kind of (or an instance of) a sense of the category: the hypernym
    chain; for "a fruit or a vegetable", whichever the chain (or the gloss) shows."""
    subject, detail = question.subject, question.detail
    options = [re.sub(r"^(?:a|an|the) ", "", o.strip()) for o in re.split(r"\bor\b", detail) if o.strip()]
    senses = nouns(kb, subject, 3)
    if not senses or not options:
        return None
    chains = {s.id: {a.id for a in kb.ancestors(s.id)} for s in senses}
    own = own_senses(kb, subject, senses)  # the senses it names first: a dolphin the whale, not the dolphinfish
    spelled, proper = named(senses[0], subject)
    name = spelled if proper or spelled[:1].isupper() else singular(subject)  # "a Great Dane"
    with_article = re.search(rf"\b(?:a|an|the) {re.escape(subject)}\b", question.text)
    substance = any(s.lexname == "noun.substance" for s in senses[:2]) and not with_article
    bare = proper or substance  # a name, or "is gold a metal": no article ("Yes, gold is a metal")
    if not bare and re.search(rf"\bthe {re.escape(subject)}\b", question.text):
        name, bare = f"the {name}", True  # "Is the sun a star?": "Yes, the sun is a star"

    def shows(option: str, every_sense: bool = True) -> bool:
        kinds = {k.id for k in kb.senses(singular(option), "n")}
        in_chain = any(kinds & chains[s.id] for s in (senses if every_sense else own))
        head = _HEAD_END.split(senses[0].definition)[0]  # what it is, not what it is for ("for the planets")
        in_gloss = bool(re.search(rf"\b{re.escape(singular(option))}s?\b", head))
        return in_chain or in_gloss

    if len(options) > 1:
        shown = [o for o in options if shows(o)]
        if not shown:
            return None
        pick = shown[0]
        return pick, f"{_the(name, bare)} is {a_or_an(singular(pick))} {singular(pick)}"
    option = singular(options[0])
    if shows(option, every_sense=False):
        return "yes", f"Yes, {_the(name, bare, False)} is {a_or_an(option)} {option}"
    ancestors = kb.ancestors(senses[0].id)
    kind = next((a.head for a in ancestors if a.head in KNOWN_KINDS), ancestors[0].head if ancestors else "")
    if not kind:
        return None
    return "no", f"No, {_the(name, bare, False)} is {a_or_an(kind)} {kind}, not {a_or_an(option)} {option}"


_HEAD_END = re.compile(r"\b(?:that|which|who|with|of|for|in|on|from|by|having|used|eaten|as)\b|;")


def _the(name: str, bare: bool, capital: bool = True) -> str:
    """ "A whale", "Mars", "gold": a name as the subject of a sentence (``bare``: with no article)."""
    said = name if bare else f"{a_or_an(name)} {name}"
    return said[:1].upper() + said[1:] if capital else said


def opposite(kb: KnowledgeBase, question: Question) -> Found:
    """WordNet's antonym of the word, an adjective's first."""
    subject = question.subject
    # Adjectives first: the opposite of "open" is "closed" before "to close", of "empty" "full" before "to fill".
    found = next((words for pos in ("a", "r", "n", "v") if (words := kb.antonyms(subject, pos))), [])
    if not found:
        return None
    return found[0], f"The opposite of {subject} is {found[0]}"


_MADE = re.compile(r"\b(?:produced|secreted|spun|yielded|laid|formed|made) by\b")  # the verb is checked per question
_MADE_VERBS = ("produced", "secreted", "spun", "yielded", "laid", "made")
_PRODUCTS = ("noun.food", "noun.substance", "noun.artifact", "noun.body")
# Who does it, right after "by": "by bees", "by e.g. female birds"; not "by a stringing objects" or "by mixing a
# substance" (what it is made from, after a verb in -ing).
_AGENT = r"(?:e\.g\. )?(?:the |a |an |some )?(?:(?![a-z]+ing\b)[a-z-]+ )?"
_ANY_THING = frozenset({"animal", "organism", "being", "living thing", "object", "whole", "physical entity",
                        "entity", "substance", "matter", "artifact", "thing", "person", "plant", "food"})  # fmt: skip


def makes(kb: KnowledgeBase, question: Question) -> Found:
    """What the subject makes: a gloss that says it is produced by the subject, or the subject's own gloss."""
    subject, detail = question.subject, question.detail
    name = singular(subject)
    verbs = {"lay": ("laid",), "spin": ("spun",)}.get(detail, _MADE_VERBS)
    kinds = [name, *[a.head for s in nouns(kb, name, 1) for a in kb.ancestors(s.id, depth=8)][:8]]
    kinds = [k for k in kinds if k not in _ANY_THING]  # "secreted by animals" is not every animal's
    for kind in kinds:
        for term, verb in ((t, v) for t in (plural(kind), kind) for v in verbs):
            for sense in kb.search(term, verb, limit=15):
                match = _MADE.search(sense.definition)
                if not match or sense.lexname not in (*_PRODUCTS, *(("noun.animal",) if verbs == ("laid",) else ())):
                    continue
                after = sense.definition[match.end() :].strip()
                if match.group(0).split()[0] in verbs and re.search(rf"^{_AGENT}{re.escape(term)}\b", after):
                    return sense.head, say(sense, sense.head, term)
    for sense in nouns(kb, subject, 2):
        match = re.search(
            r"\b(?:produces?|makes?|yields?|yield|spins?|secretes?|lays?)\b(?: [a-z]+){0,5}? ([a-z]+)"
            r"(?: fiber| fibre)?\b",
            sense.definition,
        )
        if match:
            return match.group(1), say(sense, subject, match.group(1))
    return None


def called(kb: KnowledgeBase, question: Question) -> Found:
    """ "What do you call a baby dog": the noun whose gloss is those words ("puppy: a young dog")."""
    words = [{"baby": "young"}.get(w, w) for w in question.subject.split() if w not in FILLER_WORDS]
    if not words:
        return None
    if (counted := named_by_parts(kb, question.subject)) is not None:
        return counted
    if (doer := person_who(kb, question.subject)) is not None:
        return doer
    wanted = " ".join(words)
    made_of = re.search(r"\b(?:made|built) (?:of|from|out of)\b", question.subject) is not None
    animal = len(words) == 2 and words[0] == "young" and any(s.lexname == "noun.animal" for s in nouns(kb, words[1]))
    young = _young_of(kb, words)
    for sense in kb.search(*words, limit=20):
        if sense.pos != "n" or (animal and sense.lexname != "noun.animal"):  # a young pig, not roast suckling pig
            continue
        text = sense.definition.lower()
        if made_of and not re.search(r"\b(?:made|built|consisting|composed|formed)\b", text):
            continue  # "a house made of ice" is not "a house for storing ice" (an icehouse)
        if re.match(rf"^(?:a |an |the )?{re.escape(wanted)}\b", text) or all(w in text.split()[:6] for w in words):
            if is_mass(sense):  # "Frozen water is called ice"
                return sense.head, f"{question.subject.capitalize()} is called {sense.head}"
            # "puppy: a young dog" is a kind of "pup: young of ... canines": the closer name; "heifer: young cow"
            # is a kind of cow, not of "calf: young of domestic cattle", so the calf is the baby.
            if young is not None and young.id not in {up.id for up in kb.related(sense.id, ("@",))}:
                break
            return sense.head, f"{_the(question.subject, False)} is called {a_or_an(sense.head)} {sense.head}"
    if young is not None:
        return young.head, f"{_the(question.subject, False)} is called {a_or_an(young.head)} {young.head}"
    return None


def _young_of(kb: KnowledgeBase, words: list[str]) -> Sense | None:
    """A baby animal glossed as "the young of" the animal or of the kind just above it: "calf: young of domestic
    cattle" for a cow (cattle is the cow's kind), before "heifer: young cow", which is a cow not yet a mother; or
    as its larva ("tadpole: a larval frog or toad"; "caterpillar: ... larva of a butterfly or moth")."""
    if len(words) != 2 or words[0] != "young":
        return None
    animal = [s for s in nouns(kb, words[1], 2) if s.lexname == "noun.animal"]
    if not animal:
        return None
    kinds = [words[1], *(w for s in animal for up in kb.related(s.id, ("@",)) for w in up.words if " " not in w)]
    for kind in dict.fromkeys(k.lower() for k in kinds):
        for sense in kb.search("young", kind, lexname="noun.animal", limit=10):
            if re.match(rf"^(?:the )?young of (?:[a-z]+ ){{0,8}}?{re.escape(kind)}\b", sense.definition.lower()):
                return sense
    larva = rf"\blarva(?:l| of)(?: an?)? (?:[a-z]+ or )?{re.escape(words[1])}\b"  # "a larval frog or toad"
    for sense in kb.search(words[1], lexname="noun.animal", limit=40):  # "larva of a butterfly or moth"
        if re.search(larva, sense.definition.lower()):
            return sense
    return None


def known_as(kb: KnowledgeBase, question: Question) -> Found:
    """ "What planet is known as the Red Planet?": another word of the synset that has those words ("Mars, Red
    Planet"), of the kind asked (a planet) if one was; "another word for X" is its synonym."""
    name = re.sub(r"^(?:the|a|an) ", "", question.subject)
    the = f"the {name}" in question.text.lower()
    kind = singular(question.detail) if question.detail else ""
    for sense in kb.senses(name, "n")[:3]:
        same = next((w for w in sense.words if w.lower() == name.lower()), name)
        others = [w for w in sense.words if w.lower() != name.lower()]
        kinds = {w.lower() for s in (sense, *kb.ancestors(sense.id, depth=6)) for w in s.words}
        if not others or (kind and kind not in kinds):
            continue
        if kind:
            return others[0], f"{others[0]} is known as {'the ' if the else ''}{same}"
        return others[0], f"Another word for {same} is {others[0]}"
    return None


def country_fact(kb: KnowledgeBase, subject: str, what: str) -> Found:
    """A country's ``what``: its capital, language, currency, population or continent."""
    country = kb.country(subject)
    if country is None:
        return None
    if what == "capital" and country.capital:
        return country.capital, f"The capital of {country.name} is {country.capital}"
    if what == "language" and country.languages:
        said = " and ".join(country.languages[:2])
        return country.languages[0], f"In {country.name} they speak {said}"
    if what == "currency" and country.currencies:
        return country.currencies[0], f"The currency of {country.name} is the {country.currencies[0]}"
    if what == "population" and country.population:
        millions = country.population / 1e6
        said = f"about {millions:.0f} million" if millions >= 1 else f"about {country.population:,}"
        # The table's counts are some years old (China before India passed it): said as a count then, not now.
        return said, f"{said.capitalize()} people lived in {country.name} at my source's last count, some years ago"
    if what == "continent" and country.region:
        # The table's region is the Americas for Peru and Canada alike; WordNet says which America.
        found = continents(kb, country.name) or [country.region]
        said = " and ".join(f"the {c}" if c == "Americas" else c for c in found)
        return said, f"{country.name} is in {said}"
    return None
