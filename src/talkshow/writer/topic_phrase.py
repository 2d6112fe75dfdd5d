"""A show's topic read as a phrase: a yes/no question, an open question, a claim, or a thing to talk about.

The offline writer used to paste the topic's last noun into its templates ("Champions buy the
soup!" for "is cereal a soup"). Here a question stays a question and gets its two answers as
claims ("cereal is a soup" / "cereal isn't a soup"), a claim keeps its sense and gets its
denial, and anything else is talked about whole. English only, by word order: no model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Topic", "read_topic"]

_BE = {"is": "isn't", "are": "aren't", "was": "wasn't", "were": "weren't"}
_MODALS = {"should": "shouldn't", "can": "can't", "will": "won't", "would": "wouldn't", "could": "couldn't",
           "must": "mustn't", "do": "don't", "does": "doesn't", "did": "didn't", "has": "hasn't",
           "have": "haven't"}  # fmt: skip
_OPEN = {"why", "what", "how", "who", "where", "when", "which"}
# Words before a noun that start its phrase: "should every town have a zoo" is about "every town", not "every".
_ARTICLES = {"a", "an", "the", "my", "our", "your", "their", "his", "her", "some", "any", "this", "that", "every",
             "each", "all", "most", "many", "these", "those", "its", "no"}  # fmt: skip
_COMPARATIVE = {"better", "worse", "more", "less", "than", "really", "actually", "still", "ever", "even"}
_PRONOUNS = {"i", "we", "you", "they", "he", "she", "it"}


@dataclass(frozen=True)
class Topic:
    """What the writer knows of a topic. ``yes`` and ``no`` are claims for a question or a claim, else empty."""

    text: str  # as given, tidied: "is cereal a soup"
    kind: str  # "yes_no", "open", "claim" or "thing"
    subject: str  # what it is about: "cereal"
    yes: str = ""  # "cereal is a soup"
    no: str = ""  # "cereal isn't a soup"

    @property
    def question(self) -> str:
        """The topic as it is asked on air: "Is cereal a soup?", or "Cereal is a soup: true?" for a claim."""
        if self.kind in ("yes_no", "open"):
            return _capital(self.text) + "?"
        if self.kind == "claim":
            return f"{_capital(self.text)}: true or not?"
        return f"What about {self.text}?"

    @property
    def debatable(self) -> bool:
        """It has two sides a character can take."""
        return bool(self.yes and self.no)


def read_topic(topic: str) -> Topic:
    """Kind, subject and sides: ``read_topic("should robots pay taxes").no`` is "robots shouldn't pay taxes"."""
    text = " ".join(topic.strip().rstrip("?.! ").split())
    text = re.sub(r"^(why|how|where|when) there(?:'s| is) ", r"\1 is there ", text, flags=re.IGNORECASE)
    if len(text) > 80:
        text = text[:77].rsplit(" ", 1)[0] + "..."
    words = text.split()
    if not words:
        return Topic("this", "thing", "this")
    first = words[0].lower()
    if first in _OPEN and len(words) > 2 and (words[1].lower() in _BE or words[1].lower() in _MODALS):
        return Topic(text, "open", _open_subject(words))
    if (first in _BE or first in _MODALS) and len(words) >= 3:
        subject, rest = _split_subject(words[1:], first in _BE)
        if subject and rest:
            aux = first
            yes, no = _claims(subject, aux, rest)
            return Topic(text, "yes_no", _bare(subject), _fix_pronoun(yes), _fix_pronoun(no))
    for index, word in enumerate(words[1:], start=1):
        low = word.lower()
        if low in _BE or low in _MODALS:
            subject, rest = " ".join(words[:index]), words[index + 1 :]
            if rest and rest[0].lower() in ("not", "never"):
                return Topic(text, "claim", _bare(subject), " ".join([subject, low, *rest[1:]]), text)
            negated = _BE.get(low) or _MODALS[low]
            return Topic(text, "claim", _bare(subject), text, " ".join([subject, negated, *rest]))
    return Topic(text, "thing", text)


# Words a question may hold that a claim may not ("is it ever too early" -> "it is sometimes too early",
# "it is never too early"): each with its form in a claim, and in a denial (which then drops the "not").
_POLARITY = {"ever": ("sometimes", "never"), "any": ("some", "no"), "anything": ("something", "nothing"),
             "anyone": ("someone", "no one"), "anybody": ("somebody", "nobody"), "yet": ("already", "")}  # fmt: skip


def _claims(subject: str, aux: str, rest: list[str]) -> tuple[str, str]:
    """The two claims a yes-or-no question asks between: "it is sometimes too early" / "it is never too early"."""
    lows = [word.lower() for word in rest]
    hit = next((i for i, word in enumerate(lows) if word in _POLARITY), None)
    if hit is None:
        if subject.split()[0].lower() in ("every", "all"):  # "not every town should", never "every town shouldn't"
            return f"{subject} {aux} {' '.join(rest)}", f"not {subject} {aux} {' '.join(rest)}"
        return f"{subject} {aux} {' '.join(rest)}", f"{subject} {_BE.get(aux) or _MODALS[aux]} {' '.join(rest)}"
    yes_word, no_word = _POLARITY[lows[hit]]
    yes = [*rest[:hit], yes_word, *rest[hit + 1 :]]
    if no_word:  # the denial says "never"/"no" with the plain verb
        no = f"{subject} {aux} {' '.join([*rest[:hit], no_word, *rest[hit + 1 :]])}"
    else:  # "yet": "it isn't ready yet"
        no = f"{subject} {_BE.get(aux) or _MODALS[aux]} {' '.join(rest)}"
    return f"{subject} {aux} {' '.join(w for w in yes if w)}", no


def _split_subject(words: list[str], after_be: bool) -> tuple[str, list[str]]:
    """``["cereal", "a", "soup"]`` -> ("cereal", ["a", "soup"]); the subject ends where its predicate starts."""
    lows = [w.lower() for w in words]
    start = 1
    if lows[0] in _ARTICLES:
        start = 2
    if after_be:  # "is pineapple on pizza a crime": the subject runs to the next article or comparison
        for index in range(start, len(words)):
            if lows[index] in _ARTICLES or lows[index] in _COMPARATIVE or lows[index].endswith("er"):
                return " ".join(words[:index]), words[index:]
        return " ".join(words[:start]), words[start:]
    return " ".join(words[:start]), words[start:]  # "should robots pay taxes": one noun, then its verb


def _open_subject(words: list[str]) -> str:
    """The last run of words after the question word and its verb: "why is the sky blue" -> "the sky blue"."""
    rest = [w for w in words[1:] if w.lower() not in _BE and w.lower() not in _MODALS]
    return " ".join(rest[:4]) or " ".join(words)


def _bare(subject: str) -> str:
    words = subject.split()
    return " ".join(words[1:]) if len(words) > 1 and words[0].lower() in ("a", "an") else subject


def _fix_pronoun(claim: str) -> str:
    """ "we should colonise mars" is fine; "i is" never happens, but "you are" keeps its case."""
    first, _, rest = claim.partition(" ")
    return (first.lower() if first.lower() in _PRONOUNS - {"i"} else first) + " " + rest


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
