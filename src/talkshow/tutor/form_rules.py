"""Learner errors in the form of a word: comparatives, adverbs, -ed/-ing adjectives, nouns that
have no plural, articles in set phrases, and the verb that goes with a noun ("make a mistake").

Each rule looks for one pattern in the words and says what is right and why. They were written
against the dev half of the learner set (``assets/tutor/learner_set_dev.toml``) and are scored
on the test half they never saw (``talkshow bench tutor``).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable

from talkshow.tutor.findings import Finding, finding_over
from talkshow.tutor.learner_words import (
    CLAUSE_VERBS,
    COLLOCATIONS,
    DETERMINERS,
    FEELINGS,
    GENERIC,
    INSTITUTIONS,
    IRREGULAR_COMPARATIVE,
    IRREGULAR_PLURAL,
    LINKING,
    MADE_UP_COMPARATIVE,
    MEALS,
    NOUN_FOR_ADJECTIVE,
    PEOPLE,
    SPORTS,
    UNCOUNTABLE,
    UNIQUE,
)
from talkshow.tutor.words import Word, cased_like, inflect, lemmas, verb_lemma

__all__ = ["FORM_RULES"]

VERB_FORMS = ("VB", "VBZ", "VBD", "VBG", "VBN")
COLLOCATION_VERBS = frozenset(verb for verb, _ in COLLOCATIONS)
# What may come between a verb and the noun it goes with: "made a lot of mistakes", "make me a favour".
BETWEEN_VERB_AND_NOUN = frozenset(
    ("lot", "of", "many", "me", "him", "us", "them", "you", "big", "great", "huge", "real", "serious", "special")
)  # "did a big effort"
# People named by a noun, who feel bored rather than boring: "The children were boring" -> "bored".
PEOPLE_NOUNS = frozenset("people children kids students guests friends parents players everyone everybody".split())


def _over(text: str, first: Word, last: Word, right: str, kind: str, why: str) -> Finding:
    return finding_over(text, first, last, cased_like(first.text, right), kind, why)


def _syllables(word: str) -> int:
    return len(re.findall(r"[aeiouy]+", word.rstrip("e"))) or 1


def _short(adjective: str) -> bool:
    """Whether ``adjective`` takes -er/-est (one syllable, or two ending in -y)."""
    return _syllables(adjective) == 1 or (_syllables(adjective) == 2 and adjective.endswith("y"))


def _degree(adjective: str, most: bool) -> str:
    if adjective in IRREGULAR_COMPARATIVE:
        return IRREGULAR_COMPARATIVE[adjective][most]
    return inflect(adjective, "JJS" if most else "JJR")


def _comparatives(text: str, words: list[Word]) -> list[Finding]:
    """'more tall' -> 'taller', 'the most cheap' -> 'the cheapest', 'the more intelligent student' -> 'the most
    intelligent student' (no 'than'), 'gooder', 'more better'."""
    out: list[Finding] = []
    lows = [w.low for w in words]
    has_than = "than" in lows
    for i, word in enumerate(words):
        if word.low in MADE_UP_COMPARATIVE:
            right = MADE_UP_COMPARATIVE[word.low]
            out.append(_over(text, word, word, right, "comparative", f"We say '{right}', not '{word.low}'."))
            continue
        after = lows[i + 1] if i + 1 < len(words) else ""
        if word.low in ("more", "most") and f"{word.low} {after}" in MADE_UP_COMPARATIVE:
            right = MADE_UP_COMPARATIVE[f"{word.low} {after}"]
            why = f"'{right.capitalize()}' is already a comparative: no '{word.low}' before it."
            out.append(_over(text, word, words[i + 1], right, "comparative", why))
            continue
        then = lows[i + 2] if i + 2 < len(words) else ""
        adjective = "ADJ" in lemmas(after) and (
            "NOUN" not in lemmas(after) or then in ("than", "") or (i and lows[i - 1] == "the")
        )
        if word.low in ("more", "most") and after and adjective:
            if not (_short(after) or after in IRREGULAR_COMPARATIVE):
                if word.low == "more" and i and lows[i - 1] == "the" and not has_than and i + 2 < len(words):
                    why = "Comparing one with all the others, we say 'the most', not 'the more'."
                    out.append(_over(text, word, word, "most", "comparative", why))
                continue
            right = _degree(after, word.low == "most")
            if right:
                why = f"'{after.capitalize()}' is short: we say '{right}', not '{word.low} {after}'."
                out.append(_over(text, word, words[i + 1], right, "comparative", why))
        elif word.low == "worse" and i and lows[i - 1] == "the" and not has_than and i + 1 < len(words):
            out.append(_over(text, word, word, "worst", "comparative", "Of all of them: 'the worst'."))
    return out


def _adverbs(text: str, words: list[Word]) -> list[Finding]:
    """An adjective after a verb where the adverb belongs ("sings beautiful"), and 'hardly' for 'hard'."""
    out: list[Finding] = []
    for i in range(1, len(words)):
        verb = words[i - 1] if words[i - 1].low != "very" or i < 2 else words[i - 2]
        word = words[i]
        if not verb_lemma(verb.low) or verb.low in LINKING or "ADJ" in lemmas(verb.low) or verb.low in _AS_PREPOSITION:
            continue
        if word.low == "hardly" and words[i - 1].low in ("very", "so", "too"):
            why = "'Hardly' means 'almost not'; the adverb of 'hard' is 'hard'."
            out.append(_over(text, word, word, "hard", "word_form", why))
            continue
        found = lemmas(word.low)
        adverb = word.low[:-1] + "ily" if word.low.endswith("y") else word.low + "ly"
        adjective = "ADJ" in found and "VERB" not in found and word.low not in ("fast", "hard", "late", "early", "well")
        if adjective and "ADV" in lemmas(adverb) and verb.low not in ("make", "makes", "made", "keep"):
            if i + 1 < len(words) and words[i + 1].low not in ("and", "but", "because", "when"):
                continue  # "sings beautiful songs": the adjective has its noun
            if _joined_to_a_noun(words, i):
                continue  # "social and solitary species": both adjectives have the noun
            why = f"It says how someone does it, so we use the adverb: '{adverb}'."
            out.append(_over(text, word, word, adverb, "word_form", why))
    return out


_AS_PREPOSITION = frozenset({"including", "excluding", "concerning", "regarding", "following", "considering"})


def _joined_to_a_noun(words: list[Word], i: int) -> bool:
    """Whether ``words[i]`` is an adjective joined by 'and'/'or' to another that has its noun ("social and solitary
    species"), rather than the last word of a verb's phrase ("sings beautiful and loud")."""
    if i + 3 >= len(words) or words[i + 1].low not in ("and", "or"):
        return False
    return "ADJ" in lemmas(words[i + 2].low) and "NOUN" in lemmas(words[i + 3].low)


def _feelings(text: str, words: list[Word]) -> list[Finding]:
    """'The film was very bored' -> 'boring'; 'I was very boring' -> 'bored'; 'interesting in' -> 'interested'."""
    out: list[Finding] = []
    causes = {v: k for k, v in FEELINGS.items()}
    for i, word in enumerate(words):
        after = words[i + 1].low if i + 1 < len(words) else ""
        if word.low in causes and after in ("in", "with", "about", "by", "of"):
            right = causes[word.low]
            out.append(_over(text, word, word, right, "word_form", f"How a person feels: '{right}'."))
            continue
        j = i - 1
        while j >= 0 and words[j].low in ("very", "so", "really", "quite", "too"):
            j -= 1
        if j < 1 or words[j].low not in ("am", "is", "are", "was", "were"):
            continue
        subject = words[j - 1].low
        if word.low in causes and (subject in PEOPLE or subject in PEOPLE_NOUNS):
            right = causes[word.low]
            out.append(_over(text, word, word, right, "word_form", f"How a person feels: '{right}'."))
        elif word.low in FEELINGS and subject not in PEOPLE and subject not in ("people", "children"):
            right = FEELINGS[word.low]
            why = f"What makes people feel it is '{right}'; they are '{word.low}'."
            out.append(_over(text, word, word, right, "word_form", why))
    return out


def _noun_for_adjective(text: str, words: list[Word]) -> list[Finding]:
    """'a very success businessman', 'I am very happiness'."""
    out: list[Finding] = []
    for before, word in itertools.pairwise(words):
        if before.low in ("very", "so", "really", "too") and word.low in NOUN_FOR_ADJECTIVE:
            right = NOUN_FOR_ADJECTIVE[word.low]
            why = f"After '{before.low}' we need the adjective: '{right}'."
            out.append(_over(text, word, word, right, "word_form", why))
    return out


def _nouns(text: str, words: list[Word]) -> list[Finding]:
    """Nouns with no plural ("informations"), irregular plurals ("childs"), 'each others', 'one of my friend'
    ('much' with a plural is the usage rules')."""
    out: list[Finding] = []
    lows = [w.low for w in words]
    for i, word in enumerate(words):
        if word.low in UNCOUNTABLE:
            right = UNCOUNTABLE[word.low]
            if i and lows[i - 1] == "many":
                why = f"'{right.capitalize()}' has no plural: 'a lot of {right}'."
                out.append(_over(text, words[i - 1], word, f"a lot of {right}", "plural", why))
            else:
                out.append(_over(text, word, word, right, "plural", f"'{right.capitalize()}' has no plural."))
        elif word.low in IRREGULAR_PLURAL:
            right = IRREGULAR_PLURAL[word.low]
            out.append(_over(text, word, word, right, "plural", f"The plural of this word is '{right}'."))
        elif word.low == "others" and i and lows[i - 1] == "each":
            out.append(_over(text, word, word, "other", "plural", "We say 'each other', with no 's'."))
        elif word.low == "fishes" and i and lows[i - 1] in ("many", "some", "few"):
            out.append(_over(text, word, word, "fish", "plural", "The plural of 'fish' is 'fish'."))
        elif (
            word.low in ("this", "that")
            and i + 1 < len(words)
            and _plural_noun(lows[i + 1])
            and lows[i + 1] != "news"
            and not _relative_that(lows, i)
        ):
            right = "these" if word.low == "this" else "those"
            out.append(_over(text, word, word, right, "agreement", f"With more than one we say '{right}'."))
        elif word.low == "of" and i and lows[i - 1] in ("one", "all", "both", "some", "each", "most"):
            noun = i + 2 if i + 2 < len(words) and lows[i + 1] in DETERMINERS else 0
            if noun and _singular_noun(lows[noun]) and text[words[noun].end : words[noun].end + 1] != "-":
                plural = inflect(lows[noun], "NNS")
                why = f"'{words[i - 1].text.capitalize()} of' is followed by a plural: '{plural}'."
                out.append(_over(text, words[noun], words[noun], plural, "plural", why))
    return out


def _relative_that(lows: list[str], i: int) -> bool:
    """Whether 'that' at ``i`` starts a clause: after a verb that takes one ("we decide that robots should"), or
    about the noun before it, its verb next ("a covering that serves", "a land mass that projects"); not a
    determiner of a plural ("I like that books")."""
    if lows[i] != "that" or i < 1:
        return False
    if verb_lemma(lows[i - 1]) in CLAUSE_VERBS:
        return True
    if i < 2 or "NOUN" not in lemmas(lows[i - 1]) or "VERB" not in lemmas(lows[i + 1]):
        return False
    return any(word in DETERMINERS for word in lows[max(0, i - 3) : i - 1])


def _plural_noun(word: str) -> bool:
    nouns = lemmas(word).get("NOUN", ())
    return bool(nouns) and word not in nouns and any(inflect(noun, "NNS") == word for noun in nouns)


def _singular_noun(word: str) -> bool:
    nouns = lemmas(word).get("NOUN", ())
    plural = inflect(word, "NNS")
    return word in nouns and bool(plural) and plural != word and "ADJ" not in lemmas(word)


def _articles(text: str, words: list[Word]) -> list[Finding]:
    """'Sun is hot' -> 'The sun'; 'The life is' -> 'Life'; 'go to the school', 'play the football', 'had a
    lunch'; 'to be engineer'."""
    out: list[Finding] = []
    lows = [w.low for w in words]
    for i, word in enumerate(words):
        before = lows[i - 1] if i else ""
        after = lows[i + 1] if i + 1 < len(words) else ""
        if word.low in UNIQUE and before not in DETERMINERS and before not in ("of",) and after in ("is", "was"):
            out.append(_over(text, word, word, f"the {word.low}", "article", f"There is one {word.low}: 'the'."))
        elif i == 0 and word.low == "the" and after in GENERIC and i + 2 < len(words) and lows[i + 2] == "is":
            why = f"'{after.capitalize()}' in general takes no 'the'."
            out.append(_over(text, word, words[i + 1], words[i + 1].text, "article", why))
        elif word.low == "the" and before == "to" and after in INSTITUTIONS and i > 1 and _going(lows[i - 2]):
            why = f"We say 'go to {after}', with no 'the'."
            out.append(_over(text, word, words[i + 1], words[i + 1].text, "article", why))
        elif word.low == "the" and after in SPORTS and verb_lemma(before) == "play":
            why = f"Sports take no 'the': 'play {after}'."
            out.append(_over(text, word, words[i + 1], words[i + 1].text, "article", why))
        elif word.low in ("a", "an") and after in MEALS and verb_lemma(before) in ("have", "eat"):
            why = f"Meals take no 'a': 'have {after}'."
            out.append(_over(text, word, words[i + 1], words[i + 1].text, "article", why))
        elif before == "be" and lemmas(word.low).get("NOUN") == (word.low,) and word.low.endswith(("er", "or", "ist")):
            article = "an" if word.low[0] in "aeiou" else "a"
            why = f"Before one person's job we say '{article}'."
            out.append(_over(text, word, word, f"{article} {word.low}", "article", why))
    return out


def _going(word: str) -> bool:
    return verb_lemma(word) in ("go", "come", "walk", "drive", "run", "return", "get")


def _collocations(text: str, words: list[Word]) -> list[Finding]:
    """The verb that goes with a noun: 'make a mistake', 'do homework', 'take a photo', 'ask a question'."""
    out: list[Finding] = []
    lows = [w.low for w in words]
    for i, word in enumerate(words):
        lemma = verb_lemma(word.low)
        if lemma not in COLLOCATION_VERBS:
            continue
        j = i + 1
        while j < len(words) and j <= i + 4 and (lows[j] in DETERMINERS or lows[j] in BETWEEN_VERB_AND_NOUN):
            j += 1
        if j < len(words) and (lemma, lows[j]) in COLLOCATIONS:
            right_lemma = COLLOCATIONS[(lemma, lows[j])]
            tag = next((t for t in VERB_FORMS if inflect(lemma, t) == word.low), "VB")
            right = inflect(right_lemma, tag) or right_lemma
            why = f"With '{lows[j]}' we say '{right_lemma}', not '{lemma}'."
            out.append(_over(text, word, word, right, "word_choice", why))
    for before, word in itertools.pairwise(words):
        if before.low == "strong" and word.low == "rain":
            out.append(_over(text, before, before, "heavy", "word_choice", "We say 'heavy rain'."))
        if before.low in ("is", "was") and word.low == "strong" and "rain" in lows:
            out.append(_over(text, word, word, "heavy", "word_choice", "Rain is 'heavy', not 'strong'."))
    return out


FORM_RULES: tuple[Callable[[str, list[Word]], list[Finding]], ...] = (
    _comparatives,
    _adverbs,
    _feelings,
    _noun_for_adjective,
    _nouns,
    _articles,
    _collocations,
)
