"""Words of a sentence with where they are, and what English knows of each (lemmas and inflections).

The lexicon is LemmInflect's (MIT, in its wheel, no model download): which parts of speech a
word can be, its lemma, and its inflections ("buy" -> "bought", "apple" -> "apples").
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

__all__ = ["Word", "inflect", "lemmas", "split_words"]

_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?|\d+")


@dataclass(frozen=True)
class Word:
    """One word of a sentence: its text, lower-cased form and span."""

    text: str
    start: int
    end: int

    @property
    def low(self) -> str:
        """The word in lower case."""
        return self.text.lower()


def split_words(text: str) -> list[Word]:
    """The words (and numbers) of ``text`` in order, with their spans."""
    return [Word(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]


@functools.lru_cache(maxsize=4096)
def lemmas(word: str) -> dict[str, tuple[str, ...]]:
    """Part of speech ("NOUN", "VERB", "ADJ", ...) -> lemmas of ``word`` as the lexicon knows it ({} if unknown)."""
    import lemminflect

    return dict(lemminflect.getAllLemmas(word.lower()))


@functools.lru_cache(maxsize=4096)
def guessed_verb_lemma(word: str) -> str:
    """The lemma of an unknown verb form ("buyed" -> "buy"), or ""."""
    import lemminflect

    low = word.lower()
    if low.endswith("ed"):  # "eated" -> "eat", "drived" -> "drive", "runned" -> "run", "flyed" -> "fly"
        stem = low[:-2]
        doubled = stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else ""
        for candidate in (stem, low[:-1], doubled):
            if candidate and candidate in lemmas(candidate).get("VERB", ()):
                return candidate
    found = lemminflect.getAllLemmasOOV(low, "VERB").get("VERB", ())
    return found[0] if found else ""


@functools.lru_cache(maxsize=4096)
def inflect(lemma: str, tag: str) -> str:
    """``lemma`` inflected as Penn tag ``tag`` ("VBD", "VBZ", "NNS", ...), or "" if the lexicon has no form."""
    import lemminflect

    forms = lemminflect.getInflection(lemma, tag)
    return forms[0] if forms else ""


def verb_lemma(word: str) -> str:
    """The lemma of ``word`` as a verb, or "" if it is not one."""
    found = lemmas(word).get("VERB", ())
    return found[0] if found else ""


# Nouns said with a plural verb though they have no -s.
PLURAL_WITHOUT_S = frozenset("people police children men women".split())


def plural_noun(word: str) -> bool:
    """Whether ``word`` is a noun in the plural ("keys", "sides", "children", "people")."""
    nouns = lemmas(word).get("NOUN", ())
    return word in PLURAL_WITHOUT_S or (bool(nouns) and word not in nouns)


def is_noun(word: str) -> bool:
    """Whether ``word`` can be a noun."""
    return "NOUN" in lemmas(word)


def only_adjective(word: str) -> bool:
    """Whether ``word`` is an adjective and nothing else (so a noun follows it in "three big apple")."""
    found = lemmas(word)
    return "ADJ" in found and "NOUN" not in found and "VERB" not in found


def cased_like(model: str, word: str) -> str:
    """``word`` with ``model``'s capital first letter, if it had one."""
    return word[:1].upper() + word[1:] if model[:1].isupper() else word
