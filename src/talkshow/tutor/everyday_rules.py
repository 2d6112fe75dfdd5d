"""Learner errors found by the learner set's fourth dev round: a question with no 'do' ("Where you live?"),
'have' for owning said with -ing ("She is having three brothers"), 'each' and 'every' with a plural verb,
a superlative with no 'the', 'which' for a person, 'there have', the subjects that end in -ics, a manner
said before any thing done ("cooks very well Italian food"), and 'in TV'.

Patterns over the sentence with what replaces them and why, like ``usage_rules``. Written against the dev
half of the learner set; scored on the test half (``talkshow bench tutor``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from talkshow.tutor.findings import Finding, pattern_rule, patterns_rule
from talkshow.tutor.learner_words import DETERMINERS, NOT_COUNTED
from talkshow.tutor.words import Word, inflect, lemmas, verb_lemma

__all__ = ["EVERYDAY_RULES"]

AUXILIARIES = frozenset(
    "be am is are was were do does did have has had can could will would shall should may might must".split()
)
THIRD = frozenset(("he", "she", "it"))
# What one has rather than does: "She is having three brothers" (but "having lunch", "having a baby" are right).
OWNED = (
    "brothers?|sisters?|children|child|sons?|daughters?|kids?|cousins?|pets?|cats?|dogs?|cars?|houses?|flats?|"
    "apartments?|bikes?|computers?|eyes|hair|beard"
)
PERSONS = frozenset(
    "man men woman women person people boy boys girl girls child children kid kids friend friends teacher "
    "teachers doctor doctors student students neighbour neighbours neighbor neighbors guy guys lady ladies "
    "driver nurse waiter waitress boss player players singer actor actress".split()
)
# Times a manner may come before: "She did very well yesterday" is right.
NOT_THINGS = frozenset("yesterday today tonight now here there too again indeed at all in on that this".split())
# Words after which "every child" is an object and its verb stays plain: "let every child choose".
BASE_VERB_AFTER = frozenset("let lets make makes made help helps helped watch see saw hear heard".split())
SUBJECTS_IN_ICS = "mathematics|maths|physics|economics|athletics|gymnastics"


def _do_in_question(match: re.Match[str]) -> str:
    """'Where you live?' -> 'Where do you live?'; 'What time the shop opens?' -> 'What time does the shop open?'"""
    subject, verb = match[2], match[3].lower()
    lemma = verb_lemma(verb)
    if not lemma or lemma in AUXILIARIES or verb in AUXILIARIES or verb.endswith("ing"):
        return ""  # "Where you are going?": the word order rule's
    head = subject.lower().split()[-1]
    if match[1].lower().split()[-1] in AUXILIARIES or (" " in subject and "NOUN" not in lemmas(head)):
        return ""  # "Which is the longest snake?": a question with its verb in place already
    singular = head in THIRD or (head not in ("i", "you", "we", "they") and "NOUN" in lemmas(head)
                                  and head in lemmas(head)["NOUN"] and head != inflect(head, "NNS"))  # fmt: skip
    if singular and verb == inflect(lemma, "VBZ"):
        return f"{match[1]} does {subject} {lemma}"
    if not singular and verb == lemma and head not in THIRD:
        return f"{match[1]} do {subject} {lemma}"
    return ""


def _own_not_doing(match: re.Match[str]) -> str:
    """'She is having three brothers' -> 'She has three brothers'."""
    subject, be = match[1].lower(), match[2].lower()
    has = "has" if subject in THIRD or be == "is" else "have"
    return f"{match[1]} {has} {match[3]}"


def _each_takes_one(match: re.Match[str]) -> str:
    """'Each student have' -> 'Each student has'; 'every child are' -> 'every child is'."""
    noun, verb = match[2].lower(), match[3].lower()
    before = re.findall(r"[a-z']+", match.string[: match.start()].lower())[-1:]
    if before and before[0] in AUXILIARIES | BASE_VERB_AFTER:
        return ""  # "Should every town have a zoo?", "Let every child choose": the plain verb is right
    if noun not in lemmas(noun).get("NOUN", ()) or noun in ("other", "one") or "VERB" in lemmas(noun):
        return ""  # "each other", and a noun that is also a verb ("every time", "each day" are left)
    if verb in ("are", "were"):
        return f"{match[1]} {match[2]} {'is' if verb == 'are' else 'was'}"
    lemma = verb_lemma(verb)
    if not lemma or verb != lemma or lemma in AUXILIARIES - {"have", "do"}:
        return ""
    return f"{match[1]} {match[2]} {inflect(lemma, 'VBZ')}"


def _the_before_superlative(match: re.Match[str]) -> str:
    """'She is best player' -> 'She is the best player'; 'the most' for 'most' before a noun."""
    said, noun = match[2].lower(), match[3].lower()
    if "NOUN" not in lemmas(noun) or noun in ("friends", "friend", "of", "known", "likely"):
        return ""  # "best friends with", "best known"
    if said.startswith("most "):
        adjective = said.split()[1]
        return f"{match[1]} the {match[2]} {match[3]}" if "ADJ" in lemmas(adjective) else ""
    base = lemmas(said).get("ADJ", ("",))[0]
    if said not in ("best", "worst") and (not base or inflect(base, "JJS") != said or base == said):
        return ""  # "honest", "west", "interest": not a superlative
    return f"{match[1]} the {match[2]} {match[3]}"


def _manner_after_thing(match: re.Match[str]) -> str:
    """'He cooks very well Italian food.' -> 'He cooks Italian food very well.'"""
    verb, thing = match[1].lower(), match[3].split()
    lemma = verb_lemma(verb)
    if not lemma or lemma in AUXILIARIES or any(word.lower() in NOT_THINGS for word in thing):
        return ""
    last = thing[-1].lower()
    if "NOUN" not in lemmas(last) or not all(
        w.lower() in DETERMINERS or w[:1].isupper() or {"ADJ", "NOUN"} & set(lemmas(w.lower())) for w in thing[:-1]
    ):
        return ""
    return f"{match[1]} {match[3]} {match[2]}"


def _there_is_are(match: re.Match[str]) -> str:
    """'There have many shops' -> 'There are many shops'; 'There has a park' -> 'There is a park'."""
    after = match[3].lower()
    if after in ("been", "got", "to") or (after.endswith("ed") and "VERB" in lemmas(after)):
        return ""  # "There has been an accident": 'have' as a helper, and right
    one = (after in ("a", "an", "one", "much") and match[4] != "lot") or after in NOT_COUNTED
    past = match[2].lower() == "had"
    return f"{match[1]} {('was' if one else 'were') if past else ('is' if one else 'are')}"


_EVERYDAY = (
    pattern_rule(
        r"^(where|when|why|what time|what|how often|how much|how many \w+|how long|which \w+) "
        r"(I|you|we|they|he|she|it|(?:the|my|your|his|her|our|their) \w+) (\w+)(?=[^.!]*\?\s*$)",
        _do_in_question,
        "verb",
        "A question needs 'do' or 'does' before its subject: 'Where do you live?'",
    ),
    pattern_rule(
        rf"\b(I|you|we|they|he|she|it) (am|is|are|'m) having ((?:a|an|one|two|three|four|five|six|no|lots of|"
        rf"many|blue|brown|green|long|short|dark|fair) (?:[a-z]+ )?(?:{OWNED}))\b",
        _own_not_doing,
        "tense",
        "For what we own or our family we say 'have', not 'am having': 'She has three brothers'.",
    ),
    pattern_rule(
        r"\b(each|every) ([a-z]+) ([a-z]+)\b",
        _each_takes_one,
        "agreement",
        "After 'each' and 'every' the verb is singular: 'Each student has'.",
    ),
    pattern_rule(
        r"(?<!the )\b(is|was|are|were|am|be|'s) (best|worst|[a-z]+est|most [a-z]+) ([a-z]+)\b",
        _the_before_superlative,
        "article",
        "The best of a group takes 'the': 'the best player'.",
    ),
    pattern_rule(
        r"\b([a-z]+) (very well|well|badly|very badly) ((?:[a-z]+ ){0,2}[a-z]+)(?=[.!?]?\s*$)",
        _manner_after_thing,
        "word_order",
        "How well goes after the thing done: 'cooks Italian food very well'.",
    ),
    pattern_rule(
        r"\b(there) (have|has|had)\b(?= (\w+)(?: (\w+))?)",
        _there_is_are,
        "verb",
        "To say something exists we say 'there is' or 'there are', not 'there have'.",
    ),
    pattern_rule(
        rf"(?<!the )\b({SUBJECTS_IN_ICS}) (are|were)\b",
        lambda match: f"{match[1]} {'is' if match[2].lower() == 'are' else 'was'}",
        "agreement",
        "A subject like 'mathematics' is one thing: 'mathematics is'.",
    ),
    pattern_rule(
        r"\b([a-z]+) which\b",
        lambda match: f"{match[1]} who" if match[1].lower() in PERSONS else "",
        "pronoun",
        "For people we say 'who': 'the man who helped me'.",
    ),
    pattern_rule(
        r"\bin (TV|television)\b",
        lambda match: f"on {match[1]}",
        "preposition",
        "We see something 'on TV'.",
    ),
)

EVERYDAY_RULES: tuple[Callable[[str, list[Word]], list[Finding]], ...] = (patterns_rule(_EVERYDAY),)
