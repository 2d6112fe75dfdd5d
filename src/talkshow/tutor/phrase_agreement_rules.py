"""Learner errors found by the learner set's fifth dev round, most of them seen only across a phrase: a verb that
agrees with the wrong noun ("One of my friends live", "The people in my office is", "Where does your parents
live?", "There is a lot of cars"), a word left out ("Is possible to park here?", "She happy today", "We ought
go", "We enjoyed at the party"), a form after a helper ("would like going", "Have you ever went to"), a state
said with -ing in the past ("I was liking chocolate"), a state that lasts up to now ("We are married for ten
years"), 'that' for 'than' after a comparative, 'a' before a silent h, "a very well film", "has never enough",
"in love of" and "went to theatre".

Patterns over the sentence with what replaces them and why, like ``everyday_rules``. Written against the dev
half of the learner set; scored on the test half (``talkshow bench tutor``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from talkshow.tutor.findings import Finding, finding_over, pattern_rule, patterns_rule
from talkshow.tutor.learner_words import IRREGULAR_PLURAL, NOT_COUNTED
from talkshow.tutor.words import Word, cased_like, inflect, lemmas, verb_lemma

__all__ = ["PHRASE_AGREEMENT_RULES"]

DETERMINER = r"(?:the|my|your|his|her|our|their|these|those)"
THIRD = frozenset(("he", "she", "it"))
REFLEXIVE = {"i": "myself", "we": "ourselves", "you": "yourselves", "he": "himself", "she": "herself",
             "they": "themselves"}  # fmt: skip
SINGULAR_OF = {"are": "is", "were": "was", "have": "has", "do": "does", "don't": "doesn't"}
PLURAL_OF = {"is": "are", "was": "were", "has": "have", "isn't": "aren't", "wasn't": "weren't"}
# Places we go to with 'the': "went to the theatre" (school, work, bed and church take none: learner_words).
PLACES_WITH_THE = "cinema|theatre|theater|gym|beach|park|station|airport|museum|library|supermarket|zoo|bank|dentist"
# States, not actions: never said with -ing ("I was liking chocolate" -> "I liked chocolate").
STATES_IN_ING = "liking|knowing|loving|hating|wanting|believing|owning|preferring|needing|understanding|belonging"
# A quality said of "it" before 'to' or 'that': "Is it possible to park here?"
IT_QUALITIES = "possible|necessary|important|easy|difficult|hard|true|safe|dangerous|normal|better|expensive"
FREQUENCY = "never|always|often|usually|sometimes|rarely|seldom"


def _plural_noun(word: str) -> bool:
    """Whether ``word`` is a counted noun in the plural ("friends", "children"; not "news", "bus")."""
    word = word.lower()
    if word in IRREGULAR_PLURAL.values() or word in ("people", "police"):
        return True
    nouns = lemmas(word).get("NOUN", ())
    return bool(nouns) and word not in nouns and word not in NOT_COUNTED and inflect(nouns[0], "NNS") == word


def _one_of_takes_one(match: re.Match[str]) -> str:
    """'One of my friends live' -> 'One of my friends lives'."""
    noun, verb = match[2], match[3].lower()
    if not _plural_noun(noun):
        return ""
    if verb in SINGULAR_OF:
        return f"{match[1]} {SINGULAR_OF[verb]}"
    lemma = verb_lemma(verb)
    if not lemma or verb != lemma or ("NOUN" in lemmas(verb) and "VERB" not in lemmas(verb)):
        return ""
    return f"{match[1]} {inflect(lemma, 'VBZ')}"


def _plural_head_past_a_phrase(match: re.Match[str]) -> str:
    """'The people in my office is friendly' -> '... are friendly'; the verb agrees with 'people'."""
    return f"{match[1]} {PLURAL_OF[match[3].lower()]}" if _plural_noun(match[2]) else ""


def _do_for_many(match: re.Match[str]) -> str:
    """'Where does your parents live?' -> 'Where do your parents live?'."""
    do = "do" if match[1].lower() == "does" else "don't"
    return f"{do} {match[2]}" if _plural_noun(match[3]) else ""


def _there_are_many(match: re.Match[str]) -> str:
    """'There is a lot of cars' -> 'There are a lot of cars'; 'There isn't any apples' -> 'There aren't any'."""
    return f"{match[1]} {PLURAL_OF[match[2].lower()]} {match[3]}" if _plural_noun(match[4]) else ""


def _to_after_would_like(match: re.Match[str]) -> str:
    """'I would like going' -> 'I would like to go'."""
    lemma = verb_lemma(match[3].lower())
    return f"{match[1]} {match[2]} to {lemma}" if lemma and inflect(lemma, "VBG") == match[3].lower() else ""


def _ought_to(match: re.Match[str]) -> str:
    """'We ought go' -> 'We ought to go'."""
    verb = match[1].lower()
    return f"ought to {match[1]}" if verb_lemma(verb) == verb and verb not in ("not", "to") else ""


def _than_after_comparative(match: re.Match[str]) -> str:
    """'He is taller that his father' -> 'taller than'."""
    said = match[2].lower()
    if said.startswith(("more ", "less ")):
        compared = "ADJ" in lemmas(said.split()[1])
    else:
        base = lemmas(said).get("ADJ", ("",))[0]
        compared = bool(base) and base != said and inflect(base, "JJR") == said
    return f"{match[1]} {match[2]} than" if compared else ""


def _been_after_have(match: re.Match[str]) -> str:
    """'Have you ever went to Japan?' -> 'Have you ever been to Japan?'; 'has already went' -> 'gone'."""
    verb = match[3].lower()
    lemma = verb_lemma(verb)
    if not lemma or verb != inflect(lemma, "VBD") or verb == inflect(lemma, "VBN"):
        return ""
    done = "been" if lemma == "go" and match[4] else inflect(lemma, "VBN")
    return f"{match[1]} {match[2]} {done}{match[4] or ''}"


def _stative_past(match: re.Match[str]) -> str:
    """'I was liking chocolate' -> 'I liked chocolate'."""
    lemma = verb_lemma(match[3].lower())
    return f"{match[1]} {inflect(lemma, 'VBD')}" if lemma else ""


def _lasting_state(match: re.Match[str]) -> str:
    """'We are married for ten years' -> 'We have been married for ten years'."""
    have = "has" if match[1].lower() in THIRD else "have"
    return f"{match[1]} {have} been {match[3]} for"


def _missing_be(match: re.Match[str]) -> str:
    """'She happy today' -> 'She is happy today'."""
    word = match[2].lower()
    kinds = lemmas(word)
    if "ADJ" not in kinds or {"VERB", "ADV", "NOUN"} & set(kinds):
        return ""
    be = {"i": "am", "you": "are", "we": "are", "they": "are"}.get(match[1].lower(), "is")
    return f"{match[1]} {be} {match[2]}"


def _good_not_well(match: re.Match[str]) -> str:
    """'a very well film' -> 'a very good film'."""
    if "NOUN" not in lemmas(match[3].lower()):
        return ""
    article = "a" if match[1].lower() == "an" else match[1]  # "good" takes 'a'
    return f"{article} {match[2]}good {match[3]}"


_PHRASE_AGREEMENT = (
    pattern_rule(
        rf"\b(one of {DETERMINER} ([a-z]+)) ([a-z']+)\b",
        _one_of_takes_one,
        "agreement",
        "After 'one of my friends' the verb is singular: it is one of them.",
    ),
    pattern_rule(
        rf"\b({DETERMINER} ([a-z]+) (?:in|at|from|on|of) (?:[a-z]+ ){{1,3}}?)(is|was|has)\b",
        _plural_head_past_a_phrase,
        "agreement",
        "The verb agrees with the main noun, not the one just before it: 'The people in my office are'.",
    ),
    pattern_rule(
        rf"\b(does|doesn't) ({DETERMINER} ([a-z]+))\b",
        _do_for_many,
        "agreement",
        "With a plural subject we say 'do', not 'does': 'Where do your parents live?'.",
    ),
    pattern_rule(
        r"\b(there) (is|isn't|was|wasn't) ((?:a lot of|lots of|any|some|several|so many|too many|no) ([a-z]+))\b",
        _there_are_many,
        "agreement",
        "Before a plural we say 'there are': 'There are a lot of cars'.",
    ),
    pattern_rule(
        r"\b(would|'d|should|I'd) (like|love|prefer) ([a-z]+ing)\b",
        _to_after_would_like,
        "verb_form",
        "After 'would like' comes 'to' and the verb: 'I would like to go'.",
    ),
    pattern_rule(
        r"\bought ([a-z]+)\b",
        _ought_to,
        "verb_form",
        "We say 'ought to' and the verb: 'We ought to go'.",
    ),
    pattern_rule(
        r"\b(is|are|was|were|am|'s|'re) ([a-z]+er|more [a-z]+|less [a-z]+) that\b",
        _than_after_comparative,
        "preposition",
        "After a comparative we say 'than': 'taller than his father'.",
    ),
    pattern_rule(
        r"\b(have|has|haven't|hasn't) ((?:(?:you|I|we|they|he|she|it) )?(?:ever|never|already|just)) ([a-z]+)( to)?\b",
        _been_after_have,
        "verb_form",
        "After 'have' comes the past participle: 'Have you ever been to Japan?'.",
    ),
    pattern_rule(
        rf"\b(I|you|we|they|he|she|it) (was|were) ({STATES_IN_ING})\b",
        _stative_past,
        "tense",
        "Verbs like 'like' and 'know' are not used with -ing: 'I liked chocolate'.",
    ),
    pattern_rule(
        r"\b(I|you|we|they|he|she) (am|is|are|'m|'re|'s) (married|friends|together|divorced) for\b"
        r"(?= (?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|many|\d+) (?:years?|months?|weeks?|days?))",
        _lasting_state,
        "tense",
        "For a state that has lasted up to now we say 'have been': 'We have been married for ten years'.",
    ),
    pattern_rule(
        rf"^(is|was|isn't|wasn't) ({IT_QUALITIES}) (to|that)\b",
        lambda match: f"{match[1]} it {match[2]} {match[3]}",
        "missing_word",
        "The question needs 'it': 'Is it possible to park here?'.",
    ),
    pattern_rule(
        r"^(I|you|we|they|he|she|it) ([a-z]+)\b(?! (?:to|and|or)\b)",
        _missing_be,
        "missing_word",
        "The sentence needs its verb: 'She is happy'.",
    ),
    pattern_rule(
        r"\ba (honou?r\w*|honest\w*|hours?|heirs?)\b",
        lambda match: f"an {match[1]}",
        "article",
        "Before a silent 'h' we say 'an': 'an honour', 'an hour'.",
    ),
    pattern_rule(
        r"\b(a|an|the) (very |really |so )well ([a-z]+)\b",  # "the well water" is a well's
        _good_not_well,
        "adjective",
        "Before a noun we say 'good': 'a very good film' ('well' tells how something is done).",
    ),
    pattern_rule(
        rf"\b(has|have|had) ({FREQUENCY}) (enough|a|an|the|any|no|much|many|time|money)\b",
        lambda match: f"{match[2]} {match[1]} {match[3]}",
        "word_order",
        "Words like 'never' go before a main verb: 'He never has enough time'.",
    ),
    pattern_rule(
        r"\b(go|goes|went|going|come|comes|came|get|gets|got) to the home\b",
        lambda match: f"{match[1]} home",
        "preposition",
        "We say 'go home', with no 'to the'.",
    ),
    pattern_rule(
        r"\bin love of\b",
        lambda match: "in love with",
        "preposition",
        "We fall 'in love with' someone.",
    ),
    pattern_rule(
        rf"\b(go|goes|went|going|gone|been) to ({PLACES_WITH_THE})\b",
        lambda match: f"{match[1]} to the {match[2]}",
        "article",
        "We go 'to the cinema', 'to the theatre'.",
    ),
    pattern_rule(
        r"\b(I|we|you|he|she|they) (enjoy|enjoys|enjoyed) (at|in|on)\b",
        lambda match: f"{match[1]} {match[2]} {REFLEXIVE[match[1].lower()]} {match[3]}",
        "pronoun",
        "'Enjoy' needs what we enjoy: 'We enjoyed ourselves at the party'.",
    ),
)


def _verb_of_an_uncounted_plural(text: str, words: list[Word]) -> list[Finding]:
    """'The researches show it' -> 'The research shows it': the noun is put right by the rule for words we do not
    count, and its verb, a few words on ("The furnitures in my room are old"), here."""
    if len(words) < 3 or words[0].low not in ("the", "my", "your", "his", "her", "our", "their", "this", "that"):
        return []
    noun = words[1].low
    if not any(noun in (f"{base}s", f"{base}es") for base in NOT_COUNTED):
        return []
    for at, verb in enumerate(words[2:7], 2):
        right = SINGULAR_OF.get(verb.low, "")
        lemma = verb_lemma(verb.low)
        # Right after the noun a word that is also a noun is its verb ("researches show"); further on, maybe not.
        noun_too = "NOUN" in lemmas(verb.low) and at > 2
        if not right and lemma == verb.low and "VERB" in lemmas(verb.low) and not noun_too:
            right = inflect(lemma, "VBZ")
        if right:
            why = "A word we do not count takes a singular verb: 'The research shows'."
            return [finding_over(text, verb, verb, cased_like(verb.text, right), "agreement", why)]
        if verb.low in ("is", "was", "has", "does") or (lemma and lemma != verb.low):
            return []  # its verb is singular already, or another form ("showed")
    return []


PHRASE_AGREEMENT_RULES: tuple[Callable[[str, list[Word]], list[Finding]], ...] = (
    patterns_rule(_PHRASE_AGREEMENT),
    _verb_of_an_uncounted_plural,
)
