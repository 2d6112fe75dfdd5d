"""Questions of the planets answered from the fact sheet's table (``fact_sheet``): the hottest and the coldest
planet, the closest to and the farthest from the sun, and how many planets there are."""

from __future__ import annotations

import re

from talkshow.knowledge.base import KnowledgeBase
from talkshow.knowledge.glosses import Found
from talkshow.knowledge.numbers import spoken
from talkshow.knowledge.question import Question

__all__ = ["PLANETS_SOURCE", "how_many_planets", "planet_superlative"]

PLANETS_SOURCE = "NASA's planetary fact sheet (the planets package)"
# The superlative asked -> (what it ranks, the most or the least, how the answer says it).
_RANKS = {
    "hottest": ("mean_kelvin", True, "the hottest planet: {where} averages {c} degrees Celsius"),
    "warmest": ("mean_kelvin", True, "the hottest planet: {where} averages {c} degrees Celsius"),
    "coldest": ("mean_kelvin", False, "the coldest planet: {where} averages {c} degrees Celsius"),
    "closest": ("distance_au", False, "the closest planet to the sun, {au} times the Earth's distance"),
    "nearest": ("distance_au", False, "the closest planet to the sun, {au} times the Earth's distance"),
    "farthest": ("distance_au", True, "the farthest planet from the sun, {au} times the Earth's distance"),
    "furthest": ("distance_au", True, "the farthest planet from the sun, {au} times the Earth's distance"),
}


def planet_superlative(kb: KnowledgeBase, question: Question) -> Found:
    """ "What is the hottest planet?", "Which planet is closest to the sun?" from the table (closest and farthest
    only when the question says from what: the sun)."""
    words = set(re.findall(r"[a-z]+", question.text))
    if "planet" not in words or words & {"moon", "universe", "galaxy", "known"}:  # the sun's planets, none else
        return None
    asked = next((word for word in _RANKS if word in words), None)
    if asked is None or (_RANKS[asked][0] == "distance_au" and "sun" not in words):
        return None
    measure, most, said = _RANKS[asked]
    planets = kb.planets()
    if not planets:
        return None
    first = (max if most else min)(planets, key=lambda p: float(getattr(p, measure)))
    celsius = round(first.mean_kelvin - 273.15)
    where = "its surface" if first.order <= 4 else "the top of its atmosphere"  # the giants' one-bar level
    fact = f"{first.name} is " + said.format(c=spoken(celsius), au=_times(first.distance_au), where=where)
    return first.name, fact, PLANETS_SOURCE


def how_many_planets(kb: KnowledgeBase, question: Question) -> Found:
    """ "How many planets are in the solar system?": eight, named in order from the sun."""
    counted = question.detail if question.kind == "how_many" else question.subject
    around = question.subject if question.kind == "how_many" else "solar system"
    if counted != "planets" or around not in ("solar system", "our solar system", "sun", "the sun"):
        return None  # "how many moons do planets have", "how many planets does a star have": not these
    planets = sorted(kb.planets(), key=lambda p: p.order)
    if not planets:
        return None
    names = ", ".join(p.name for p in planets[:-1]) + f" and {planets[-1].name}"
    return spoken(len(planets)), f"There are {spoken(len(planets))} planets: {names}", PLANETS_SOURCE


def _times(au: float) -> str:
    return spoken(round(au)) if au >= 1.5 else f"{au:.1f}".rstrip("0").rstrip(".")
