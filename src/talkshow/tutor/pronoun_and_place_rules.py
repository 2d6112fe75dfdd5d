"""Learner errors found by the learner set's eighth dev round: a pronoun where a possessive or reflexive goes ("she
name is", "bigger than our", "I cut me"), a past participle without 'have' ("I seen him"), "there are a cat", a
superlative without 'the' ("She is best student"), a plural after 'a' ("a very interesting films"), and places
and times ("in the phone", "in the weekend", "lives at Berlin", "go at school", "in the last weekend",
"Yesterday was raining"), "How do you call this", and "sleep good".

Patterns over the sentence with what replaces them and why, like ``set_phrase_rules``. Written against the dev
half of the learner set; scored on the test half (``talkshow bench tutor``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from talkshow.tutor.findings import Finding, pattern_rule, patterns_rule
from talkshow.tutor.set_phrase_rules import DAYS
from talkshow.tutor.usage_rules import PLURAL_ONLY
from talkshow.tutor.words import Word, inflect, lemmas, verb_lemma

__all__ = ["PRONOUN_AND_PLACE_RULES"]

POSSESSIVE_OF = {"he": "his", "she": "her", "they": "their", "we": "our", "it": "its"}
STANDING_ALONE = {"my": "mine", "our": "ours", "your": "yours", "their": "theirs"}
REFLEXIVE = {("i", "me"): "myself", ("we", "us"): "ourselves"}
# Verbs said after a pronoun, which are nouns too: "he thinks is", never "his think".
SAYING_VERBS = frozenset("think thinks say says know knows hope hopes guess mean means feel feels".split())
# Past participles that differ from the past: "I seen him" -> "I saw him".
PARTICIPLES = ("seen|done|gone|eaten|written|given|taken|spoken|broken|driven|ridden|forgotten|stolen|fallen|"
               "chosen|begun|swum|sung|drunk|flown|grown|thrown|shown|worn")  # fmt: skip
# After "there are a": a quantity, not one thing ("There are a lot of", "a few", "a couple of").
QUANTITIES = frozenset("lot lots few couple number dozen pair great hundred thousand million".split())
NOT_PLURALS = frozenset(PLURAL_ONLY.split("|")) | {"news", "series", "species"}  # no singular to say
TALKING = re.compile(r"\b(?:talk|talks|talked|talking|speak|speaks|spoke|speaking|chat|chats|chatted|chatting|"
                     r"am|is|are|was|were)\b[^.!?]*$", re.IGNORECASE)  # fmt: skip
MOTION = "go|goes|went|going|come|comes|came|coming|walk|walks|walked|walking|travel|travels|travelled|traveled"
PLACES_GONE_TO = (
    "school|work|university|college|church|bed|the (?:cinema|park|shops?|market|beach|station|"
    "supermarket|gym|library|museum|zoo|airport|hospital|office|party|theatre|theater|bank|city)"
)
SEASONS_AND_DAYS = f"weekend|summer|winter|spring|autumn|holidays?|{DAYS}"
DONE_WELL = ("sleep|sleeps|slept|play|plays|played|speak|speaks|spoke|sing|sings|sang|swim|swims|swam|dance|dances|"
             "danced|cook|cooks|cooked|drive|drives|drove|write|writes|wrote|run|runs|ran")  # fmt: skip
LANGUAGES_AND_GAMES = "english|french|spanish|german|italian|chinese|football|tennis|chess|the piano|the guitar"


def _possessive_before_a_noun(match: re.Match[str]) -> str:
    """'I have a cat, she name is Luna' -> 'her name is'."""
    noun = match[3].lower()
    if noun in SAYING_VERBS or noun not in lemmas(noun).get("NOUN", ()):
        return ""
    return f"{match[1]}{POSSESSIVE_OF[match[2].lower()]} {match[3]} {match[4]}"


def _reflexive(match: re.Match[str]) -> str:
    """'I cut me with a knife' -> 'I cut myself'."""
    own = REFLEXIVE.get((match[1].lower(), match[3].lower()))
    return f"{match[1]} {match[2]} {own}" if own and verb_lemma(match[2].lower()) else ""


def _past_for_participle(match: re.Match[str]) -> str:
    """'I seen him' -> 'I saw him'."""
    lemma = verb_lemma(match[2].lower())
    past = inflect(lemma, "VBD") if lemma else ""
    return f"{match[1]} {past}" if past else ""


def _one_thing_there(match: re.Match[str]) -> str:
    """'There are a cat' -> 'There is a cat'."""
    if match[3].lower() in QUANTITIES:
        return ""
    return f"there {'is' if match[1].lower() == 'are' else 'was'} {match[2]} {match[3]}"


def _superlative_needs_the(match: re.Match[str]) -> str:
    """'She is best student in the class' -> 'the best student'."""
    most, noun = match[2].lower(), match[3].lower()
    adjectives = lemmas(most).get("ADJ", ())
    superlative = most.startswith("most ") or (most.endswith("est") and bool(adjectives) and most not in adjectives)
    if not superlative or noun not in lemmas(noun).get("NOUN", ()) or "ADJ" in lemmas(noun):
        return ""
    return f"{match[1]} the {match[2]} {match[3]}"


def _one_after_a(match: re.Match[str]) -> str:
    """'It was a very interesting films' -> 'a very interesting film'."""
    describing, noun = match[2].lower().split()[-1], match[3].lower()
    if describing in QUANTITIES or noun in NOT_PLURALS or "ADJ" not in lemmas(describing):
        return ""
    nouns = lemmas(noun).get("NOUN", ())
    return f"{match[1]} {match[2]} {nouns[0]}" if nouns and noun not in nouns and noun.endswith("s") else ""


def _on_the_phone(match: re.Match[str]) -> str:
    """'We talked about it in the phone' -> 'on the phone' (but 'the battery in the phone is dead')."""
    return "on the phone" if TALKING.search(match.string[: match.start()]) else ""


def _at_a_city(match: re.Match[str]) -> str:
    """'She lives at Berlin' -> 'lives in Berlin' (a name: 'lives at home', 'at number five' stay)."""
    return f"{match[1]} in {match[2]}" if match[2][0].isupper() else ""


_PRONOUNS_AND_PLACES = (
    pattern_rule(
        r"(^|[,;] |\band |\bbut )(he|she|they|we|it) ([a-z]+) (is|was|are|were)\b",
        _possessive_before_a_noun,
        "pronoun",
        "Before a noun we use 'her', 'his', 'their': 'her name is'.",
    ),
    pattern_rule(
        r"\b(than|of) (my|our|your|their)(?=[.!?,]|$| too\b)",
        lambda match: f"{match[1]} {STANDING_ALONE[match[2].lower()]}",
        "pronoun",
        "Without a noun after it we say 'ours', 'mine': 'bigger than ours'.",
    ),
    pattern_rule(
        r"\b(I|we) ([a-z]+) (me|us)\b",
        _reflexive,
        "pronoun",
        "When you do it to yourself we say 'myself', 'ourselves': 'I cut myself'.",
    ),
    pattern_rule(
        rf"(?<!\bhave )(?<!\bhas )(?<!\bhad )\b(I|you|we|they|he|she) ({PARTICIPLES})\b",
        _past_for_participle,
        "tense",
        "Without 'have', we use the past: 'I saw him' (or 'I have seen him').",
    ),
    pattern_rule(
        r"\bthere (are|were) (a|an) ([a-z]+)\b",
        _one_thing_there,
        "agreement",
        "With one thing we say 'there is': 'There is a cat'.",
    ),
    pattern_rule(
        r"\b(is|was|am|are|were) (most [a-z]+|[a-z]+est) ([a-z]+)\b",
        _superlative_needs_the,
        "article",
        "Before 'best' or a word with -est we say 'the': 'the best student'.",
    ),
    pattern_rule(
        r"\b(a|an) ((?:very |really |quite |so )?[a-z]+) ([a-z]+)\b(?! of\b)",
        _one_after_a,
        "plural",
        "After 'a' the noun is singular: 'a very interesting film'.",
    ),
    pattern_rule(
        r"\bin the phone\b(?=[.!?,]|$| (?:with|to|for|and|all|about|yesterday|today|last|every|again|when|because)\b)",
        _on_the_phone,
        "preposition",
        "We talk 'on the phone'.",
    ),
    pattern_rule(r"\bin the weekend\b", lambda match: "at the weekend", "preposition", "We say 'at the weekend'."),
    pattern_rule(
        r"\b(live|lives|lived|living) at ([a-z]+)\b",
        _at_a_city,
        "preposition",
        "A town or a country takes 'in': 'She lives in Berlin'.",
    ),
    pattern_rule(
        rf"\b({MOTION}) at ({PLACES_GONE_TO})\b",
        lambda match: f"{match[1]} to {match[2]}",
        "preposition",
        "Going somewhere takes 'to': 'I go to school'.",
    ),
    pattern_rule(
        rf"\bin the last ({SEASONS_AND_DAYS})\b",
        lambda match: f"last {match[1]}",
        "preposition",
        "A time just past needs no preposition: 'last weekend'.",
    ),
    pattern_rule(
        r"^(yesterday|today|last night|this morning|all day)(,?) (was|is) (raining|snowing|pouring|drizzling)\b",
        lambda match: f"{match[1]}{match[2]} it {match[3]} {match[4]}",
        "missing_word",
        "Weather needs a subject: 'it was raining'.",
    ),
    pattern_rule(
        r"\bhow do you call (this|that|it|them|this thing|that thing)(?= in\b)",
        lambda match: f"what do you call {match[1]}",
        "word_choice",
        "For a thing's name we ask 'What do you call this?'.",
    ),
    pattern_rule(
        rf"\b({DONE_WELL})((?: {LANGUAGES_AND_GAMES})?) good\b"
        r"(?=[.!?,]|$| (?:last|yesterday|today|now|tonight|at|in|and|but|because|every|this)\b)",
        lambda match: f"{match[1]}{match[2]} well",
        "word_form",
        "How we do something takes the adverb: 'sleep well', not 'sleep good'.",
    ),
)

PRONOUN_AND_PLACE_RULES: tuple[Callable[[str, list[Word]], list[Finding]], ...] = (patterns_rule(_PRONOUNS_AND_PLACES),)
