"""Learner errors of usage: a word English does not count ("an advice", "the news are"), a fixed way of
saying a thing ("I have twenty years", "go to swim", "by foot"), a helper verb doubled ("Do you can"),
'be' before a plain verb ("It is depend", "I am not agree"), the future after 'tomorrow', and how
well something is done said with 'good' or before the thing ("speaks English very good", "drives
fast a car").

Each is a pattern over the sentence with what replaces it and why, like ``phrase_rules``. Written
against the dev half of the learner set; scored on the test half (``talkshow bench tutor``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from talkshow.tutor.findings import Finding, pattern_rule
from talkshow.tutor.learner_words import BE_FOR, JOBS, NOT_COUNTED
from talkshow.tutor.words import Word, inflect, lemmas, verb_lemma

__all__ = ["USAGE_RULES"]

UNCOUNTED = "|".join(sorted(NOT_COUNTED))
JOB_WORDS = "|".join(sorted(JOBS))
NUMBER_WORDS = ("two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
                "seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|\\d+")  # fmt: skip
DO_NOT_FOR = {"i": "don't", "you": "don't", "we": "don't", "they": "don't", "he": "doesn't", "she": "doesn't",
              "it": "doesn't"}  # fmt: skip
THIRD = {"he", "she", "it"}
ACTIVITIES = "swim|fish|ski|hike|jog|sail|skate|dance|bowl|surf|climb|shop"
INTENSIFIERS = {"very", "really", "so", "quite"}


def _plain_verb_after_be(match: re.Match[str]) -> str:
    """'It is depend' -> 'It depends'; 'I am not agree' -> 'I don't agree' ('' where it is not that)."""
    subject, negative, said = match[1].lower(), match[3], match[4].lower()
    found = lemmas(said)
    verb = verb_lemma(said)
    if set(found) != {"VERB"} or said not in (verb, inflect(verb, "VBZ")) or subject not in BE_FOR:
        return ""  # "I am tired", "It is open": an adjective, a participle, a noun
    if inflect(verb, "VBN") == verb:
        return ""  # "It is put away": a passive whose participle is the plain verb
    if BE_FOR[subject] != match[2].lower():
        return ""
    if negative:
        return f"{match[1]} {DO_NOT_FOR[subject]} {verb}"
    return f"{match[1]} {inflect(verb, 'VBZ') if subject in THIRD else verb}"


def _age_with_have(match: re.Match[str]) -> str:
    """'I have twenty years' -> 'I am twenty years old'."""
    subject = match[1].lower()
    be = {"have": BE_FOR.get(subject, "are"), "has": "is", "had": "was" if subject in THIRD | {"i"} else "were"}
    return f"{match[1]} {be[match[2].lower()]} {match[3]} years old"


def _uncountable_with_article(match: re.Match[str]) -> str:
    """'an advice' -> 'advice'; 'a useful information' -> 'useful information'."""
    between = (match[2] or "").split()
    if not all(word.lower() in INTENSIFIERS or "ADJ" in lemmas(word) for word in between):
        return ""  # "a piece of advice", "a lot of fun"
    return " ".join([*between, match[3]])


def _article_before_job(match: re.Match[str]) -> str:
    """'He is very good cook' -> 'He is a very good cook'."""
    between = match[2].split()
    if not all(word.lower() in INTENSIFIERS or "ADJ" in lemmas(word) for word in between):
        return ""
    article = "an" if match[2][:1].lower() in "aeiou" else "a"
    return f"{match[1]} {article} {match[2]}{match[3]}"


def _uncountable_subject(match: re.Match[str]) -> str:
    """'The news are' -> 'The news is'."""
    return f"{match[1]} {'is' if match[2].lower() == 'are' else 'was'}"


def _go_doing(match: re.Match[str]) -> str:
    """'go to swim' -> 'go swimming'."""
    return f"{match[1]} {inflect(match[2].lower(), 'VBG')}"


def _stative_in_progress(match: re.Match[str]) -> str:
    """'I am knowing the answer' -> 'I know the answer'."""
    subject = match[1].lower()
    if subject not in BE_FOR or BE_FOR[subject] != match[2].lower().replace("'m", "am"):
        return ""
    lemma = verb_lemma(match[3].lower())
    return f"{match[1]} {inflect(lemma, 'VBZ') if subject in THIRD else lemma}"


def _much_many(match: re.Match[str]) -> str:
    """'How many money' -> 'How much money'; 'much people' -> 'many people'; 'less friends' -> 'fewer'."""
    word, noun = match[1].lower(), match[2].lower()
    counted = noun in ("people", "children") or (
        noun.endswith("s") and inflect(lemmas(noun).get("NOUN", ("",))[0], "NNS") == noun and noun not in NOT_COUNTED
    )
    if word == "many" and noun in NOT_COUNTED:
        return f"much {match[2]}"
    if word in ("much", "less") and counted:
        return f"{'many' if word == 'much' else 'fewer'} {match[2]}"
    return ""


def _thinking_of(match: re.Match[str]) -> str:
    """'thinking to buy' -> 'thinking of buying'."""
    lemma = verb_lemma(match[2].lower())
    return f"{match[1]} of {inflect(lemma, 'VBG')}" if lemma == match[2].lower() else ""


def _one_of_many(match: re.Match[str]) -> str:
    """'one brothers' -> 'one brother'."""
    word = match[2].lower()
    singular = lemmas(word).get("NOUN", ("",))[0]
    if not singular or singular == word or inflect(singular, "NNS") != word:
        return ""
    return f"{match[1]} {singular}"


_USAGE = (
    pattern_rule(
        r"\b(I|you|we|they|he|she|it) (am|is|are)( not)? ([a-z]+)\b",
        _plain_verb_after_be,
        "agreement",
        "That word is a verb: we say 'it depends', 'I don't agree', without 'be'.",
    ),
    pattern_rule(
        (
            rf"\b(I|you|we|they|he|she|(?:my|his|her|our|their|your) [a-z]+) (have|has|had) ({NUMBER_WORDS}) "
            r"years(?: old)?(?=[.!?,]|$| and| now)"
        ),
        _age_with_have,
        "word_choice",
        "Our age takes 'be': 'I am twenty years old'.",
    ),
    pattern_rule(
        rf"\b(a|an) ((?:[a-z]+ ){{0,2}}?)({UNCOUNTED})s?\b",
        _uncountable_with_article,
        "article",
        "We do not count this word, so it takes no 'a' or 'an'.",
    ),
    pattern_rule(
        rf"\b(am|is|was|I'm|he's|she's) ((?:[a-z]+ ){{1,2}})({JOB_WORDS})\b",
        _article_before_job,
        "article",
        "Before one person's job we say 'a' or 'an': 'a very good cook'.",
    ),
    pattern_rule(
        rf"\b((?:the|this|that|my|your|his|her|our|their) (?:{UNCOUNTED})) (are|were)\b",
        _uncountable_subject,
        "agreement",
        "We do not count this word, so its verb is singular: 'the news is'.",
    ),
    pattern_rule(
        rf"\b(go|goes|went|gone) to ({ACTIVITIES})\b(?! (?:the|a|an|my|class|lessons?|practice)\b)",
        _go_doing,
        "verb_form",
        "For activities we say 'go swimming', 'go fishing'.",
    ),
    pattern_rule(
        r"\bby foot\b",
        lambda match: "on foot",
        "preposition",
        "We say 'on foot' (but 'by bus', 'by car').",
    ),
    pattern_rule(
        (
            r"\b(I|you|we|they|he|she|it) (am|is|are|'m) (knowing|wanting|believing|"
            r"owning|preferring|belonging)\b"
        ),
        _stative_in_progress,
        "tense",
        "Verbs like 'know' are not used with -ing for now: 'I know'.",
    ),
    pattern_rule(
        r"\b(prefer|prefers|preferred) ((?:[a-z]+ ){1,3})than\b",
        lambda match: f"{match[1]} {match[2]}to",
        "preposition",
        "We 'prefer one thing to another'.",
    ),
    pattern_rule(
        (
            r"\b(go|goes|went|going) at the (cinema|park|shop|beach|station|airport|museum|theatre|theater|gym|"
            r"library|supermarket|restaurant|party|zoo|market|office|bank|concert|city|mall)\b"
        ),
        lambda match: f"{match[1]} to the {match[2]}",
        "preposition",
        "Going somewhere takes 'to': 'went to the cinema'.",
    ),
    pattern_rule(
        r"\b(many|much|less) ([a-z]+)\b",
        _much_many,
        "word_choice",
        "'Much' and 'less' go with what we do not count, 'many' and 'fewer' with what we count.",
    ),
    pattern_rule(
        r"\b(like|likes|love|loves|hate|hates|enjoy|enjoys) to ([a-z]+ing)\b",
        lambda match: f"{match[1]} {match[2]}",
        "verb_form",
        "With the -ing form there is no 'to': 'I like playing'.",
    ),
    pattern_rule(
        r"\b(feel|feels|felt) (myself|yourself|himself|herself|ourselves|themselves) ([a-z]+)\b",
        lambda match: f"{match[1]} {match[3]}" if "ADJ" in lemmas(match[3].lower()) else "",
        "pronoun",
        "We say 'I feel tired', with no 'myself'.",
    ),
    pattern_rule(
        (
            r"\b(go|goes|went|gone) to (shopping|swimming|fishing|skiing|hiking|jogging|sailing|skating|dancing|"
            r"bowling|surfing|climbing|camping|running)\b"
        ),
        lambda match: f"{match[1]} {match[2]}",
        "preposition",
        "For activities we say 'go shopping', with no 'to'.",
    ),
    pattern_rule(
        r"\b(thinking) to ([a-z]+)\b",
        _thinking_of,
        "verb_form",
        "We say 'thinking of doing' something.",
    ),
    pattern_rule(
        r"\b(one) ([a-z]+s)\b(?! of)",
        _one_of_many,
        "plural",
        "After 'one' the noun is singular: 'one brother'.",
    ),
)


def _usage(text: str, words: list[Word]) -> list[Finding]:
    """Every usage error in ``text`` (``words`` unused: the patterns read the text)."""
    del words
    return [finding for find in _USAGE for finding in find(text)]


USAGE_RULES: tuple[Callable[[str, list[Word]], list[Finding]], ...] = (_usage,)
