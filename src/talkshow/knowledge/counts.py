"""How many: the number a gloss gives of a part ("predatory arachnid with eight legs"), on the thing or a kind it
belongs to ("five pairs of locomotor appendages": ten legs), or that the group it is a member of is named for
(an ant is in the class Insecta, also called Hexapoda; a hexapod has six feet).
"""

from __future__ import annotations

import re

from talkshow.knowledge.base import KnowledgeBase, Sense
from talkshow.knowledge.english import a_or_an, clause, plural, singular, statement
from talkshow.knowledge.glosses import Found, first_class, nouns, of_its_class, say
from talkshow.knowledge.numbers import NUMBER_WORDS, number_from_words, spoken
from talkshow.knowledge.question import Question

__all__ = ["LEGS_SOURCE", "how_many", "how_many_there_are"]

_COUNTS = "|".join(sorted((w for w in NUMBER_WORDS if w not in ("a", "an", "and", "oh", "nought")), key=len)[::-1])
_SAME_PART = {"arm": ("arm", "tentacle"), "leg": ("leg", "limb", "foot", "locomotor appendage"),
              "foot": ("foot", "leg"), "tentacle": ("tentacle", "arm"), "side": ("side", "sided"),
              "corner": ("corner", "angle", "vertex", "vertices"),
              "wheel": ("wheel", "wheeled"),
              "wing": ("wing", "winged"), "hump": ("hump", "humped"), "string": ("string", "stringed")}  # fmt: skip


def how_many(kb: KnowledgeBase, question: Question) -> Found:
    """The number the gloss gives of ``detail`` ("eight legs"), on the subject or a kind it belongs to."""
    subject, detail = question.subject, question.detail
    part = singular(detail) if detail else ""
    if not part:
        return None
    forms = _SAME_PART.get(part, (part,))
    names = "|".join(re.escape(f) + "s?" for f in forms) + "|" + "|".join(re.escape(plural(f)) for f in forms)
    pattern = re.compile(rf"\b({_COUNTS}|\d+)(?:[ -][a-z]+){{0,3}}?[ -](?:{names})\b", re.IGNORECASE)
    for sense in nouns(kb, subject, 2):  # a name that is the count: "leap year; intercalary year; 366 days"
        whole = [re.fullmatch(rf"({_COUNTS}|\d+) (?:{names})", w, re.IGNORECASE) for w in sense.words]
        counted = next((match for match in whole if match), None)
        if counted:
            number = counted.group(1).lower()
            number = spoken(int(number)) if number.isdigit() else number
            one = singular(subject)
            return number, f"{a_or_an(one).capitalize()} {one} has {number} {plural(part)}"
    # The thing itself, then the words before its last: "a soccer team" (a team) is counted by soccer's gloss, "a
    # football game in which two teams of 11 players try to kick...".
    named_for = [(subject, sense) for sense in nouns(kb, subject)[:1]] + [
        (word, sense) for word in subject.split()[:-1] for sense in nouns(kb, word, 2)
    ]
    for name, sense in named_for:
        for where in (sense, *kb.ancestors(sense.id, depth=3)[:4]):
            match = pattern.search(where.definition)
            if match:
                number = match.group(1).lower()
                pairs = re.search(
                    rf"\b({_COUNTS}) pairs of\b", where.definition[max(0, match.start() - 3) : match.end()]
                )
                more = re.match(rf"(?:[ -][a-z]+){{0,3}}? plus ({_COUNTS})\b", where.definition[match.end() :])
                if pairs:  # "five pairs of jointed legs"
                    number = spoken(2 * (number_from_words([pairs.group(1)]) or 0))
                elif more:  # "eight short tentacles plus two long ones"
                    number = spoken((number_from_words([number]) or 0) + (number_from_words([more.group(1)]) or 0))
                elif number.isdigit():
                    number = spoken(int(number))
                in_all = f": {number} {plural(part)} in all" if pairs or more else ""  # not only "five pairs"
                if where is sense:
                    return number, say(sense, name, match.group(0).split()[0]) + in_all
                one = singular(name)
                kind = statement(where.head, clause(where.definition, match.group(1)))
                return number, f"{a_or_an(one).capitalize()} {one} is {a_or_an(where.head)} {where.head}, and " + (
                    kind[0].lower() + kind[1:] + in_all
                )
    if forms[0] == "wing":
        return _counted_by_class(kb, named_for, _WINGS_BY_CLASS, "wings")
    if forms[0] in ("leg", "foot"):
        return (
            _counted_by_its_kind(kb, named_for, pattern)
            or _feet_of_its_taxon(kb, named_for, pattern)
            or _counted_by_class(kb, named_for, _LEGS_BY_CLASS, "legs")
        )
    return None


def how_many_there_are(kb: KnowledgeBase, question: Question) -> Found:
    """ "How many continents are there?": the number WordNet's own example gives ("there are seven continents")."""
    thing = singular(question.subject)
    for sense in nouns(kb, thing, 2):
        said = re.search(rf'"there are ({_COUNTS}|\d+) ({re.escape(plural(thing))})\b', sense.gloss, re.IGNORECASE)
        if said:
            number = said.group(1).lower()
            number = spoken(int(number)) if number.isdigit() else number
            return number, f"There are {number} {said.group(2)}"
    return None


def _counted_by_its_kind(kb: KnowledgeBase, named_for: list[tuple[str, Sense]], pattern: re.Pattern[str]) -> Found:
    """Legs counted by the word its gloss calls it: a horse is a "solid-hoofed herbivorous quadruped", and a
    quadruped is "an animal especially a mammal having four limbs specialized for walking"."""
    for name, sense in named_for:
        head = re.split(r"[;:,(]| that | with | having | especially ", sense.definition)[0]
        for word in reversed(re.findall(r"[a-z]{5,}", head)):  # the noun a gloss names comes last: "... quadruped"
            kind = next((k for k in nouns(kb, word, 1) if k.id != sense.id), None)
            match = pattern.search(kind.definition) if kind is not None else None
            if kind is not None and match:
                one = singular(name)
                return match.group(1).lower(), (
                    f"{a_or_an(one).capitalize()} {one} is {a_or_an(word)} {word}, and "
                    f"{a_or_an(word)} {word} is {clause(kind.definition, match.group(1))}"
                )
    return None


_FOOTED_TAXON = re.compile(r"^[A-Z][a-z]+poda$")  # Hexapoda, Octopoda: named for their feet
MEMBER_OF = ("#m",)


def _feet_of_its_taxon(kb: KnowledgeBase, named_for: list[tuple[str, Sense]], pattern: re.Pattern[str]) -> Found:
    """Legs counted by the group a creature belongs to, where the group is named for its feet: an ant is in the
    Hymenoptera, in the class Insecta, also called Hexapoda, and a hexapod is "an animal having six feet"."""
    for name, sense in named_for:
        frontier = [sense, *kb.ancestors(sense.id, depth=3)[:4]]
        seen = {s.id for s in frontier}
        # The group whose gloss lists the creature itself: "Insecta; class Hexapoda: insects; about five-sixths..."
        listing = kb.glossed_first(plural(singular(name)))
        for step in range(6):  # family, order, class: the chain is a few groups long
            groups = [g for s in frontier for g in kb.related(s.id, MEMBER_OF) if g.id not in seen]
            groups += listing if step == 0 else []
            for group in groups:
                seen.add(group.id)
                for taxon in (w for w in group.words if _FOOTED_TAXON.match(w)):
                    for footed in nouns(kb, taxon[:-1].lower(), 1):
                        match = pattern.search(footed.definition)
                        if match:
                            number = match.group(1).lower()
                            one = singular(name)
                            return number, (
                                f"{a_or_an(one).capitalize()} {one} belongs to the {taxon}, and "
                                f"{a_or_an(footed.head)} {footed.head} is {clause(footed.definition)}"
                            )
            frontier = groups
    return None


# Legs by the class an animal belongs to, where no gloss on its way up counts them (a dog is a canine, a carnivore,
# a placental mammal; none says "four legs"): talkshow's own table of what every schoolbook says, looked up by the
# kinds WordNet puts the animal in. The kinds whose members differ (apes and monkeys, bats, kangaroos, whales and
# seals) come first and answer nothing, so a question about one of them is not answered from its class.
LEGS_SOURCE = "WordNet and talkshow's table of legs and wings by class"
_LEGS_BY_CLASS = (
    ("primate", ""), ("chiropteran", ""), ("marsupial", ""), ("aquatic mammal", ""),
    ("snake", "no"), ("bird", "two"), ("mammal", "four"), ("frog", "four"), ("salamander", "four"),
    ("crocodilian reptile", "four"), ("chelonian", "four"),
)  # fmt: skip


_WINGS_BY_CLASS = (("bird", "two"), ("chiropteran", "two"))  # insects' differ: a fly has two, a bee four


def _counted_by_class(
    kb: KnowledgeBase, named_for: list[tuple[str, Sense]], table: tuple[tuple[str, str], ...], parts: str
) -> Found:
    """Legs (or wings) counted by the animal's class in ``table``: "A chicken is a bird, and birds have two
    legs"."""
    for name, sense in named_for:
        row = first_class(kb, sense, table) if sense.lexname == "noun.animal" else None
        if row is None:
            continue
        kind_name, number, itself = row
        if not number:
            return None
        have = f"{plural(kind_name)} have {number} {parts}"
        number = "none" if number == "no" else number  # the answer said first: "None! Snakes have no legs."
        return number, of_its_class(singular(name), kind_name, have, itself), LEGS_SOURCE
    return None
