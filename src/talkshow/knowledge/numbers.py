"""Numbers as they are said and heard: "a hundred and one" -> 101, 42 -> "forty-two"."""

from __future__ import annotations

import re

__all__ = ["NUMBER_WORDS", "number_from_words", "number_words", "parse_number", "spoken"]

_UNITS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen"
).split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_SMALL = {word: i for i, word in enumerate(_UNITS)} | {w: 10 * i for i, w in enumerate(_TENS) if i >= 2}
_SMALL |= {"a": 1, "an": 1, "dozen": 12, "oh": 0, "nought": 0, "zero": 0}
NUMBER_WORDS = frozenset(_SMALL) | frozenset(_SCALES) | {"and"}
_DIGITS = re.compile(r"^-?\d+(?:[.,]\d+)?$")


def number_from_words(words: list[str]) -> float | None:
    """The value of number words ("one hundred and five", "twelve", "3.5"); None if they are not a number."""
    if not words:
        return None
    if len(words) == 1 and _DIGITS.match(words[0]):
        return float(words[0].replace(",", ""))
    if words[0] == "and" or words[-1] == "and" or all(w in ("a", "an", "and") for w in words):
        return None
    total, current, seen = 0.0, 0.0, False
    for word in words:
        if _DIGITS.match(word):
            current += float(word.replace(",", ""))
            seen = True
        elif word in _SMALL:
            current += _SMALL[word]
            seen = seen or word not in ("a", "an")
        elif word == "hundred":
            current = max(current, 1) * 100
            seen = True
        elif word in _SCALES:
            total += max(current, 1) * _SCALES[word]
            current = 0
            seen = True
        elif word != "and":
            return None
    return total + current if seen else None


def parse_number(text: str) -> float | None:
    """A whole phrase as a number, or None."""
    return number_from_words(re.findall(r"[a-z]+|\d+(?:[.,]\d+)?", text.lower().replace("-", " ")))


def number_words(value: int) -> str:
    """A whole number in words: 42 -> "forty-two", 1005 -> "one thousand and five"."""
    if value < 0:
        return "minus " + number_words(-value)
    if value < 20:
        return _UNITS[value]
    if value < 100:
        tens, units = divmod(value, 10)
        return _TENS[tens] + (f"-{_UNITS[units]}" if units else "")
    for name, size in (("billion", 10**9), ("million", 10**6), ("thousand", 1000), ("hundred", 100)):
        if value >= size:
            high, rest = divmod(value, size)
            joiner = " and " if rest and rest < 100 else " "
            return f"{number_words(high)} {name}" + (joiner + number_words(rest) if rest else "")
    raise AssertionError(value)


def spoken(value: float) -> str:
    """A result as it is said: whole numbers in words, others to two places ("three point five")."""
    if value < 0:
        return "minus " + spoken(-value)
    if abs(value - round(value)) < 1e-9 and abs(value) < 10**12:
        return number_words(int(round(value)))
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    whole, _, fraction = text.partition(".")
    return number_words(int(whole)) + " point " + " ".join(_UNITS[int(d)] for d in fraction)
