"""A caller's words said back by the character: pronouns turned round with their verbs, and the short answer
English gives a yes-or-no question ("Are you ever wrong?" -> "Am I ever wrong?", "No, I'm not.").

Only what can be said right without a parser: pronouns and the verb beside them, the auxiliary a question
starts with, and whether its subject is one thing or many. The rules' replies use these instead of pasting
a question into a statement, which made "Yes. I ever wrong" and "Where are I right now?".
"""

from __future__ import annotations

__all__ = ["AUXILIARIES", "either_options", "short_answer", "turn_round"]

AUXILIARIES = frozenset(
    {"is", "are", "am", "do", "does", "did", "can", "could", "will", "would", "should", "have", "has", "was", "were"}
)
_ONE_WORD = {"i": "you", "me": "you", "my": "your", "mine": "yours", "your": "my", "yours": "mine",
             "i'm": "you're", "you're": "I'm", "myself": "yourself", "yourself": "myself", "i've": "you've",
             "you've": "I've", "i'll": "you'll", "you'll": "I'll", "i'd": "you'd", "you'd": "I'd"}  # fmt: skip
# A pronoun turned round takes its verb with it.
_PAIRS = {("are", "you"): ("am", "I"), ("you", "are"): ("I", "am"), ("were", "you"): ("was", "I"),
          ("you", "were"): ("I", "was"), ("am", "i"): ("are", "you"), ("i", "am"): ("you", "are"),
          ("was", "i"): ("were", "you"), ("i", "was"): ("you", "were"), ("aren't", "you"): ("am", "I not"),
          ("weren't", "you"): ("wasn't", "I")}  # fmt: skip
# After these, "you" is who does something ("do you", "and you"); elsewhere it is the object ("like you": "me").
_SUBJECT_BEFORE = AUXILIARIES | {"why", "how", "what", "where", "when", "who", "which", "and", "but", "that", "if",
                                 "because", "so", "then", "think", "wish", "hope", "know", "ever", "never"}  # fmt: skip
_PERSONAL = {"you": "I", "i": "you", "we": "we", "they": "they", "he": "he", "she": "she", "it": "it"}
_DETERMINERS = frozenset({"the", "a", "an", "my", "your", "his", "her", "our", "their", "this", "that", "these",
                          "those", "some", "any", "all", "every"})  # fmt: skip
_NOT = {"am": "'m not", "is": " isn't", "are": " aren't", "was": " wasn't", "were": " weren't", "do": " don't",
        "does": " doesn't", "did": " didn't", "can": " can't", "could": " couldn't", "will": " won't",
        "would": " wouldn't", "should": " shouldn't", "have": " haven't", "has": " hasn't"}  # fmt: skip


def turn_round(words: list[str]) -> list[str]:
    """``words`` (lower case) as the other speaker says them: "do you like my hat" -> "do I like your hat"."""
    turned: list[str] = []
    at = 0
    while at < len(words):
        pair = tuple(words[at : at + 2])
        if len(pair) == 2 and pair in _PAIRS:
            turned.extend(_PAIRS[pair])
            at += 2
            continue
        word = words[at]
        if word == "you":
            before = words[at - 1] if at else ""
            turned.append("I" if not before or before in _SUBJECT_BEFORE else "me")
        else:
            turned.append(_ONE_WORD.get(word, word))
        at += 1
    return [w for part in turned for w in part.split()]


def short_answer(question: list[str], yes: bool) -> str:
    """English's short answer to a yes-or-no question already turned round ("am I ever wrong" -> "I am" or
    "I'm not"); "" if it does not start with an auxiliary and a subject."""
    if len(question) < 2 or question[0] not in AUXILIARIES:
        return ""
    aux, first = question[0], question[1].lower()
    if first in _PERSONAL:
        who = "I" if first == "i" else first
    elif first in _DETERMINERS or first.isalpha():
        noun = question[2] if first in _DETERMINERS and len(question) > 2 else first
        many = aux in ("are", "were", "do") or (aux not in ("is", "was", "does", "has") and _looks_plural(noun))
        who = "they" if many else "it"
    else:
        return ""
    if who == "I" and aux in ("are", "is"):
        aux = "am"
    if who == "they" and aux in ("is", "am"):
        aux = "are"
    if yes:
        return f"{who} {aux}"
    return f"{who}{_NOT[aux]}"


def _looks_plural(noun: str) -> bool:
    return noun.endswith("s") and not noun.endswith(("ss", "us", "is"))


def either_options(asked: str) -> list[str]:
    """The two things an either-or question offers ("is it better to rent or to buy a car": "to rent", "to buy a
    car"); [] if it offers no choice."""
    words = asked.split()
    if "or" not in words[2:-1]:
        return []
    at = len(words) - 1 - words[::-1].index("or")
    second = words[at + 1 :]
    starts = [i for i in range(2, at) if words[i] == second[0]]
    first = words[starts[-1] : at] if starts else words[at - 1 : at]
    return [" ".join(first), " ".join(second)]
