"""Learner errors in a set phrase, found by the learner set's seventh dev round: "so a good day" for "such a",
"an other", "the reason of", "inside of the house", "entered into the room", "return back", "at the Friday",
"a five stars hotel", "works like a nurse", "enough hot", "every days", "most of people", "the same like",
"Me and him went", "This bag is her", "There are a lot of traffic", "The shop was close when", "two breads" and
"a long hairs".

Patterns over the sentence with what replaces them and why, like ``phrase_agreement_rules``. Written against the
dev half of the learner set; scored on the test half (``talkshow bench tutor``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from talkshow.tutor.findings import Finding, pattern_rule, patterns_rule
from talkshow.tutor.learner_words import JOBS, NOT_COUNTED
from talkshow.tutor.words import Word, lemmas

__all__ = ["SET_PHRASE_RULES"]

DAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
NUMBER_WORDS = "one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|thirty|forty|fifty|hundred"
# Measures said in the singular with a hyphen before a noun: "a five-star hotel", "a ten-minute walk".
MEASURES = "stars|minutes|hours|days|weeks|months|years|miles|kilometres|kilometers|pages|rooms|storeys|floors"
ROOMS = "room|house|building|classroom|class|office|kitchen|shop|store|restaurant|bank|hall|church|museum"
HAIR_WORDS = "long|short|curly|straight|dark|fair|blond|blonde|black|brown|red|grey|gray|white|beautiful|thick"
SUBJECT_OF = {"me": "I", "him": "he", "her": "she", "them": "they", "us": "we"}
POSSESSIVE_PRONOUN = {"her": "hers", "your": "yours", "our": "ours", "their": "theirs"}
UNCOUNTED = "|".join(sorted(NOT_COUNTED | {"water", "food", "noise", "time", "work", "rain", "snow", "pollution"}))


def _measure_before_a_noun(match: re.Match[str]) -> str:
    """'a five stars hotel' -> 'a five-star hotel'."""
    noun = match[4].lower()
    if "NOUN" not in lemmas(noun) or ("VERB" in lemmas(noun) and noun not in ("walk", "drive", "ride", "flight")):
        return ""
    return f"{match[1]} {match[2]}-{match[3][:-1]} {match[4]}"  # every measure in MEASURES ends in one -s


def _adjective_before_enough(match: re.Match[str]) -> str:
    """'The coffee is enough hot' -> 'hot enough'."""
    found = lemmas(match[1].lower())
    return f"{match[1]} enough" if "ADJ" in found and "NOUN" not in found else ""


def _one_of_each(match: re.Match[str]) -> str:
    """'every days' -> 'every day'; 'Each students has' -> 'Each student has'."""
    nouns = lemmas(match[2].lower()).get("NOUN", ())
    return f"{match[1]} {nouns[0]}" if nouns and match[2].lower() not in nouns else ""


def _most_people(match: re.Match[str]) -> str:
    """'Most of people prefer summer' -> 'Most people prefer summer'."""
    nouns = lemmas(match[1].lower()).get("NOUN", ())
    plural = match[1].lower() in ("people", "children", "men", "women") or (nouns and match[1].lower() not in nouns)
    return f"most {match[1]}" if plural else ""


def _subjects_joined(match: re.Match[str]) -> str:
    """'Me and him went' -> 'He and I went'; 'Me and my friend went' -> 'My friend and I went'."""
    first, second = match[1].lower(), match[2]
    second = SUBJECT_OF.get(second.lower(), second)
    if first == "me":
        return f"{second} and I"
    return f"{SUBJECT_OF[first]} and {'I' if second.lower() == 'me' else second}"


_SET_PHRASES = (
    pattern_rule(
        r"\bso (a|an) ([a-z]+ [a-z]+)\b",
        lambda match: f"such {match[1]} {match[2]}",
        "word_choice",
        "Before 'a' and a noun we say 'such': 'such a good day'.",
    ),
    pattern_rule(r"\ban other\b", lambda match: "another", "word_choice", "We write 'another' as one word."),
    pattern_rule(r"\breasons? of\b", lambda match: f"{match[0][:-3]} for", "preposition", "'The reason for'."),
    pattern_rule(
        r"\binside of (the|my|your|his|her|our|their)\b",
        lambda match: f"inside {match[1]}",
        "preposition",
        "We say 'inside the house', with no 'of'.",
    ),
    pattern_rule(
        rf"\b(enter|enters|entered|entering) into (the|a|my|your|his|her|our|their) ({ROOMS})\b",
        lambda match: f"{match[1]} {match[2]} {match[3]}",
        "preposition",
        "We 'enter the room', with no 'into'.",
    ),
    pattern_rule(
        r"\b(return|returns|returned|returning) back\b",
        lambda match: match[1],
        "word_choice",
        "'Return' already means 'come back': no 'back'.",
    ),
    pattern_rule(
        rf"\b(?:at|in) the ({DAYS})\b(?!'s| (?:morning|afternoon|evening|night|meeting|class|lesson|market))",
        lambda match: f"on {match[1]}",
        "preposition",
        "Days take 'on', with no 'the': 'on Friday'.",
    ),
    pattern_rule(
        rf"\b(a) ({NUMBER_WORDS}|\d+) ({MEASURES}) ([a-z]+)\b",
        _measure_before_a_noun,
        "word_form",
        "Before a noun, a number and a measure join with a hyphen and no -s: 'a five-star hotel'.",
    ),
    pattern_rule(
        rf"\b(work|works|worked|working) like (a|an) ({'|'.join(sorted(JOBS))})\b",
        lambda match: f"{match[1]} as {match[2]} {match[3]}",
        "preposition",
        "A job we do takes 'as': 'She works as a nurse'.",
    ),
    pattern_rule(
        r"\benough ([a-z]+)\b(?=[.!?,]| now\b| today\b| for\b|$)",
        _adjective_before_enough,
        "word_order",
        "'Enough' goes after the adjective: 'hot enough'.",
    ),
    pattern_rule(
        r"\b(every|each) ([a-z]+s)\b(?! of\b)",
        _one_of_each,
        "plural",
        "After 'every' or 'each' the noun is singular: 'every day'.",
    ),
    pattern_rule(
        r"\bmost of ([a-z]+)\b",
        _most_people,
        "word_choice",
        "For people or things in general we say 'most people', with no 'of'.",
    ),
    pattern_rule(r"\bthe same like\b", lambda match: "the same as", "preposition", "We say 'the same as'."),
    pattern_rule(
        r"^(me|him|her) and (me|him|her|I|he|she|my [a-z]+)\b(?= [a-z]+)",
        _subjects_joined,
        "pronoun",
        "As the subject we say 'he and I', not 'me and him'.",
    ),
    pattern_rule(
        r"^((?:this|that|the) [a-z]+ (?:is|was)) (her|your|our|their)(?=[.!?]?$)",
        lambda match: f"{match[1]} {POSSESSIVE_PRONOUN[match[2].lower()]}",
        "pronoun",
        "Without a noun after it we say 'hers', 'yours': 'This bag is hers'.",
    ),
    pattern_rule(
        rf"\bthere (are|were) ((?:a lot of|lots of|so much|too much|much|no) (?:{UNCOUNTED}))\b",
        lambda match: f"there {'is' if match[1].lower() == 'are' else 'was'} {match[2]}",
        "agreement",
        "A thing we do not count takes 'there is': 'There is a lot of traffic'.",
    ),
    pattern_rule(
        r"\b(was|is|were|are) close(?= when\b| today\b| yesterday\b| on (?:sundays?|mondays?|holidays)\b)",
        lambda match: f"{match[1]} closed",
        "word_form",
        "Not open is 'closed': 'The shop was closed'.",
    ),
    pattern_rule(
        rf"\b({NUMBER_WORDS}|\d+) breads\b",
        lambda match: f"{match[1]} loaves of bread",
        "plural",
        "We do not count 'bread'; we count loaves: 'two loaves of bread'.",
    ),
    pattern_rule(
        rf"\b(?:a )?({HAIR_WORDS}) hairs?\b",
        lambda match: f"{match[1]} hair",
        "plural",
        "The hair on a head is one thing: 'She has long hair'.",
    ),
)

SET_PHRASE_RULES: tuple[Callable[[str, list[Word]], list[Finding]], ...] = (patterns_rule(_SET_PHRASES),)
