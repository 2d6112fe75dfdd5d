"""The errors English learners make that a general grammar checker does not look for.

Harper checks writing: it catches "buyed" and "she don't", but not a present tense beside
"yesterday", a singular after "three", "I am agree", "people is", "can swims", a wrong
preposition in a fixed phrase, or a question that kept statement order. Each rule here looks
for one such pattern in the words and says what is right and why, in a learner's terms.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable

from talkshow.tutor.everyday_rules import EVERYDAY_RULES
from talkshow.tutor.findings import Finding, finding_over
from talkshow.tutor.form_rules import FORM_RULES
from talkshow.tutor.helper_verb_rules import HELPER_VERB_RULES
from talkshow.tutor.learner_words import JOBS, PREPOSITIONS
from talkshow.tutor.order_rules import ORDER_RULES
from talkshow.tutor.phrase_agreement_rules import PHRASE_AGREEMENT_RULES
from talkshow.tutor.phrase_rules import PHRASE_RULES
from talkshow.tutor.pronoun_and_place_rules import PRONOUN_AND_PLACE_RULES
from talkshow.tutor.set_phrase_rules import SET_PHRASE_RULES
from talkshow.tutor.usage_rules import USAGE_RULES
from talkshow.tutor.verb_rules import VERB_RULES
from talkshow.tutor.words import (
    Word,
    cased_like,
    guessed_verb_lemma,
    inflect,
    is_noun,
    lemmas,
    only_adjective,
    plural_noun,
    split_words,
    verb_lemma,
)

__all__ = ["RULES", "learner_findings"]

SUBJECTS = {"i", "you", "we", "they", "he", "she", "it"}
POSSESSIVES = {"my", "his", "her", "our", "their", "your"}
THIRD_PERSON = {"he", "she", "it"}
MODALS = {"can", "could", "will", "would", "should", "must", "may", "might", "shall"}
DO_FORMS = {"do", "does", "did", "don't", "doesn't", "didn't"}
BE_PRESENT = {"am": "was", "is": "was", "are": "were", "'m": "was"}
PAST_MARKERS = {"yesterday", "ago"}
PAST_AFTER_LAST = {"night", "week", "month", "year", "weekend", "summer", "winter", "time", "monday", "tuesday",
                   "wednesday", "thursday", "friday", "saturday", "sunday", "spring", "autumn"}  # fmt: skip
NUMBERS = {"two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "twenty",
           "thirty", "forty", "fifty", "hundred", "many", "several", "these", "those", "both", "few"}  # fmt: skip
PLURAL_SUBJECTS = {"people", "children", "police", "men", "women", "students", "friends", "parents"}
STATIVE = {"agree", "disagree", "like", "want", "know", "need", "understand", "believe", "prefer", "remember"}
DAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "weekend"}
FREQUENCY = {"always", "never", "often", "usually", "sometimes", "rarely", "seldom"}
WH_WORDS = {"what", "where", "when", "why", "how", "who", "which"}
AUXILIARIES = {"am", "is", "are", "was", "were", "can", "will", "could", "would", "should", "have", "has"}
DONE_THINGS = {"mistakes", "friends", "questions", "photos", "parties", "noises", "exercises"}
NUMBER_NOUNS = {"hundred", "thousand", "million", "billion", "dozen"}
LIFE_STAGES = {"child", "baby", "kid", "teenager", "boy", "girl"}  # "When I was a child", as "I am a teacher"


def learner_findings(text: str) -> list[Finding]:
    """Every learner error the rules find in ``text``, in order, none overlapping another."""
    words = split_words(text)
    found: list[Finding] = []
    for rule in RULES:
        for finding in rule(text, words):
            if not any(finding.overlaps(other) for other in found):
                found.append(finding)
    return sorted(found, key=lambda f: f.start)


_finding = finding_over


def _has_past_marker(words: list[Word]) -> bool:
    lows = [w.low for w in words]
    if any(w in PAST_MARKERS for w in lows):
        return True
    if "when" in lows and any(w in ("was", "were") for w in lows):  # "When I was young, I live..."
        return True
    if any(a == "last" and b in PAST_AFTER_LAST for a, b in itertools.pairwise(lows)):
        return True
    return any(a == "in" and _past_year(lows[i + 1 : i + 5]) for i, a in enumerate(lows))  # "in 2019": a finished time


_UNITS = dict(zip("one two three four five six seven eight nine".split(), range(1, 10), strict=True))
_TEENS = dict(zip("ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split(),
                  range(10, 20), strict=True))  # fmt: skip
_TENS = dict(zip("twenty thirty forty fifty sixty seventy eighty ninety".split(), range(20, 100, 10), strict=True))


def _small_number(words: list[str]) -> int | None:
    """1-99 said in words ("nineteen", "twenty-one", "twenty one"); None for anything else."""
    parts = [p for w in words for p in w.split("-")]
    if len(parts) == 1:
        return _UNITS.get(parts[0]) or _TEENS.get(parts[0]) or _TENS.get(parts[0])
    if len(parts) == 2 and parts[0] in _TENS and parts[1] in _UNITS:
        return _TENS[parts[0]] + _UNITS[parts[1]]
    return None


def _past_year(after: list[str]) -> bool:
    """Whether the words after 'in' say a year before this one: "2019", "nineteen ninety", "two thousand and ten"."""
    if not after:
        return False
    year: int | None = int(after[0]) if after[0].isdigit() and len(after[0]) == 4 else None
    if after[:2] == ["two", "thousand"]:
        rest = after[3:] if after[2:3] == ["and"] else after[2:]
        small = next((n for end in (2, 1) if (n := _small_number(rest[:end])) is not None), None)
        year = 2000 + small if small is not None else None
    elif after[0] in _TEENS and len(after) > 1:  # "nineteen ninety", "nineteen eighty-four"
        small = next((n for end in (2, 1) if (n := _small_number(after[1:][:end])) is not None), None)
        year = _TEENS[after[0]] * 100 + small if small is not None else None
    return year is not None and 1000 <= year < dt.date.today().year


def _asked(words: list[Word], i: int) -> bool:
    """Whether the verb at ``i`` comes after 'did' and its subject ("Did you see them yesterday?")."""
    helper = MODALS | DO_FORMS
    after_pronoun = i > 1 and words[i - 2].low in helper and words[i - 1].low in SUBJECTS
    return after_pronoun or (i > 2 and words[i - 3].low in helper and words[i - 2].low in POSSESSIVES)


def _past(text: str, words: list[Word]) -> list[Finding]:
    """A present or base verb after a subject, in a sentence about the past ("Yesterday I go")."""
    if not _has_past_marker(words) or any(w.low == "since" for w in words):  # "since last year": up to now
        return []
    out: list[Finding] = []
    subject_seen = False
    for i, word in enumerate(words):
        before = words[i - 1].low if i else ""
        noun_subject = before in ("my", "his", "her", "our", "their", "your") and is_noun(word.low)
        if word.low in SUBJECTS or word.low in PLURAL_SUBJECTS or noun_subject:
            subject_seen = True
            continue
        if not subject_seen or before in MODALS or before in DO_FORMS or before == "to" or _asked(words, i):
            continue
        if word.low in BE_PRESENT:
            past = "were" if before in ("you", "we", "they") or word.low == "are" else BE_PRESENT[word.low]
            out.append(_finding(text, word, word, past, "tense", "It happened in the past, so we use the past tense."))
            continue
        if word.low in ("have", "has"):  # "have" as the main verb; "have seen" is the perfect rule's
            after = words[i + 1].low if i + 1 < len(words) else ""
            if before in SUBJECTS and not (verb_lemma(after) and after == inflect(verb_lemma(after), "VBN")):
                out.append(_finding(text, word, word, "had", "tense", "It happened in the past: 'had', not 'have'."))
            continue
        lemma = verb_lemma(word.low)
        if not lemma or word.low == "last":  # "my grandparents last weekend": the time, not a verb
            continue
        after_subject = before in SUBJECTS | {"and"} | PLURAL_SUBJECTS or (i > 1 and words[i - 2].low in POSSESSIVES)
        if word.low not in (lemma, inflect(lemma, "VBZ")) or not after_subject:
            continue
        past = inflect(lemma, "VBD")
        if past and past != word.low:
            why = f"It happened in the past, so '{lemma}' becomes '{past}'."
            out.append(_finding(text, word, word, cased_like(word.text, past), "tense", why))
    return out


def _made_up_past(text: str, words: list[Word]) -> list[Finding]:
    """A regular -ed ending on an irregular verb ("buyed", "goed")."""
    out = []
    for word in words:
        if not word.low.endswith("ed") or lemmas(word.low):
            continue
        lemma = guessed_verb_lemma(word.low)
        past = inflect(lemma, "VBD") if lemma else ""
        if past and past != word.low:
            why = f"'{lemma.capitalize()}' is irregular: its past is '{past}', not '{word.low}'."
            out.append(_finding(text, word, word, cased_like(word.text, past), "tense", why))
    return out


def _plural_after_number(text: str, words: list[Word]) -> list[Finding]:
    """A singular noun after a number bigger than one ("three apple")."""
    out = []
    for i, word in enumerate(words):
        if not (word.low in NUMBERS or (word.low.isdigit() and int(word.low) > 1)):
            continue
        j = i + 1
        while j < len(words) - 1 and only_adjective(words[j].low):
            j += 1
        if j >= len(words):
            continue
        noun = words[j]
        if j + 1 < len(words) and plural_noun(words[j + 1].low):
            continue  # "four equal sides": 'equal' describes the noun after it
        if noun.low in NUMBER_NOUNS or noun.low in SUBJECTS:
            continue  # "two thousand and ten": a number, not things counted; "in twenty ten we": a pronoun
        plural = inflect(noun.low, "NNS") if is_noun(noun.low) and noun.low in lemmas(noun.low)["NOUN"] else ""
        if plural and plural != noun.low and not noun.low.endswith("s"):
            why = f"After '{word.low}' we use the plural: '{plural}'."
            out.append(_finding(text, noun, noun, plural, "plural", why))
    return out


def _after_modal(text: str, words: list[Word]) -> list[Finding]:
    """A verb with an ending after can/will/did ("can swims", "did went")."""
    out = []
    for i, (before, word) in enumerate(itertools.pairwise(words)):
        if before.low not in MODALS | DO_FORMS or word.low in DONE_THINGS:
            continue  # "Everyone does mistakes": 'does' is the verb there (the collocation rule's)
        asking = i == 0 or words[i - 1].low in WH_WORDS  # "Can bats fly?": the subject comes after 'can'
        if asking and is_noun(word.low):
            continue
        lemma = verb_lemma(word.low)
        if lemma and word.low != lemma and word.low in (inflect(lemma, "VBZ"), inflect(lemma, "VBD")):
            why = f"After '{before.low}' the verb has no ending: '{lemma}'."
            out.append(_finding(text, word, word, lemma, "agreement", why))
    return out


def _be_with_stative(text: str, words: list[Word]) -> list[Finding]:
    """'Be' before a verb like agree ("I am agree")."""
    out = []
    for i, (be, verb) in enumerate(itertools.pairwise(words)):
        if be.low not in ("am", "is", "are", "i'm", "she's", "he's") or verb.low not in STATIVE:
            continue
        subject = words[i - 1].low if i else ""
        third = subject in THIRD_PERSON or be.low in ("is", "she's", "he's")
        right = inflect(verb.low, "VBZ") if third else verb.low
        first = be
        if be.low in ("i'm", "she's", "he's"):
            right = f"{be.text.split(chr(39))[0]} {right}"
        why = f"'{verb.low.capitalize()}' is a verb: we say 'I {verb.low}', without 'am'."
        out.append(_finding(text, first, verb, right, "agreement", why))
    return out


def _plural_subject(text: str, words: list[Word]) -> list[Finding]:
    """'People is', 'there is two'."""
    out = []
    for i, (subject, verb) in enumerate(itertools.pairwise(words)):
        each = i > 0 and words[i - 1].low in ("each", "every")  # "Each students has": the noun is wrong
        if subject.low in PLURAL_SUBJECTS and verb.low in ("is", "was", "has", "does", "doesn't") and not each:
            right = {"is": "are", "was": "were", "has": "have", "does": "do", "doesn't": "don't"}[verb.low]
            why = f"'{subject.low.capitalize()}' is plural, so we say '{subject.low} {right}'."
            out.append(_finding(text, verb, verb, right, "agreement", why))
        if subject.low == "there" and verb.low == "is" and i + 2 < len(words) and words[i + 2].low in NUMBERS:
            out.append(_finding(text, verb, verb, "are", "agreement", "With more than one thing: 'there are'."))
    return out


def _perfect_with_past_time(text: str, words: list[Word]) -> list[Finding]:
    """'I have seen him yesterday': a finished time takes the past simple."""
    if not _has_past_marker(words) or any(w.low == "since" for w in words):  # "... and I have loved it since"
        return []
    out = []
    for have, verb in itertools.pairwise(words):
        if have.low not in ("have", "has", "i've"):
            continue
        lemma = verb_lemma(verb.low)
        if lemma and verb.low == inflect(lemma, "VBN") and inflect(lemma, "VBD"):
            been_to = verb.low == "been" and text[verb.end : verb.end + 4] == " to "
            past = "went" if been_to else inflect(lemma, "VBD")  # "I have been to Paris last year": went
            right = f"I {past}" if have.low == "i've" else past
            why = f"With a finished time like 'yesterday', we use the past simple: '{past}'."
            out.append(_finding(text, have, verb, right, "tense", why))
    return out


def _preposition(text: str, words: list[Word]) -> list[Finding]:
    """A wrong or missing preposition in a fixed phrase ("married with", "listen music", "at Monday")."""
    out = []
    for i, (first, second) in enumerate(itertools.pairwise(words)):
        if text[first.end : second.start].strip():
            continue  # "Listen, my friend": a pause between them, not a phrase
        key = first.low if any(k[0] == first.low for k in PREPOSITIONS) else verb_lemma(first.low) or first.low
        third = words[i + 2] if i + 2 < len(words) else None
        pair = (key, second.low)
        if third is not None and (key, f"{second.low} {third.low}") in PREPOSITIONS:  # the longer phrase first
            right, why = PREPOSITIONS[(key, f"{second.low} {third.low}")]
            out.append(_finding(text, first, third, f"{first.text} {right}", "preposition", why))
            continue
        if pair in PREPOSITIONS:
            right, why = PREPOSITIONS[pair]
            out.append(_finding(text, first, second, f"{first.text} {right}".strip(), "preposition", why))
        elif first.low in ("in", "at") and second.low == "the" and _is_date(words[i + 2 : i + 4]):
            why = "For dates we use 'on': 'on the fifth of May'."
            out.append(_finding(text, first, first, cased_like(first.text, "on"), "preposition", why))
        elif first.low in ("in", "at") and (second.low in DAYS or second.low[:-1] in DAYS - {"weekend"}):
            day = second.text.capitalize() if second.low != "weekend" else second.text  # "on Monday(s)"
            right = f"on {day}" if second.low != "weekend" else "at the weekend"
            out.append(_finding(text, first, second, right, "preposition", "For days we use 'on': 'on Monday'."))
    return out


def _is_date(words: list[Word]) -> bool:
    """'fifth of', 'twenty-first of': a day of the month."""
    return len(words) == 2 and words[1].low == "of" and words[0].low.endswith(("th", "first", "second", "third"))


def _word_order(text: str, words: list[Word]) -> list[Finding]:
    """'I like very much football'; 'Where you are going?'; 'I go always'."""
    out = []
    lows = [w.low for w in words]
    for i in range(len(words) - 3):
        if verb_lemma(lows[i]) in ("like", "love", "enjoy") and lows[i + 1 : i + 3] == ["very", "much"]:
            thing = words[i + 3 :]
            stop = next((k for k, w in enumerate(thing) if w.low in ("and", "but", "because")), len(thing))
            thing = thing[:stop]
            if thing:
                obj = text[thing[0].start : thing[-1].end]
                right = f"{words[i].text} {obj} very much"
                why = "'Very much' goes after the thing you like."
                out.append(_finding(text, words[i], thing[-1], right, "word_order", why))
    statement = text.rstrip().endswith(".")  # "When I was young, ...": a clause, not a question
    if len(words) >= 3 and lows[0] in WH_WORDS and lows[1] in SUBJECTS and lows[2] in AUXILIARIES and not statement:
        right = f"{words[0].text} {words[2].text} {words[1].text}"
        why = f"In a question, '{lows[2]}' comes before '{lows[1]}'."
        out.append(_finding(text, words[0], words[2], right, "word_order", why))
    for i in range(1, len(words) - 1):
        auxiliary = lows[i] in BE_PRESENT or lows[i] in AUXILIARIES or lows[i] in DO_FORMS | {"had"}
        if lows[i - 1] in SUBJECTS and verb_lemma(lows[i]) and lows[i + 1] in FREQUENCY and not auxiliary:
            right = f"{words[i + 1].text} {words[i].text}"
            why = f"Words like '{lows[i + 1]}' go before the verb: 'I {lows[i + 1]} {verb_lemma(lows[i])}'."
            out.append(_finding(text, words[i], words[i + 1], right, "word_order", why))
    return out


def _missing_article(text: str, words: list[Word]) -> list[Finding]:
    """'I am engineer', 'When I was child': one person's job or age after 'be' needs 'a' or 'an'."""
    out = []
    for be, job in itertools.pairwise(words):
        if be.low in ("am", "is", "i'm", "he's", "she's", "was") and job.low in JOBS | LIFE_STAGES:
            article = "an" if job.low[0] in "aeiou" else "a"
            what = "job" if job.low in JOBS else "age"  # "a teacher"; "a child"
            why = f"Before one person's {what} we say '{article}': '{article} {job.low}'."
            out.append(Finding(job.start, job.end, job.text, f"{article} {job.text}", "article", why))
    return out


RULES: tuple[Callable[[str, list[Word]], list[Finding]], ...] = (
    *SET_PHRASE_RULES,  # first: a set phrase is put right whole ("two breads" -> "two loaves of bread")
    *PRONOUN_AND_PLACE_RULES,  # before the job article: "She is best student" wants 'the', not 'a'
    *HELPER_VERB_RULES,
    *PHRASE_RULES,
    *USAGE_RULES,
    *ORDER_RULES,
    _made_up_past,
    _perfect_with_past_time,
    _past,
    _plural_after_number,
    _after_modal,
    _be_with_stative,
    _plural_subject,
    _preposition,
    _word_order,
    _missing_article,
    *VERB_RULES,
    *FORM_RULES,
    *EVERYDAY_RULES,
    *PHRASE_AGREEMENT_RULES,
)
