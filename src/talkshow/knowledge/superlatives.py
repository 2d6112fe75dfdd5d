"""The biggest of a kind: the thing whose gloss calls it the tallest, largest, fastest... of the kind asked about.

A superlative answers only over the question's whole range: "the world's longest river" (the Nile) answers the
longest river, "the longest river in Europe" (the Volga) only the longest river in Europe; among the answers the
widest kind said wins, and one over a narrower kind is said as such ("I can't speak for every animal, but a blue
whale is the largest mammal ever known").
"""

from __future__ import annotations

import re

from talkshow.knowledge.base import HYPERNYMS, KnowledgeBase, Sense
from talkshow.knowledge.english import clause, singular, statement
from talkshow.knowledge.glosses import Found, nouns, say
from talkshow.knowledge.qualities import said_in, ways_to_say
from talkshow.knowledge.question import Question

__all__ = ["SAME_SUPERLATIVE", "superlative"]

_THE_NAMES = re.compile(r"\b(?:ocean|sea|river|desert|mountains|canal|gulf|bay|lake)\b")
SAME_SUPERLATIVE = {"biggest": "largest", "largest": "biggest", "fastest": "swiftest", "tallest": "highest",
                     "closest": "nearest", "nearest": "closest"}  # fmt: skip


def superlative(kb: KnowledgeBase, question: Question, wider: bool = False) -> Found:
    """The thing whose gloss calls it the ``detail`` (tallest...) of a kind that is the subject, over no narrower
    place than the question's ("the longest river in Europe" is not the longest river), and of the widest kind
    said: "the largest mammal ever known" answers the biggest animal before "the largest flatfish" does. ``wider``:
    the glosses that say the kind as well, searched when the superlative's own best 300 hold no answer."""
    subject, detail = question.subject, question.detail
    kind, place = (*re.split(r" (?:in|to|on|of) ", subject, maxsplit=1), "")[:2]  # "river in europe": there
    kind = singular(kind)
    if kind in ("country", "nation") and not place:
        return _country(kb, detail)
    category = {k.id for k in nouns(kb, kind, 1)}  # its first sense: a country as a nation, not countryside
    found: list[tuple[int, bool, Sense, str]] = []
    for word in (detail, SAME_SUPERLATIVE.get(detail, "")):
        if not word:
            continue
        for sense in kb.search(*((word, kind) if wider else (word,)), limit=300):
            said = re.search(rf"(?:^|; |and )((?:the )?(?:world's )?{word}\b[^;(]*)", sense.definition)
            if sense.pos != "n" or not said or not _as_wide_as(said.group(1), word, place):
                continue
            noun = _superlative_noun(said.group(1), word)
            if said.group(0).startswith("and ") and noun:
                continue  # "2nd largest Spanish city and the largest port": the clause before narrows it
            narrower = not _WORLDWIDE.search(said.group(1))  # the world's sorts first: "the largest mammal ever known"
            in_kind = bool(category & {a.id for a in kb.ancestors(sense.id)})
            if noun and re.search(rf"\b{re.escape(kind)}\b", noun):  # "the highest mountain peak in the world"
                found.append((0, narrower, sense, said.group(1)))
            elif in_kind:  # no kind said ("the nearest to the sun") is the thing's own
                found.append((_steps_up(kb, noun, category) if noun else 0, narrower, sense, said.group(1)))
    if not found and not wider:  # "largest" is in more glosses than a search returns: Asia's, with "continent"
        return superlative(kb, question, wider=True)
    if not found:
        return _the_only_one(kb, kind, detail) if not place else None
    steps, _, sense, phrase = min(found, key=lambda f: f[:2])  # stable: the search's order among equals
    name = sense.head
    if name[:1].isupper() and _THE_NAMES.search(phrase) and not re.match(r"(?:Lake|Mount|Mt) ", name):
        name = "the " + name  # the Pacific, the Nile, the Sahara; not "the Lake Superior"
    fact = statement(name, clause(phrase), name[:1].isupper() or name.startswith("the "))
    if steps:  # over a narrower kind: true, but not the answer to the question asked, and said so
        first = fact[:1] if name[:1].isupper() else fact[:1].lower()  # "but a giraffe", "but the Nile"
        fact = f"I can't speak for every {kind}, but {first}{fact[1:]}"
    return sense.head, fact


def _the_only_one(kb: KnowledgeBase, kind: str, detail: str) -> Found:
    """ "The coldest continent": of the few things WordNet lists as the kind (at most a dozen, its instances and
    kinds), the one whose gloss names the quality ("an extremely cold continent"), when no other's does. Its gloss is
    what is said: it never claims "coldest" where the source says "extremely cold"."""
    quality = next(iter(kb.lemmas(detail, "a")[1:]), "")  # WordNet's own morphology: coldest -> cold
    category = nouns(kb, kind, 1)
    if not quality or not category:
        return None
    members = kb.related(category[0].id, ("~", "~i"))
    if not 2 <= len(members) <= 12:  # of a few only: "the only one said to be cold" means little among hundreds
        return None
    ways = ways_to_say(kb, quality)
    saying = [(m, found) for m in members if (found := said_in(m.definition, ways))]
    if len(saying) != 1:
        return None
    member, found = saying[0]
    return member.head, say(member, member.head, found)


def _superlative_noun(phrase: str, word: str) -> str:
    """The kind a superlative is over: "tallest living quadruped" -> "living quadruped"; "" for none said ("the
    nearest to the sun": of the thing's own kind)."""
    after = " ".join(_WORLDWIDE.sub("", _after(phrase, word)).split()).lower()
    return "" if re.match(r"^(?:to|from|of|in|on|at)\b", after) else after


def _after(phrase: str, word: str, claim: bool = False) -> str:
    """What a superlative is said of: "largest and most dangerous North American snake" -> "North American
    snake"; "smallest planet and the nearest to the sun" -> "planet". With ``claim``, all that the claim covers:
    "largest city and principal port of New Zealand" (the place is the city's too), to " and the" (another) or
    " with" (what it has)."""
    after = re.sub(r"^\s*and (?:most |the )?\w+", "", phrase[phrase.index(word) + len(word) :])
    if claim:  # what it has describes it, not the range: "the largest continent with 60% of the earth's population"
        return re.split(r" and the | with ", after)[0]
    return after.split(" and ")[0]


def _steps_up(kb: KnowledgeBase, noun: str, category: set[int]) -> int:
    """How many kinds lie between ``noun`` and the question's category (a mammal is 3 below an animal; 99 when
    the noun is not a kind of it): a superlative over a narrower kind is kept only when no wider one is said."""
    for words in (noun, noun.split()[-1] if noun else ""):
        for sense in kb.senses(words, "n")[:2]:
            frontier, seen = [sense.id], {sense.id}
            for step in range(1, 16):
                frontier = [p.id for f in frontier for p in kb.related(f, HYPERNYMS) if p.id not in seen]
                seen.update(frontier)
                if category & set(frontier):
                    return step
                if not frontier:
                    break
    return 99


_WORLDWIDE = re.compile(r"\b(?:in the world|on earth|in existence|of all|ever known|ever)\b", re.IGNORECASE)
_NARROWER = re.compile(r"\b(?:in|on|of|from|among|within|wholly|after|for|at)\b|\b[A-Z]")


def _as_wide_as(phrase: str, word: str, place: str) -> bool:
    """Whether ``phrase`` ("longest river in Europe") makes its superlative over the question's whole range: the
    world when no ``place`` is asked about ("the world's longest river", "the highest peak in the world"), else
    that place. A breed of poodle, a river of Europe, a French river or a country wholly in Europe is narrower."""
    head = _after(phrase, word, claim=True)
    if place:
        return place.lower() in head.lower()
    return not _NARROWER.search(_WORLDWIDE.sub("", head))


# By area only: the table's populations are a decade old, and which country has the most people has changed since.
_BY_AREA = {"biggest": True, "largest": True, "smallest": False}


def _country(kb: KnowledgeBase, detail: str) -> Found:
    """The country the countries table puts first by area (what "the biggest country" means)."""
    country = kb.country_first_by("area_km2", _BY_AREA[detail]) if detail in _BY_AREA else None
    if country is None:
        return None
    area = f"{country.area_km2:,.0f}" if country.area_km2 >= 10 else f"{country.area_km2:g}"
    return country.name, f"{country.name} is the {detail} country, at {area} square kilometres"
