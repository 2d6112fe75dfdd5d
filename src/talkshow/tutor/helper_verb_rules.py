"""Learner errors around a helper verb or a noun subject, found by the learner set's seventh dev round: 'be' and
'do' that do not agree with a noun ("The keys was", "My uncle don't"), a verb with -s after 'does' ("Does she
likes"), a base form after 'hasn't' ("She hasn't finish"), 'do' before a modal ("She doesn't can swim"), a verb
after "neither of them", "used to" with -ing where no 'be' goes before it, "rather to", "suggest you to", "if I
was ... would", and a negative said twice ("Nobody didn't come").

Patterns over the sentence with what replaces them and why, like ``phrase_agreement_rules``. Written against the
dev half of the learner set; scored on the test half (``talkshow bench tutor``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from talkshow.tutor.findings import Finding, pattern_rule, patterns_rule
from talkshow.tutor.words import Word, inflect, lemmas, plural_noun, verb_lemma

__all__ = ["HELPER_VERB_RULES"]

DETERMINER = r"(?:the|my|your|his|her|our|their)"
# Groups British English says either way with.
GROUPS = frozenset("family team class government staff crew group audience couple band company".split())
SINGULAR_OF = {"were": "was", "are": "is", "don't": "doesn't", "do": "does", "weren't": "wasn't", "aren't": "isn't"}
PLURAL_OF = {value: key for key, value in SINGULAR_OF.items()}
# Words after "haven't" that are things had, not a verb's base form: "I haven't time".
HAD_THINGS = frozenset("time money work enough any a an the much many".split())
# 'Be' or 'get' before "used to": then -ing is right ("I'm used to playing", "got used to driving").
USED_TO_WITH_ING = re.compile(r"\b(?:am|is|are|was|were|be|been|being|get|gets|got|getting|'m|'re|'s)\s+$", re.I)


def _be_or_do_for_the_noun(match: re.Match[str]) -> str:
    """'The keys was' -> 'The keys were'; 'My uncle don't' -> 'My uncle doesn't'."""
    noun, verb = match[2].lower(), match[3].lower()
    if "NOUN" not in lemmas(noun) or noun in GROUPS:
        return ""
    if plural_noun(noun):
        right = PLURAL_OF.get(verb, "")
    else:
        right = SINGULAR_OF.get(verb, "") if not noun.endswith("s") else ""  # "The news", "my glasses"
    return f"{match[1]} {match[2]} {right}" if right else ""


def _base_after_do(match: re.Match[str]) -> str:
    """'Does she likes chocolate?' -> 'Does she like chocolate?'."""
    verb = match[3].lower()
    lemma = verb_lemma(verb)
    if not lemma or lemma == verb or inflect(lemma, "VBZ") != verb or lemma in ("be", "have", "do"):
        return ""
    return f"{match[1]} {match[2]} {lemma}"


def _participle_after_have_not(match: re.Match[str]) -> str:
    """'She hasn't finish her lunch' -> 'hasn't finished'."""
    verb = match[2].lower()
    lemma = verb_lemma(verb)
    done = inflect(lemma, "VBN") if lemma else ""
    if verb in HAD_THINGS or lemma != verb or not done or done == verb:
        return ""
    return f"{match[1]} {done}"


def _modal_not_do(match: re.Match[str]) -> str:
    """'She doesn't can swim' -> 'She can't swim'; 'didn't can' -> 'couldn't'."""
    modal = match[2].lower()
    if match[1].lower() == "didn't":
        return {"can": "couldn't", "could": "couldn't"}.get(modal, "")
    return {"can": "can't", "must": "mustn't"}.get(modal, "")


def _one_of_two(match: re.Match[str]) -> str:
    """'Neither of them want to come' -> 'wants'."""
    verb = match[3].lower()
    lemma = verb_lemma(verb)
    if not lemma or lemma != verb or lemma in ("be", "have", "do") or inflect(lemma, "VBD") == verb:
        return ""  # "Each of them cost ten pounds" may be the past
    return f"{match[1]} of {match[2]} {inflect(lemma, 'VBZ')}"


def _base_after_used_to(match: re.Match[str]) -> str:
    """'I used to playing football' -> 'I used to play' (where 'be used to playing' is right)."""
    if USED_TO_WITH_ING.search(match.string[: match.start()]):
        return ""
    lemma = verb_lemma(match[1].lower())
    return f"used to {lemma}" if lemma and inflect(lemma, "VBG") == match[1].lower() else ""


def _past_for_double_negative(match: re.Match[str]) -> str:
    """'Nobody didn't come' -> 'Nobody came'; 'Nobody doesn't know' -> 'Nobody knows'."""
    lemma = verb_lemma(match[3].lower())
    if not lemma or lemma != match[3].lower():
        return ""
    form = inflect(lemma, "VBD" if match[2].lower() == "didn't" else "VBZ")
    return f"{match[1]} {form}" if form else ""


_HELPER_VERBS = (
    pattern_rule(
        rf"^({DETERMINER}) ([a-z]+) (was|were|is|are|don't|doesn't|do|does|wasn't|weren't|isn't|aren't)\b",
        _be_or_do_for_the_noun,
        "agreement",
        "The verb agrees with its subject: 'The keys were', 'My uncle doesn't'.",
    ),
    pattern_rule(
        rf"\b(does|did|doesn't|didn't) (he|she|it|{DETERMINER} [a-z]+) ([a-z]+s)\b",
        _base_after_do,
        "verb_form",
        "After 'does' or 'did' the verb has no -s: 'Does she like it?'.",
    ),
    pattern_rule(
        r"\b(hasn't|haven't|hadn't|has not|have not|had not) ([a-z]+)\b",
        _participle_after_have_not,
        "verb_form",
        "After 'have' comes the past participle: 'She hasn't finished'.",
    ),
    pattern_rule(
        r"\b(doesn't|don't|didn't) (can|could|must)\b",
        _modal_not_do,
        "verb_form",
        "'Can' makes its own negative: 'She can't swim', with no 'doesn't'.",
    ),
    pattern_rule(
        rf"\b(neither|either|each) of (them|us|you|{DETERMINER} [a-z]+) ([a-z]+)\b",
        _one_of_two,
        "agreement",
        "After 'neither of them' the verb is singular: 'Neither of them wants to come'.",
    ),
    pattern_rule(
        r"\bused to ([a-z]+ing)\b",
        _base_after_used_to,
        "verb_form",
        "For what we did often in the past, 'used to' takes the verb itself: 'I used to play'.",
    ),
    pattern_rule(
        r"\b(would|'d) rather to\b",
        lambda match: f"{match[1]} rather",
        "verb_form",
        "After 'would rather' the verb comes with no 'to': 'I'd rather stay'.",
    ),
    pattern_rule(
        r"\b(suggest|suggests|suggested) (you|him|her|them|us) to\b",
        lambda match: f"{match[1]} {match[2]}",
        "verb_form",
        "We say 'I suggest you take the train', with no 'to'.",
    ),
    pattern_rule(
        r"\b(if) (I|he|she|it) was\b(?=[^.!?]*\bwould\b)",
        lambda match: f"{match[1]} {match[2]} were",
        "verb_form",
        "For something imagined, 'if' takes 'were': 'If I were rich, I would travel'.",
    ),
    pattern_rule(
        r"\b(nobody|no one|nothing) (didn't|doesn't|don't) ([a-z]+)\b",
        _past_for_double_negative,
        "word_choice",
        "'Nobody' is already 'no': 'Nobody came', not 'Nobody didn't come'.",
    ),
)

HELPER_VERB_RULES: tuple[Callable[[str, list[Word]], list[Finding]], ...] = (patterns_rule(_HELPER_VERBS),)
