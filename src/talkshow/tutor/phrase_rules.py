"""Learner errors that are a fixed shape of words: a preposition in a set phrase, a word in the wrong
place, a conjunction said twice ("Although ..., but"), 'will' after 'when', a missing possessive 's.

Each is a pattern over the sentence with what replaces it and why. Written against the dev half of
the learner set; scored on the test half (``talkshow bench tutor``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from talkshow.tutor.findings import Finding
from talkshow.tutor.words import Word, cased_like, inflect, lemmas, verb_lemma

__all__ = ["FAMILY", "PHRASE_RULES"]

MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
SURFACES = "wall|table|floor|shelf|desk|ceiling|door|roof"
FAMILY = "friend|brother|sister|aunt|uncle|mother|father|cousin|grandmother|grandfather|son|daughter|neighbour"
THINGS = "car|house|room|bike|phone|flat|book|bag|dog|cat|garden|birthday|office|computer"
OBJECT = {"he": "him", "she": "her", "i": "me", "we": "us", "they": "them", "you": "you"}
FREQUENCY = "always|never|often|usually|sometimes|rarely"


@dataclass(frozen=True)
class Phrase:
    """A pattern (case aside) and what replaces the match: a template, or a function of the match."""

    pattern: re.Pattern[str]
    right: str | Callable[[re.Match[str]], str]
    kind: str
    why: str


def _p(pattern: str, right: str | Callable[[re.Match[str]], str], kind: str, why: str) -> Phrase:
    return Phrase(re.compile(pattern, re.IGNORECASE), right, kind, why)


def _want_that(match: re.Match[str]) -> str:
    lemma = verb_lemma(match[3].lower()) or match[3]
    return f"{match[1]} {OBJECT[match[2].lower()]} to {lemma}"


def _there_be(match: re.Match[str]) -> str:
    verb = "is" if match[2].lower() in ("a", "an", "one") else "are"
    return f"{match[1]} there {verb} {match[2]}"


def _adjective_after_noun(match: re.Match[str]) -> str:
    noun, adjective = match[2], match[3]
    if set(lemmas(adjective.lower())) != {"ADJ"} or "NOUN" not in lemmas(noun.lower()):
        return match[0]
    return f"{match[1]} {adjective} {noun}"


def _embedded_question(match: re.Match[str]) -> str:
    return f"{match[1]} {match[2]} {match[4]} {match[3]}"


def _be_after_frequency(match: re.Match[str]) -> str:
    return f"{match[1]} {match[3]} {match[2]}"


def _enough(match: re.Match[str]) -> str:
    if "ADJ" not in lemmas(match[1].lower()):
        return match[0]
    return f"{match[1]} enough"


def _too_much(match: re.Match[str]) -> str:
    found = lemmas(match[1].lower())
    # "too much cold today": an adjective where the sentence ends or a time or place follows; "too much cold
    # water": 'cold' could be the noun's adjective, and "too much noise" a noun, so those are left.
    if "ADJ" not in found or ("NOUN" in found and match[2] is None):
        return match[0]
    return f"too {match[1]}"


def _manner_before_object(match: re.Match[str]) -> str:
    return f"{match[1]} {match[3]} {match[2]}"


def _when_will(match: re.Match[str]) -> str:
    subject, verb = match[2], match[3].lower()
    lemma = verb_lemma(verb) or verb
    third = subject.lower() in ("he", "she", "it")
    return f"{match[1]} {subject} {inflect(lemma, 'VBZ') if third else lemma}"


PHRASES = (
    _p(rf"\bin the ({SURFACES})\b", r"on the \1", "preposition", "Something flat it touches: 'on the' {0}."),
    _p(rf"\bborn on ({MONTHS}|nineteen|two thousand)\b", r"born in \1", "preposition", "Months and years take 'in'."),
    _p(
        # not "wait a minute", "waited the whole day": a time waited is said with no 'for'
        r"\b(wait|waits|waited|waiting) (the(?! (?:whole|entire|rest)\b)|me|him|her|us|them|my|"
        r"a(?! (?:minute|moment|second|sec|while|bit|little|long|few|couple|hour|day|week|month|year|lot)\b))\b",
        r"\1 for \2",
        "preposition",
        "We 'wait for' someone or something.",
    ),
    _p(r"\b(I|you|we|they) know not\b", r"\1 don't know", "word_order", "We say 'I don't know'."),
    _p(r"\benough (\w+)(?= to\b)", _enough, "word_order", "'Enough' goes after the adjective: 'old enough'."),
    _p(
        r"\btoo much (\w+)\b((?=[.!?,]|$)|(?= (?:today|tonight|now|here|there|outside|for|to|in|this)\b))?",
        _too_much,
        "word_choice",
        "Before an adjective we say 'too', not 'too much'.",
    ),
    _p(
        r"\bduring ((?:two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|many|several|\d+) "
        r"(?:minutes|hours|days|weeks|months|years))\b",
        r"for \1",
        "preposition",
        "How long something lasts takes 'for': 'for two hours'; 'during' goes with a time named: 'during the film'.",
    ),
    _p(r"^(although [^,]+), but\b", r"\1,", "missing_word", "With 'although' we do not say 'but' too."),
    _p(r"^(because [^,]+), so\b", r"\1,", "missing_word", "With 'because' we do not say 'so' too."),
    _p(
        r"\b(when|if|before|after|as soon as) (I|you|he|she|we|they|it) will (\w+)\b",
        _when_will,
        "tense",
        "After 'when' or 'if', the present says the future: no 'will'.",
    ),
    _p(
        rf"\b(my|his|her|your|our|their) ({FAMILY}) ({THINGS})\b",
        r"\1 \2's \3",
        "missing_word",
        "Whose it is: 'my brother's room'.",
    ),
    _p(
        r"\b(want|wanted|wants) that (he|she|I|we|they|you) (\w+)\b",
        _want_that,
        "verb_form",
        "We say 'want someone to do something'.",
    ),
    _p(
        r"\b(in my (?:city|town|country|village|street|house)) have (a|an|one|many|some|two|three|lots|\w+)\b",
        _there_be,
        "word_choice",
        "To say something exists, we say 'there is' or 'there are'.",
    ),
    _p(
        rf"\b(he|she|it|i|we|you|they) ({FREQUENCY}) (is|are|am|was|were)\b",
        _be_after_frequency,
        "word_order",
        "Words like 'never' go after 'be': 'he is never'.",
    ),
    _p(
        r"\b(tell me|know|ask|wonder) (where|what|when|how old|how much) (is|are) (the \w+|my \w+|your \w+|his \w+|"
        r"her \w+|their \w+|our \w+)",
        _embedded_question,
        "word_order",
        "Inside another sentence, a question keeps statement order: 'where the museum is'.",
    ),
    _p(
        r"\b(plays|play|speaks|speak|played|spoke|sings|sing) (very well|well|badly) (the \w+|\w+)\b",
        _manner_before_object,
        "word_order",
        "'Very well' goes after the thing: 'plays the piano very well'.",
    ),
    _p(
        r"\b(a|an|the) (\w+) (big|small|red|blue|green|black|white|new|old|nice|beautiful)\b(?=[.!?]?$)",
        _adjective_after_noun,
        "word_order",
        "An adjective goes before its noun: 'a big house'.",
    ),
)


def _phrases(text: str, words: list[Word]) -> list[Finding]:
    """Every fixed-shape error in ``text`` (``words`` unused: the patterns read the text)."""
    del words
    out: list[Finding] = []
    for phrase in PHRASES:
        for match in phrase.pattern.finditer(text):
            right = phrase.right(match) if callable(phrase.right) else match.expand(phrase.right)
            if right == match[0]:
                continue
            why = phrase.why.replace("{0}", match[1].lower() if match.groups() else "")
            out.append(Finding(match.start(), match.end(), match[0], cased_like(match[0], right), phrase.kind, why))
    return out


PHRASE_RULES: tuple[Callable[[str, list[Word]], list[Finding]], ...] = (_phrases,)
