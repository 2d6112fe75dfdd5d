"""Learner errors of word order and of the form a phrase takes: 'do' before a modal ("Do you can"), the
future after 'tomorrow', how well something is done said before the thing or with 'good' ("drives fast a
car", "speaks English very good"), a question inside a sentence ("where do I live"), the comparative for a
whole group ("the taller in the class"), "explained me the problem", "the car of my father".

Each is a pattern over the sentence with what replaces it and why, like ``usage_rules``. Written against the
dev half of the learner set; scored on the test half (``talkshow bench tutor``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from talkshow.tutor.findings import Finding, pattern_rule, patterns_rule
from talkshow.tutor.learner_words import BE_FOR
from talkshow.tutor.phrase_rules import FAMILY
from talkshow.tutor.words import Word, inflect, lemmas, verb_lemma

__all__ = ["ORDER_RULES"]

SCHEDULED = {"have", "start", "begin", "leave", "arrive", "open", "close", "finish", "end"}  # "Tomorrow I have a test"
NOT_A_THING = {"time", "first", "last", "next", "whole", "same", "other", "rest"}  # "did well the first time"
# Things done well or badly ("she sings well"); 'good' after them is the adverb's place.
DONE_WELL = {"speak", "play", "sing", "dance", "cook", "write", "swim", "drive", "work", "sleep", "read", "draw",
             "paint", "run", "teach", "understand"}  # fmt: skip
MANNER = "fast|slowly|quickly|carefully|well|badly|very well|very fast|very slowly|very carefully|very badly"
FUTURE_TIME = r"tomorrow|next (?:week|month|year|summer|winter|weekend|monday|tuesday|wednesday|thursday|friday)"
MODALS = {"will", "would", "can", "could", "shall", "should", "must", "may", "might"}


AUXILIARY_VERBS = {"be", "have", "do"} | MODALS
WHEN_WORDS = "yesterday|today|last night|last week|last year|every day|every morning"


def _question_without_do(match: re.Match[str]) -> str:
    """'Where lives your sister?' -> 'Where does your sister live?'; 'What meant it?' -> 'What did it mean?'."""
    verb = match[2].lower()
    lemma = verb_lemma(verb)
    if not lemma or lemma in AUXILIARY_VERBS or verb not in (inflect(lemma, "VBZ"), inflect(lemma, "VBD")):
        return ""
    do = "does" if verb == inflect(lemma, "VBZ") else "did"
    return f"{match[1]} {do} {match[3]} {lemma}"


def _also_before_verb(match: re.Match[str]) -> str:
    """'I like also football' -> 'I also like football'."""
    verb, after = match[2].lower(), (match[3] or "").lower()
    lemma = verb_lemma(verb)
    if not lemma or lemma in AUXILIARY_VERBS - {"have"} or verb in MODALS:
        return ""
    if lemma == "have" and (after_lemma := verb_lemma(after)) and after == inflect(after_lemma, "VBN"):
        return ""  # "I have also seen it": 'also' after the helper is right
    return f"{match[1]} also {match[2]}"


def _time_after_thing(match: re.Match[str]) -> str:
    """'I saw yesterday my friend' -> 'I saw my friend yesterday'."""
    lemma = verb_lemma(match[1].lower())
    if not lemma or lemma in AUXILIARY_VERBS or match[1].lower() in MODALS:
        return ""
    return f"{match[1]} {match[3]} {match[2]}"


def _do_before_modal(match: re.Match[str]) -> str:
    """'Do you can help?' -> 'Can you help?'."""
    return f"{match[3]} {match[2]}"


def _future(match: re.Match[str]) -> str:
    """'Tomorrow I go to visit' -> 'Tomorrow I am going to visit'; 'Tomorrow we visit' -> 'we will visit'."""
    subject, verb, after = match[2], match[3].lower(), match[4] or ""
    if subject.lower() not in BE_FOR or verb in MODALS or "VERB" not in lemmas(verb):
        return ""
    lemma = verb_lemma(verb)
    if lemma in SCHEDULED | {"be"}:
        return ""
    if verb not in (lemma, inflect(lemma, "VBZ")):
        return ""  # 'went', 'will': not a present tense
    if lemma == "go" and after.lower().startswith(" to "):
        return f"{match[1]}{subject} {BE_FOR[subject.lower()]} going{after}"
    return f"{match[1]}{subject} will {lemma}{after}"


def _manner_after_thing(match: re.Match[str]) -> str:
    """'He drives fast a car' -> 'He drives a car fast'."""
    if not verb_lemma(match[1].lower()) or match[1].lower() in MODALS or match[3].split()[1].lower() in NOT_A_THING:
        return ""
    return f"{match[1]} {match[3]} {match[2]}"


def _well_not_good(match: re.Match[str]) -> str:
    """'She speaks English very good' -> '... very well'."""
    if verb_lemma(match[1].lower()) not in DONE_WELL:
        return ""  # "This soup tastes very good": 'good' describes the thing
    return f"{match[0][: -len(match[3])]}well"


def _question_inside(match: re.Match[str]) -> str:
    """'She asked me where do I live' -> 'where I live': a question inside a sentence keeps statement order."""
    do, subject, verb = match[2].lower(), match[3], match[4].lower()
    lemma = verb_lemma(verb)
    if not lemma or verb != lemma:
        return ""
    tag = {"did": "VBD", "does": "VBZ"}.get(do, "VB")
    return f"{match[1]} {subject} {inflect(lemma, tag)}"


def _superlative(match: re.Match[str]) -> str:
    """'the taller boy in his class' -> 'the tallest boy'; 'the more intelligent student in' -> 'the most'."""
    if match[1].lower() == "more":
        return f"the most {match[2]}"
    adjective = lemmas(match[1].lower()).get("ADJ", ("",))[0]
    most = inflect(adjective, "JJS") if adjective else ""
    if not most or inflect(adjective, "JJR") != match[1].lower():
        return ""
    return f"the {most} {match[2]}"


def _explain_to(match: re.Match[str]) -> str:
    """'explained me the problem' -> 'explained the problem to me'."""
    return f"{match[1]} {match[3]} to {match[2]}"


_ORDER = (
    pattern_rule(
        # 'what' only with 'mean': "What made the noise?" asks about the subject, and is right
        r"^(where|when|why|how|how much|how often|what(?= means? | meant ))(?: )([a-z]+) ((?:the|this|that|my|your|"
        r"his|her|our|their) [a-z]+)(?=\?)",
        _question_without_do,
        "word_order",
        "A question with a verb like 'live' takes 'does': 'Where does your sister live?'.",
    ),
    pattern_rule(
        r"^(why|where|what|when|how) (you|I|we|they|he|she) (didn't|don't|doesn't|did|do|does) ([a-z]+)(?=[^.]*\?)",
        lambda match: f"{match[1]} {match[3]} {match[2]} {match[4]}",
        "word_order",
        "In a question, 'do' comes before the subject: 'Why didn't you come?'.",
    ),
    pattern_rule(
        r"^(always|never) (I|you|we|they|he|she) ([a-z]+)",
        lambda match: f"{match[2]} {match[1].lower()} {match[3]}" if verb_lemma(match[3].lower()) else "",
        "word_order",
        "'Always' and 'never' go after the subject, before the verb: 'I always drink'.",
    ),
    pattern_rule(
        r"\b(I|you|we|they|he|she) ([a-z]+) also\b(?= ([a-z]+))?",
        _also_before_verb,
        "word_order",
        "'Also' goes before the verb: 'I also like football'.",
    ),
    pattern_rule(
        rf"\b([a-z]+) ({WHEN_WORDS}) ((?:my|the|a|an|his|her|our|their|your) [a-z]+)"
        r"(?=[.!?,]|$| (?:at|in|on|to|for|with|from|and)\b)",
        _time_after_thing,
        "word_order",
        "When it happened goes after the thing: 'I saw my friend yesterday'.",
    ),
    pattern_rule(
        r"\b(know|knows|knew|ask|asked|asks|wonder|wondered|tell me|remember) (what time|where|what|who|how old|how) "
        r"(is|are|was|were) (it|he|she|they|you|we)(?=[.!?]?$)",
        lambda match: f"{match[1]} {match[2]} {match[4]} {match[3]}",
        "word_order",
        "Inside another sentence, a question keeps statement order: 'what time it is'.",
    ),
    pattern_rule(
        r"\b(do|does|did) (you|I|we|they|he|she|it) (can|could|will|would|should|must|may)\b",
        _do_before_modal,
        "word_order",
        "'Can' asks the question itself, with no 'do': 'Can you help me?'.",
    ),
    pattern_rule(
        rf"\b((?:{FUTURE_TIME}),? )(I|you|we|they|he|she) ([a-z]+)( to [a-z]+)?\b",
        _future,
        "tense",
        "It has not happened yet: 'I am going to visit' or 'I will visit'.",
    ),
    pattern_rule(
        rf"\b([a-z]+) ({MANNER}) ((?:a|an|the|my|his|her|their|our|your) [a-z]+)\b",
        _manner_after_thing,
        "word_order",
        "How something is done goes after the thing: 'drives a car fast'.",
    ),
    pattern_rule(
        r"\b([a-z]+) (?:[a-z]+ ){1,2}((?:very |really |so )?)(good)(?=[.!?]?$)",
        _well_not_good,
        "word_form",
        "How we do something takes 'well', not 'good': 'she speaks English well'.",
    ),
    pattern_rule(
        r"\b(where|what|when|why|how|who) (do|does|did) (I|you|we|they|he|she|it) ([a-z]+)\b(?=[^?]*[.!]?$)",
        _question_inside,
        "word_order",
        "Inside another sentence, a question keeps statement order: 'asked me where I live'.",
    ),
    pattern_rule(
        (
            r"\bthe (more|[a-z]+er) ([a-z]+(?: [a-z]+)?)(?= (?:in|of) (?:the|my|his|her|our|their|all)\b)"
            r"(?! of the two)"
        ),
        _superlative,
        "comparative",
        "Comparing with a whole group takes the superlative: 'the tallest in the class'.",
    ),
    pattern_rule(
        (
            r"\b(explain|explains|explained|explaining) (me|him|her|us|them) ((?:the|this|that|a|an|my|his|her|"
            r"our|their|your) [a-z]+|it|this|that)\b"
        ),
        _explain_to,
        "word_order",
        "We explain something to someone: 'explained the problem to me'.",
    ),
    pattern_rule(
        rf"\bthe ([a-z]+) of (my|your|his|her|our|their) ({FAMILY})\b",
        lambda match: f"{match[2]} {match[3]}'s {match[1]}" if "NOUN" in lemmas(match[1].lower()) else "",
        "word_order",
        "Whose it is goes first, with 's: 'my father's car'.",
    ),
)


ORDER_RULES: tuple[Callable[[str, list[Word]], list[Finding]], ...] = (patterns_rule(_ORDER),)
