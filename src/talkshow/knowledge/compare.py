"""Which of two things is bigger (faster, taller, heavier...), from the size words their glosses use.

"Which is bigger, an elephant or a mouse?": the elephant's kind is "massive herbivorous mammals", a
mouse is one of "numerous small rodents", so the elephant. Each thing's gloss and the glosses of two
kinds above it are read for a word of the scale ("massive", "large", "small", "tiny"); an answer needs
one thing said to be at the big end and the other at the small end. "Is an elephant bigger than a
mouse?" is the same comparison, answered yes or no.
"""

from __future__ import annotations

import re

from talkshow.knowledge.base import KnowledgeBase
from talkshow.knowledge.english import a_or_an, singular
from talkshow.knowledge.glosses import Found, is_mass, nouns
from talkshow.knowledge.numbers import spoken
from talkshow.knowledge.question import Question
from talkshow.knowledge.solvers import UNITS, unit_named, unit_plural

__all__ = ["compare"]

# Each scale: (the words at its high end, the words at its low end), and the comparatives that ask about it.
_SCALES = {
    "size": (("large", "big", "massive", "huge", "giant", "enormous", "very large", "largest", "biggest"), ("small",
             "tiny", "little", "minute", "diminutive", "smallest")),
    "speed": (("fast", "swift", "fast-running", "fleet", "swiftest", "fastest"), ("slow", "sluggish", "slow-moving",
              "slowest")),
    "height": (("tall", "tallest"), ("short", "dwarf")),
    "weight": (("heavy", "massive"), ("light", "lightweight")),
    "heat": (("hot", "boiling", "molten", "burning", "hottest"), ("cold", "frozen", "freezing", "icy", "coldest")),
}  # fmt: skip
# An end said as a superlative ("the fastest running animal") puts the thing past any other of its kind, so it
# answers against a thing the glosses say nothing of (a cheetah against a snail), if both are of one kind.
_SUPERLATIVES = frozenset({"largest", "biggest", "smallest", "fastest", "swiftest", "slowest", "tallest",
                           "hottest", "coldest"})  # fmt: skip
_ASKED = {
    "bigger": ("size", True), "larger": ("size", True), "smaller": ("size", False), "faster": ("speed", True),
    "quicker": ("speed", True), "slower": ("speed", False), "taller": ("height", True), "shorter": ("height", False),
    "heavier": ("weight", True), "lighter": ("weight", False), "longer": ("length", True), "hotter": ("heat", True),
    "warmer": ("heat", True), "colder": ("heat", False), "cooler": ("heat", False),
}  # fmt: skip
# Which kinds of unit each scale compares: "which is heavier, a kilogram or a gram" is a sum, not a gloss.
_UNIT_KINDS = {"size": ("mass", "length", "volume", "time", "count"), "weight": ("mass",), "length": ("length", "time"),
               "height": ("length", "time")}  # fmt: skip


def compare(kb: KnowledgeBase, question: Question) -> Found:
    """The one of ``question.subject``'s two things ("an elephant or a mouse", or "an elephant than a mouse" for
    a yes-or-no) that is further along ``question.detail``'s scale, as the glosses say."""
    asked = _ASKED.get(question.detail)
    first, joint, second = _two(question.subject)
    if asked is None or not first or not second:
        return None
    scale, upward = asked
    by_units = _by_units(first, second, scale, upward)
    if by_units is not None:
        unit, holds = by_units
        if joint == "than":  # "is a gram heavier than a kilogram?"
            yes = unit == first
            return ("yes" if yes else "no"), f"{'Yes' if yes else 'No'}: {holds}", "units"
        return unit, f"{_a(unit)[:1].upper()}{_a(unit)[1:]}: {holds}", "units"
    if scale == "length":
        return None  # no gloss says how long a thing is in words the scales know
    first_end, second_end = _end(kb, first, scale), _end(kb, second, scale)
    if first_end is None or second_end is None:
        said_one = first_end or second_end
        if said_one is None or said_one[1] not in _SUPERLATIVES or not _one_kind(kb, first, second):
            return None  # one never said, and the other only "fast": the words cannot tell
        high, word = said_one
        named = first if first_end else second
        winner = named if high == upward else (second if first_end else first)
        said = f"the source calls {_said(kb, named)} the {word} of its kind"
    elif first_end[0] == second_end[0]:
        return None  # both said big, or both small: the words cannot tell
    else:
        (first_high, first_word), (_, second_word) = first_end, second_end
        winner = first if first_high == upward else second
        said = f"the source calls {_said(kb, first)} {first_word}, and {_said(kb, second)} {second_word}"
    if joint == "than":
        yes = winner == first
        return ("yes" if yes else "no"), f"{'Yes' if yes else 'No'}: {said}"
    named = _said(kb, winner)
    return winner, f"{named[:1].upper()}{named[1:]}: {said}"


def _by_units(first: str, second: str, scale: str, upward: bool) -> tuple[str, str] | None:
    """The unit further along the scale of two of one kind, and how many of the smaller the bigger holds:
    ("kilogram", "a kilogram is one thousand grams")."""
    one, other = unit_named(first), unit_named(second)
    if (
        one is None
        or other is None
        or UNITS[one][0] != UNITS[other][0]
        or UNITS[one][0] not in _UNIT_KINDS.get(scale, ())
    ):
        return None
    if UNITS[one][1] == UNITS[other][1]:
        return None
    big, small = (one, other) if UNITS[one][1] > UNITS[other][1] else (other, one)
    winner = big if upward else small
    times = UNITS[big][1] / UNITS[small][1]
    if abs(times - round(times)) < 1e-6:
        said = spoken(round(times))
    else:  # "a mile is about 1.6 kilometres", not "about two"
        said = f"about {times:.1f}" if times < 10 else f"about {spoken(round(times))}"
    return winner, f"{_a(big)} is {said} {unit_plural(small, times)}"


def _two(subject: str) -> tuple[str, str, str]:
    """("elephant", "or", "mouse") from "an elephant or a mouse"; empty parts if it is not two things."""
    match = re.match(r"^(?:a |an |the )?(?P<a>[a-z ]+?) (?P<joint>or|than) (?:a |an |the )?(?P<b>[a-z ]+)$", subject)
    if not match:
        return "", "", ""
    return singular(match["a"]), match["joint"], singular(match["b"])


def _end(kb: KnowledgeBase, thing: str, scale: str) -> tuple[bool, str] | None:
    """(True, "massive") if the thing's gloss, or a kind's up to two above, puts it at the scale's high end;
    (False, "small") at its low end; None if no word of the scale is said."""
    high, low = _SCALES[scale]
    for sense in nouns(kb, thing, 1):
        for holder in (sense, *kb.ancestors(sense.id, depth=2)[:3]):
            for is_high, words in ((True, high), (False, low)):
                found = re.search(r"\b(" + "|".join(re.escape(w) for w in words) + r")\b", holder.definition)
                if found:
                    return is_high, found.group(1)
    return None


def _one_kind(kb: KnowledgeBase, first: str, second: str) -> bool:
    """Whether the two things' first senses are of one kind of thing (two animals, two substances)."""
    one, other = nouns(kb, first, 1), nouns(kb, second, 1)
    return bool(one and other) and one[0].lexname == other[0].lexname


def _said(kb: KnowledgeBase, thing: str) -> str:
    """A thing as a sentence names it: "a mouse", but "ice" (a substance takes no article)."""
    senses = nouns(kb, thing, 1)
    return thing if senses and is_mass(senses[0]) else _a(thing)


def _a(thing: str) -> str:
    return f"{a_or_an(thing)} {thing}"
