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

from talkshow.tutor.findings import Finding, pattern_rule, patterns_rule
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
UNITS = "one|two|three|four|five|six|seven|eight|nine"  # "twenty five", "thirty-two"
# A time that runs up to now after the verb: "for many years", "for two weeks", "since Monday".
UP_TO_NOW = re.compile(
    r"\b(?:for (?:many|several|some|a few|a long|\w+) (?:years?|months?|weeks?|days?|time)|since)\b", re.IGNORECASE
)
ACTIVITIES = "swim|fish|ski|hike|jog|sail|skate|dance|bowl|surf|climb|shop"
DETERMINER_AFTER_VERB = {"this", "that", "the", "it", "a", "an", "my", "your", "his", "her", "our", "their"}
PLURAL_ONLY = "clothes|trousers|jeans|pants|scissors|shorts|pyjamas|glasses"
HOURS = "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\\d{1,2}"
POLITE = {"like", "mind", "care", "love", "prefer", "please"}
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
    """'I am knowing the answer' -> 'I know the answer'; up to now, 'I have known'."""
    subject = match[1].lower()
    if subject not in BE_FOR or BE_FOR[subject] != match[2].lower().replace("'m", "am"):
        return ""
    lemma = verb_lemma(match[3].lower())
    if UP_TO_NOW.search(match.string, match.end()):  # "I am knowing him for many years" -> "I have known him"
        return f"{match[1]} {'has' if subject in THIRD else 'have'} {inflect(lemma, 'VBN')}"
    return f"{match[1]} {inflect(lemma, 'VBZ') if subject in THIRD else lemma}"


def _much_many(match: re.Match[str]) -> str:
    """'How many money' -> 'How much money'; 'much people' -> 'many people'; 'less friends' -> 'fewer'."""
    word, noun = match[1].lower(), match[2].lower()
    if "VERB" in lemmas(noun) and (match[3] or "").lower() in DETERMINER_AFTER_VERB:
        return ""  # "How much costs this shirt?": a verb, not things counted (the word order rule's)
    singulars = lemmas(noun).get("NOUN", ())  # "women": a plural of any of its nouns, irregular ones too
    counted = noun in ("people", "children") or (
        noun not in singulars and noun not in NOT_COUNTED and any(inflect(n, "NNS") == noun for n in singulars)
    )
    if word == "many" and noun in NOT_COUNTED:
        return f"much {match[2]}"
    if word in ("much", "less") and counted:
        return f"{'many' if word == 'much' else 'fewer'} {match[2]}"
    return ""


def _married(match: re.Match[str]) -> str:
    """'She is married with' -> 'married to'; 'She married with him' -> 'married him'."""
    return f"{match[1]} married to" if match[1] else "married"


def _if_would(match: re.Match[str]) -> str:
    """'If I would have time' -> 'If I had time'; 'If I would be' -> 'If I were'."""
    lemma = verb_lemma(match[2].lower())
    if not lemma or lemma != match[2].lower() or lemma in POLITE:
        return ""  # "If you would like, ...": a polite wish, and right
    past = "were" if lemma == "be" else inflect(lemma, "VBD")
    return f"{match[0][:2]} {match[1]} {past}" if past else ""


def _part_of_day(match: re.Match[str]) -> str:
    """'at the morning' -> 'in the morning' ('' before a noun: "at the morning meeting" is right)."""
    return "" if match[3] and "NOUN" in lemmas(match[3].lower()) else f"in the {match[2]}"


def _say_that(match: re.Match[str]) -> str:
    """'She told that' -> 'She said that'."""
    return {"told": "said", "tell": "say", "tells": "says"}[match[1].lower()] + " that"


def _capable_of(match: re.Match[str]) -> str:
    """'capable to do' -> 'capable of doing'."""
    verb = match[1].lower()
    return f"capable of {inflect(verb, 'VBG')}" if verb_lemma(verb) == verb else ""


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
            rf"\b(I|you|we|they|he|she|(?:my|his|her|our|their|your) [a-z]+) (have|has|had) "
            rf"((?:{NUMBER_WORDS})(?:[ -](?:{UNITS}))?) "
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
        r"\b(many|much|less) ([a-z]+)\b(?= ([a-z]+))?",
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
        r"\b(?:(am|is|are|was|were|be|been|get|got) )?married with\b(?! (?:one|two|three|four|five|\d+|no|kids|"
        r"children)\b)",  # "married with two children": having them
        _married,
        "preposition",
        "We are 'married to' someone, and we 'marry' someone, with no 'with'.",
    ),
    pattern_rule(
        r"\b(come|comes|came|coming|go|goes|went|going) to (here|there|abroad|downtown|upstairs|downstairs)\b",
        lambda match: f"{match[1]} {match[2]}",
        "preposition",
        "'Here', 'there' and 'abroad' need no 'to': 'come here', 'go abroad'.",
    ),
    pattern_rule(
        r"\b(at|on) the (morning|afternoon|evening)\b(?= ([a-z]+))?",
        _part_of_day,
        "preposition",
        "Parts of the day take 'in': 'in the morning' (but 'at night').",
    ),
    pattern_rule(
        r"(?<!up )\bin the night\b(?! (?:of|before|when|that)\b)",  # "woke up in the night" is right
        lambda match: "at night",
        "preposition",
        "We say 'at night'.",
    ),
    pattern_rule(
        r"\b(at|on) ((?:1[5-9]|20)\d\d)\b(?! (?:dollars|euros|pounds|metres|meters|feet|people|miles)\b)",
        lambda match: f"in {match[2]}",
        "preposition",
        "Years take 'in': 'in 1995'.",
    ),
    pattern_rule(
        rf"\b(in|on) ((?:{HOURS}) o'clock)\b",
        lambda match: f"at {match[2]}",
        "preposition",
        "Clock times take 'at': 'at eight o'clock'.",
    ),
    pattern_rule(
        r"\b(on|at) my opinion\b",
        lambda match: "in my opinion",
        "preposition",
        "We say 'in my opinion'.",
    ),
    pattern_rule(
        r"\bin the (internet|radio|bus|plane)\b",
        lambda match: f"on the {match[1]}",
        "preposition",
        "We say 'on the internet', 'on the radio', 'on the bus'.",
    ),
    pattern_rule(
        r"\b(spend|spends|spent|spending) ((?:a lot of |so much |too much |all (?:my|his|her|our|their) |"
        r"(?:my|his|her|our|their) )?(?:money|time)) for\b",
        lambda match: f"{match[1]} {match[2]} on",
        "preposition",
        "We spend money or time 'on' something.",
    ),
    pattern_rule(
        r"\b(phone|phoned|ask|asked|asks) to (me|him|her|us|them)\b",  # "called to me" may be a shout
        lambda match: f"{match[1]} {match[2]}",
        "preposition",
        "We 'call someone' and 'ask someone', with no 'to'.",
    ),
    pattern_rule(
        r"\bcapable to ([a-z]+)\b",
        _capable_of,
        "verb_form",
        "We say 'capable of doing' something.",
    ),
    pattern_rule(
        r"\bif (I|you|we|they|he|she|it) would ([a-z]+)\b",
        _if_would,
        "tense",
        "After 'if' we do not use 'would': 'If I had more time, I would travel'.",
    ),
    pattern_rule(
        # not after 'be' or 'get': "I was told that" is right (lookbehinds, so the search cannot start past them)
        r"(?<!was )(?<!were )(?<!been )(?<!be )(?<!is )(?<!am )(?<!are )(?<!being )(?<!get )(?<!got )"
        r"\b(told|tell|tells) that\b",
        _say_that,
        "word_choice",
        "'Tell' needs a person ('told me that'); without one we 'say that'.",
    ),
    pattern_rule(
        rf"\b(a|an) ((?:[a-z]+ ){{0,2}}?)({PLURAL_ONLY})\b",
        _uncountable_with_article,
        "article",
        "This word is always plural, so it takes no 'a' or 'an': 'new clothes'.",
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


USAGE_RULES: tuple[Callable[[str, list[Word]], list[Finding]], ...] = (patterns_rule(_USAGE),)
