"""Whether a thing is what a quality word says ("Is the sun hot?", "Is a mouse big?"), from the thing's own gloss.

A yes needs the gloss to name the quality: the word itself, a synonym in its commonest sense ("large" for big), its
"-er" or "-est", or the noun it makes (hot's "heat": the sun is "the source of light and heat"). A no needs the
gloss to name the quality's opposite the same way (a mouse is one of "numerous small rodents"). A gloss leaves most
things out, so when it names neither the answer is None, and the character says it has no idea; never a guess.
"""

from __future__ import annotations

import re

from talkshow.knowledge.base import KnowledgeBase
from talkshow.knowledge.glosses import Found, nouns, say
from talkshow.knowledge.question import Question

__all__ = ["is_like", "said_in", "ways_to_say"]

# Said just before a word, these deny it: "having no fins", "not hot", "without colour".
_DENIED = re.compile(r"\b(?:no|not|non|without|lacking|never)\s+(?:[a-z-]+\s+)?$")


def is_like(kb: KnowledgeBase, question: Question) -> Found:
    """'Is the sun hot?': yes when the sun's gloss names hotness, no when it names the opposite (cold), else None."""
    if not re.match(r"^(?:is|are) ", question.text):
        return None
    *thing_words, quality = question.subject.split()
    thing = " ".join(thing_words)
    if not thing or not kb.is_lemma(quality, "a") or kb.is_lemma(question.subject, "n"):
        return None  # "is ice cream" is no quality; "is the sun hot" is
    senses = nouns(kb, thing, 4)
    if not senses:
        return None
    the = re.search(rf"\bthe {re.escape(thing)}\b", question.text) is not None
    if the:  # "the sun" is the Sun, "the star that is the source of light and heat"
        senses.sort(key=lambda s: thing.capitalize() not in s.words)
    gloss = senses[0].definition
    opposite = next(iter(kb.antonyms(quality, "a")), "")
    for answer, word in (("yes", quality), ("no", opposite)):
        said = said_in(gloss, ways_to_say(kb, word)) if word else ""
        if said:
            sentence = say(senses[0], thing, said)  # "A mouse is one of...": not "Mice are one of"
            if the and not sentence.startswith("The "):
                sentence = re.sub(rf"^(?:An? )?{re.escape(thing)}\b", f"The {thing}", sentence, count=1, flags=re.I)
            return answer, f"{answer.capitalize()}. {sentence}"
    return None


def ways_to_say(kb: KnowledgeBase, quality: str) -> set[str]:
    """The words that name ``quality`` in its commonest sense: its synonyms there, their "-er" and "-est", and the
    nouns it makes ("hot": "heat"), one word each. Not the adjectives WordNet only sets beside it: big's
    "deep" or "grand", or tall's "long" (a snake is long, not tall)."""
    words: set[str] = set()
    for sense in kb.senses(quality, "a")[:1]:
        attribute = {w.lower() for a in kb.related(sense.id, ("=",)) for w in a.words}  # tall's "height"
        for word in sense.words:
            words.update(_compared(word.lower()))
        for near in kb.related(sense.id, ("+",)):
            words.update(w.lower() for w in near.words if w.lower() not in attribute)
    return {w for w in words if " " not in w and "(" not in w}


def _compared(word: str) -> tuple[str, ...]:
    """A word, and its "-er" and "-est" as a gloss spells them: big, bigger, biggest; large, larger; dry, drier."""
    if len(word) < 3 or "-" in word:
        return (word,)
    if word.endswith("e"):
        stem = word[:-1]
    elif word.endswith("y") and word[-2] not in "aeiou":
        stem = word[:-1] + "i"
    elif word[-1] not in "aeiouwxy" and word[-2] in "aeiou" and word[-3] not in "aeiou":
        stem = word + word[-1]  # big, bigg-er; hot, hott-est
    else:
        stem = word
    return word, stem + "er", stem + "est"


def said_in(gloss: str, words: set[str]) -> str:
    """The first of ``words`` that ``gloss`` says and does not deny, or ""."""
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")\b")
    lower = gloss.lower()
    for found in pattern.finditer(lower):
        if not _DENIED.search(lower[: found.start()]):
            return found.group(0)
    return ""
