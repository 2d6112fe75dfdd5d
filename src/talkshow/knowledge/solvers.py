"""Answers that need no lookup: spoken sums, the date, the time, the day, and units.

Each solver takes the question as heard (lower case, words) and returns the answer as a fact,
or None when the question is not its kind. Sums are worked out, never guessed: "seven times
six", "a hundred minus one", "half of twenty", "what's twelve divided by four".
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass

from talkshow.knowledge.numbers import number_from_words, spoken

__all__ = ["UNITS", "Solved", "solve_clock", "solve_sum", "solve_unit", "unit_named", "unit_plural"]


@dataclass(frozen=True)
class Solved:
    """A worked answer: ``answer`` is the word or number said, ``fact`` the sentence that holds it."""

    kind: str
    answer: str
    fact: str
    source: str


_BINARY: dict[str, Callable[[float, float], float | None]] = {
    "plus": lambda a, b: a + b,
    "add": lambda a, b: a + b,
    "and": lambda a, b: a + b,
    "minus": lambda a, b: a - b,
    "take away": lambda a, b: a - b,
    "less": lambda a, b: a - b,
    "times": lambda a, b: a * b,
    "time": lambda a, b: a * b,  # "six time seven": the ears often drop the s
    "multiplied by": lambda a, b: a * b,
    "x": lambda a, b: a * b,
    "divided by": lambda a, b: a / b if b else None,
    "over": lambda a, b: a / b if b else None,
    "to the power of": lambda a, b: a**b if abs(b) <= 12 else None,
}
_SAID = {
    "time": "times",
    "add": "plus",
    "and": "plus",
    "take away": "minus",
    "less": "minus",
    "x": "times",
    "over": "divided by",
}
_UNARY: dict[str, Callable[[float], float | None]] = {
    "half of": lambda a: a / 2,
    "a half of": lambda a: a / 2,
    "a third of": lambda a: a / 3,
    "one third of": lambda a: a / 3,
    "a quarter of": lambda a: a / 4,
    "one quarter of": lambda a: a / 4,
    "one half of": lambda a: a / 2,
    "double": lambda a: a * 2,
    "twice": lambda a: a * 2,
    "triple": lambda a: a * 3,
    "the square root of": lambda a: math.sqrt(a) if a >= 0 else None,
    "square root of": lambda a: math.sqrt(a) if a >= 0 else None,
}
_POSTFIX: dict[str, Callable[[float], float | None]] = {"squared": lambda a: a * a, "cubed": lambda a: a**3}
_LEAD = re.compile(
    r"^(?:so |and |ok |okay |hey |um |uh |well |quick |quick question |tell me |can you tell me |do you know |"
    r"what about |how about )*"
    r"(?:what(?:'s| is| are| does| do)? |how much (?:is |are |does |do )?|calculate |work out |whats )?"
)
_SYMBOLS = {"+": " plus ", "-": " minus ", "*": " times ", "×": " times ", "/": " divided by ", "÷": " divided by "}


def _words(text: str) -> str:
    text = re.sub(r"(?<=[A-Za-z])-(?=[A-Za-z])", " ", text)  # "thirty-three" is a number, not thirty minus three
    for symbol, word in _SYMBOLS.items():
        text = text.replace(symbol, word)
    text = re.sub(r"(\d),(\d{3})", r"\1\2", text.lower().replace("'", "").replace("’", ""))
    text = re.sub(r"[^a-z0-9. ]+", " ", text)
    return " ".join(w.strip(".") for w in text.split() if w.strip("."))


def _number(phrase: str) -> float | None:
    return number_from_words(phrase.split()) if phrase else None


def _number_ending(words: list[str]) -> float | None:
    """The longest run of number words that ends ``words`` ("what in seven" -> 7), if they end in one."""
    return next((n for i in range(len(words)) if (n := number_from_words(words[i:])) is not None), None)


def _number_starting(words: list[str]) -> float | None:
    """The longest run of number words that starts ``words`` ("six please" -> 6)."""
    return next((n for i in range(len(words), 0, -1) if (n := number_from_words(words[:i])) is not None), None)


def solve_sum(heard: str) -> Solved | None:
    """A spoken sum worked out: "what is seven times six" -> forty-two."""
    text = _LEAD.sub("", _words(heard))
    text = re.sub(r"\b(?:make|makes|equal|equals|equal to|come to|comes to|give|gives)$", "", text).strip()
    text = re.sub(r"^(?:the sum of |the answer to )", "", text)
    for name, apply_one in _UNARY.items():
        if text.startswith(name + " "):
            value = _number(text[len(name) + 1 :])
            result = apply_one(value) if value is not None else None
            if result is not None:
                return Solved("sum", spoken(result), f"{name} {spoken(value or 0)} is {spoken(result)}", "arithmetic")
    for name, apply_post in _POSTFIX.items():
        if text.endswith(" " + name):
            value = _number(text[: -len(name) - 1])
            result = apply_post(value) if value is not None else None
            if result is not None:
                return Solved("sum", spoken(result), f"{spoken(value or 0)} {name} is {spoken(result)}", "arithmetic")
    for name in sorted(_BINARY, key=len, reverse=True):
        left, found, right = text.partition(f" {name} ")
        if not found:
            continue
        if name == "and":  # "two and two": only when that is all that was said
            a, b = _number(left), _number(right)
        else:  # the numbers next to the operator, whatever the ears made of the words around them
            a, b = _number_ending(left.split()), _number_starting(right.split())
        if a is None or b is None:
            continue
        result = _BINARY[name](a, b)
        if result is None:
            return None
        said = _SAID.get(name, name)
        return Solved("sum", spoken(result), f"{spoken(a)} {said} {spoken(b)} is {spoken(result)}", "arithmetic")
    return None


_DAY_WORDS = ("what day is it", "what day is today", "which day is it", "whats the day", "what is the day")


def solve_clock(heard: str, now: dt.datetime | None = None) -> Solved | None:
    """The time, the date, the day or the year, from the show's own clock."""
    text = _words(heard)
    moment = now or dt.datetime.now()
    if re.search(r"\bwhat(?:s| is)? the time\b|\bwhat time is it\b|\bwhat time it is\b", text):
        hour12 = moment.hour % 12 or 12
        minute = f"{moment.minute:02d}"
        part = "in the morning" if moment.hour < 12 else "in the afternoon" if moment.hour < 18 else "in the evening"
        said = f"{hour12}:{minute} {part}"
        return Solved("clock", said.split()[0], f"it is {said}", "the clock")
    if re.search(r"\bwhat(?:s| is)? (?:the |todays )?date\b|\bwhat date is it\b", text):
        said = f"{moment:%A}, {moment:%B} {moment.day}, {moment.year}"
        return Solved("clock", f"{moment:%B} {moment.day}", f"today is {said}", "the clock")
    if any(text.startswith(w) or f" {w}" in f" {text}" for w in _DAY_WORDS) or re.search(
        r"\bwhat day (?:of the week )?is (?:it|today)\b", text
    ):
        return Solved("clock", f"{moment:%A}", f"today is {moment:%A}", "the clock")
    if re.search(r"\bwhat year is it\b|\bwhich year is it\b|\bwhat(?:'s| is) the year\b", text):
        return Solved("clock", str(moment.year), f"it is {moment.year}", "the clock")
    if re.search(r"\bwhat month is it\b|\bwhich month is it\b", text):
        return Solved("clock", f"{moment:%B}", f"it is {moment:%B}", "the clock")
    return None


# Each unit, in a base unit of its kind (seconds, metres, grams, litres, items).
UNITS: dict[str, tuple[str, float]] = {
    "second": ("time", 1), "minute": ("time", 60), "hour": ("time", 3600), "day": ("time", 86400),
    "week": ("time", 604800), "fortnight": ("time", 1209600), "month": ("time", 2628000), "year": ("time", 31536000),
    "decade": ("time", 315360000), "century": ("time", 3153600000),
    "millimetre": ("length", 0.001), "centimetre": ("length", 0.01), "metre": ("length", 1),
    "kilometre": ("length", 1000), "inch": ("length", 0.0254), "foot": ("length", 0.3048),
    "yard": ("length", 0.9144), "mile": ("length", 1609.344),
    "gram": ("mass", 1), "kilogram": ("mass", 1000), "ounce": ("mass", 28.349523125), "pound": ("mass", 453.59237),
    "tonne": ("mass", 1_000_000), "millilitre": ("volume", 0.001), "litre": ("volume", 1),
    "pint": ("volume", 0.56826125), "gallon": ("volume", 4.54609),
    "dozen": ("count", 12), "score": ("count", 20), "pair": ("count", 2),
}  # fmt: skip
_PLURAL = {"inches": "inch", "feet": "foot", "centuries": "century", "pence": "penny"}
_SPELLING = {"meter": "metre", "liter": "litre", "millimeter": "millimetre", "centimeter": "centimetre",
             "kilometer": "kilometre", "milliliter": "millilitre", "ton": "tonne", "kilo": "kilogram",
             "gramme": "gram", "min": "minute", "sec": "second", "hr": "hour"}  # fmt: skip


def unit_named(word: str) -> str | None:
    """The unit ``word`` names, in ``UNITS``'s spelling ("kilos" -> "kilogram"); None if it names none."""
    word = _PLURAL.get(word, word)
    for candidate in (word, word[:-1] if word.endswith("s") else word):
        candidate = _SPELLING.get(candidate, candidate)
        if candidate in UNITS:
            return candidate
    return None


def unit_plural(unit: str, count: float) -> str:
    """``unit`` as said of ``count`` of it ("foot", "feet")."""
    if abs(count - 1) < 1e-9:
        return unit
    return {"inch": "inches", "foot": "feet", "century": "centuries"}.get(unit, unit + "s")


_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")  # fmt: skip


def _days_in_month(text: str) -> Solved | None:
    """ "How many days are in June?": the calendar's count (February's in a common year and a leap year)."""
    month = re.search(r"how many days (?:are |is )?(?:there )?(?:in|does) (\w+)(?: have| has)?$", text)
    if not month or month.group(1) not in _MONTHS:
        return None
    name = month.group(1).capitalize()
    if name == "February":
        return Solved(
            "unit", "twenty-eight", "February has twenty-eight days, and twenty-nine in a leap year", "the calendar"
        )
    days = spoken(calendar.monthrange(2001, _MONTHS.index(month.group(1)) + 1)[1])
    return Solved("unit", days, f"{name} has {days} days", "the calendar")


def solve_unit(heard: str) -> Solved | None:
    """How many of one unit in another: "how many minutes are in an hour", "how many feet in two miles"; and the
    days in a month."""
    text = _words(heard)
    in_month = _days_in_month(text)
    if in_month is not None:
        return in_month
    match = re.search(
        r"how many (\w+) (?:are |is )?(?:there )?in (?:a |an |one )?(.+?)(?: are there| is there)?$", text
    )
    if not match:
        match = re.search(r"how many (\w+) (?:does|do) (?:a |an |one )?(\w+) (?:have|has|last)$", text)
    if not match:
        return None
    small = unit_named(match.group(1))
    words = match.group(2).split()
    if small is None or not words:
        return None
    big = unit_named(words[-1])
    count = number_from_words(words[:-1]) if len(words) > 1 else 1.0
    if big is None or count is None or UNITS[big][0] != UNITS[small][0]:
        return None
    result = count * UNITS[big][1] / UNITS[small][1]
    if result > 1e12:
        return None
    about = abs(result - round(result)) > 1e-6 and result >= 10  # weeks in a year: about fifty-two
    amount = ("about " if about else "") + spoken(round(result) if about else round(result, 2))
    how_many = spoken(count) if count != 1 else "a"
    fact = f"there are {amount} {unit_plural(small, result)} in {how_many} {unit_plural(big, count)}"
    fact = fact.replace(" in a hour", " in an hour")
    return Solved("unit", amount, fact, "units")
