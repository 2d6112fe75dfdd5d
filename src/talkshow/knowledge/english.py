"""Small pieces of English for facts: articles, plurals, and a gloss turned into a sentence about its word."""

from __future__ import annotations

import re

__all__ = ["a_or_an", "clause", "is_plural_phrase", "plural", "singular", "statement", "verb_forms"]

_VOWEL_SOUND = re.compile(r"^(?:(?!one\b|once\b)[aeio]|u(?!ni|se|su|ra|ro|ti|ku)|hour|honest|heir)", re.IGNORECASE)
_NO_ARTICLE = re.compile(
    r"^(?:a|an|the|any|one|some|something|someone|anything|several|each|either|both|"
    r"two|three|four|five|six|seven|eight|nine|ten)\b(?!-)"  # "one-humped camel" takes its article
)
_THE = re.compile(r"^(?:capital|largest|biggest|smallest|tallest|longest|highest|deepest|main|chief|principal|first|"
                  r"second|third|last|\w+est)\b")  # fmt: skip
_JOINS = frozenset(
    {"having", "and", "with", "that", "which", "or", "on", "in", "used", "especially", "usually", "each"}
)
# Words a cut piece must not end on: it would leave them hanging ("... by two", "... a segment of").
_DANGLING = frozenset({"a", "an", "the", "of", "by", "to", "for", "with", "from", "at", "in", "on", "into", "as",
                       "two", "three", "four", "five", "six", "its", "their", "his", "her",
                       "is", "are", "was", "were", "be", "or", "and", "that", "which"})  # fmt: skip
# (A cut before "used" once left "a place that provides a particular service or is".)
_SINGULAR_ENDS = ("ss", "us", "is", "ics", "news", "series", "species", "cattle")
# WordNet 3.0 (2006) spells a few compounds open that dictionaries now close; a fact is said today's way.
_SPELLED_TODAY = {"land mass": "landmass", "land masses": "landmasses"}
_OPEN_COMPOUND = re.compile(r"\b(?:" + "|".join(_SPELLED_TODAY) + r")\b", re.IGNORECASE)


def a_or_an(word: str) -> str:
    """The indefinite article for ``word``."""
    return "an" if _VOWEL_SOUND.match(word.strip()) else "a"


# The irregular plurals a show says most; the rest follow the rules below (WordNet's noun.exc has them all, but
# these functions need no knowledge base: a lexicon of inflections cost the show 73 MB).
_IRREGULAR = {"man": "men", "woman": "women", "child": "children", "mouse": "mice", "goose": "geese",
              "foot": "feet", "tooth": "teeth", "person": "people", "ox": "oxen", "louse": "lice", "leaf": "leaves",
              "wolf": "wolves", "knife": "knives", "life": "lives", "wife": "wives", "half": "halves",
              "calf": "calves", "loaf": "loaves", "thief": "thieves", "shelf": "shelves", "cactus": "cacti",
              "fungus": "fungi", "octopus": "octopuses", "potato": "potatoes", "tomato": "tomatoes",
              "hero": "heroes", "echo": "echoes", "volcano": "volcanoes"}  # fmt: skip
_SAME = frozenset({"sheep", "cattle", "deer", "fish", "moose", "series", "species", "aircraft", "salmon", "trout",
                   "bison", "personnel", "gas", "atlas", "canvas", "bias"})  # fmt: skip
_SINGULAR = {plural: one for one, plural in _IRREGULAR.items()}


def plural(noun: str) -> str:
    """The plural of a noun (of its last word): spider -> spiders, mouse -> mice, box -> boxes, city -> cities."""
    *rest, last = noun.split()
    low = last.lower()
    if low in _SAME:
        many = last
    elif low in _IRREGULAR:
        many = _IRREGULAR[low]
    elif re.search(r"(?:s|x|z|ch|sh)$", low):
        many = last + "es"
    elif re.search(r"[^aeiou]y$", low):
        many = last[:-1] + "ies"
    else:
        many = last + "s"
    return " ".join([*rest, many])


def singular(noun: str) -> str:
    """The singular of a noun (of its last word): spiders -> spider, geese -> goose, cities -> city."""
    *rest, last = noun.split()
    low = last.lower()
    if low in _SAME or low.endswith(_SINGULAR_ENDS):
        return noun
    if low in _SINGULAR:
        one = _SINGULAR[low]
    elif re.search(r"[^aeiou]ies$", low):
        one = last[:-3] + "y"
    elif re.search(r"(?:sses|xes|zes|ches|shes)$", low):
        one = last[:-2]
    elif low.endswith("s") and not low.endswith("ss"):
        one = last[:-1]
    else:
        one = last
    return " ".join([*rest, one])


def is_plural_phrase(phrase: str) -> bool:
    """Whether a gloss names its thing in the plural ("short-legged flightless birds of cold...")."""
    head = re.split(
        r"\b(?:of|with|that|which|having|who|in|on|from|for|used|found|living|native|produced|made|by|"
        r"secreted|eaten|grown|spun|characteri[sz]ed|consisting|resembling|including|distinguished)\b|[,(:]",
        phrase,
    )[0]
    words = [w for w in head.split() if not w.endswith("ly")]  # "crustaceans characteristically having"
    if not words or words[0] in ("any", "a", "an", "one", "two", "three", "four", "five", "six", "seven", "eight"):
        return False  # "two slices of bread with a filling": what one sandwich is
    last = words[-1].lower()
    return last.endswith("s") and not last.endswith(_SINGULAR_ENDS) and singular(last) != last


def clause(definition: str, keep: str = "", max_words: int = 14) -> str:
    """The part of a gloss worth saying: the piece that holds ``keep`` (else the first), cut short at a comma."""
    pieces = [p.strip() for p in re.split(r"[;:]", definition) if p.strip()]
    if not pieces:
        return ""
    piece = next((p for p in pieces if keep and re.search(rf"\b{re.escape(keep)}", p, re.IGNORECASE)), pieces[0])
    piece = re.sub(r"\s*\([^)]*\)", "", piece).strip(" :,")  # "(1847-1922)", "(red in vertebrates)"
    piece = re.sub(r"^(?:especially|usually|often|also|e\.g\.) (?:the |a |an )?", "", piece)
    piece = _OPEN_COMPOUND.sub(lambda found: _SPELLED_TODAY[found.group().lower()], piece)
    words = piece.split()
    if len(words) > max_words:
        at = next((i for i, w in enumerate(words) if keep and keep.lower() in w.lower()), 0)
        cut = next((i for i in range(max(at, 3), len(words)) if words[i].endswith(",")), None)
        if cut is None:  # no comma: stop before the last joining word within reach ("... regions having webbed...")
            reach = max(max_words, at + 1)  # the kept word is always within it ("... having a small head a long neck")
            joins = [i for i in range(max(at + 1, 4), min(reach, len(words))) if words[i] in _JOINS]
            whole = [i for i in joins if words[i - 1] not in _DANGLING]  # not "a game played with rackets by two"
            cut = (whole or joins)[-1] - 1 if joins else reach - 1
        while cut > max(at, 2) and words[cut].lower().strip(",") in _DANGLING:
            cut -= 1
        piece = " ".join(words[: cut + 1]).rstrip(",")
    return piece


# A definition that starts with a substance takes no article: "Ice is water frozen in the solid state".
_UNCOUNTED = re.compile(r"^(?:water|food|matter|material|meat|flesh|oil|gas|powder|grain|fiber|fibre)\b")


def statement(
    subject: str, definition: str, proper: bool = False, asked_plural: bool = False, mass: bool = False
) -> str:
    """ "A spider is a predatory arachnid with eight legs": ``subject`` said to be what ``definition`` says
    (``proper``: a name, no article; ``mass``: a substance, "Honey is a sweet yellow liquid")."""
    definition = re.sub(r"^any of (an?) ", r"one of \1 ", definition.strip())  # "any of a group of green pigments"
    definition = re.sub(r"^any of (?:the |several |various |numerous |many )?", "one of the ", definition)
    plural_def = is_plural_phrase(definition)
    if proper or mass:
        who = subject
        plural_def = plural_def and not mass
    elif plural_def or asked_plural:
        who = plural(singular(subject))
    else:
        who = f"{a_or_an(subject)} {subject}"
    verb = "are" if (plural_def or asked_plural) and not (proper or mass) else "is"
    if (
        _NO_ARTICLE.match(definition)
        or plural_def
        or (mass and (is_plural_phrase(definition) or _UNCOUNTED.match(definition)))
    ):
        what = definition
    elif _THE.match(definition) or (proper and re.match(r"^\w+ and \w+", definition)):
        what = "the " + definition
    elif verb == "are":
        what = definition
    else:
        what = f"{a_or_an(definition)} {definition}"
    text = f"{who} {verb} {what}"
    return text[:1].upper() + text[1:]


def verb_forms(base: str) -> tuple[str, str, str, str]:
    """The forms a gloss says a verb in: "bake", "bakes", "baked", "baking"; "fly", "flies", "flied" (a gloss
    would say "flown", which no rule makes), "flying"; "fix", "fixes", "fixed", "fixing"."""
    if base.endswith("y") and base[-2:-1] not in ("a", "e", "o", "u"):
        third, past = base[:-1] + "ies", base[:-1] + "ied"
    else:
        third = base + "es" if base.endswith(("ch", "sh", "x", "ss")) else base + "s"
        past = base + "d" if base.endswith("e") else base + "ed"
    doing = base[:-1] + "ing" if base.endswith("e") and not base.endswith("ee") else base + "ing"
    return base, third, past, doing
