"""The offline tutor's reply: the learner's sentence said back right, one thing explained, a question.

The tutor recasts, as a teacher does in conversation: it says the corrected sentence back as a
reaction ("Ah! Yesterday you went to the market and bought three apples!"), so the learner
hears it right without being stopped. Then it explains at most one error (the kind the learner
gets wrong most, else the first), more briefly the higher the level, and asks a question that
keeps them talking about what they said.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence

from talkshow.tutor.checker import Check
from talkshow.tutor.chunks import MAX_CHUNKS, Chunk
from talkshow.tutor.findings import Finding
from talkshow.tutor.learners import Recurring
from talkshow.tutor.words import inflect, lemmas, split_words, verb_lemma

__all__ = ["LEVELS", "ask_and_correct", "compose_reply", "explain", "follow_up", "recast", "remind"]

LEVELS = ("A2", "B1", "B2", "C1")
KIND_ORDER = ("tense", "agreement", "plural", "article", "preposition", "word_order", "word_choice")
_SWAP = {"i": "you", "me": "you", "my": "your", "mine": "yours", "myself": "yourself", "am": "are", "i'm": "you're",
         "i've": "you've", "i'll": "you'll", "i'd": "you'd", "we": "you", "us": "you", "our": "your",
         "your": "my", "yours": "mine"}  # fmt: skip  # the learner's "your house" is Theo's: "my house"
_CLAUSE_STARTS = {"and", "but", "that", "because", "if", "when", "so", "or", "do", "did", "can", "will", "are", "were"}
# A short first sentence: the voice makes it in a moment, so the learner hears Theo while the rest is voiced.
REACTIONS = ("Ah! {S}!", "Oh, nice! {S}!", "I see! {S}.", "Oh! {S}!")
PRAISE = ("Perfect! That sentence was all correct.", "Great! No mistakes there.", "Well said! That was all correct.")
FALLBACK_QUESTIONS = (
    "What else did you do today?",
    "Can you tell me more about that?",
    "How did you feel about it?",
    "What do you like to do at the weekend?",
)


def _object_end(words: list[str], i: int) -> bool:
    """Whether ``words[i]`` ends a verb's object ("see you soon", "from you."), not begins a clause ("you are")."""
    after = words[i + 1].lower().strip(",.!?") if i + 1 < len(words) else ""
    return after in ("", "soon", "again", "too", "now", "today", "tomorrow", "later", "very", "so", "and", "but",
                     "at", "in", "on", "for", "with", "to", "tonight", "every", "a", "the")  # fmt: skip


def recast(corrected: str) -> str:
    """``corrected`` as the tutor says it back: I -> you, my -> your, "I was" -> "you were"."""
    words = corrected.rstrip(".!?").split()
    out: list[str] = []
    for i, word in enumerate(words):
        low = word.lower().strip(",")
        tail = word[len(word.rstrip(",")) :]
        if low == "was" and i and words[i - 1].lower() == "i":
            out.append("were" + tail)
        elif low == "you" and i and words[i - 1].lower().strip(",") not in _CLAUSE_STARTS and _object_end(words, i):
            out.append("me" + tail)  # the learner's "you" as an object is Theo: "hear from you" -> "from me"
        elif low in _SWAP:
            out.append(_SWAP[low] + tail)
        else:
            out.append(word)
    if out and (lemmas(out[0].lower()) or out[0] in _SWAP.values()):  # a proper name keeps its capital
        out[0] = out[0][:1].lower() + out[0][1:]
    return " ".join(out)


def explain(finding: Finding, level: str) -> Chunk:
    """The correction chunk for ``finding``: spoken whole at A2-B1, shorter at B2, a word at C1."""
    wrong, right = finding.wrong, finding.right
    if level == "C1":
        text = f"Just one thing: '{right}', not '{wrong}'."
    elif level == "B2":
        text = f"Remember, '{right}', not '{wrong}'. {_first_sentence(finding.why)}"
    else:
        text = f"Let's fix one thing. We say '{right}', not '{wrong}'. {finding.why}"
    return Chunk("correction", text, wrong, right, finding.why, source="checker")


def ask_and_correct(finding: Finding, text: str, level: str) -> Chunk:
    """A correction of words the ears were unsure of: asked and corrected at once, with the word before for
    context ("Did you say 'can sings'? If so, we say 'can sing'.")."""
    before = text[: finding.start].split()[-1:] if finding.start else []
    lead = before[0].strip(".,!?") + " " if before and before[0][-1:] not in ".,!?" else ""
    wrong, right = f"{lead}{finding.wrong}".strip(), f"{lead}{finding.right}".strip()
    said = f"Did you say '{wrong}'? If so, we say '{right}'."
    if level in ("A2", "B1"):
        said += f" {finding.why}"
    return Chunk("correction", said, finding.wrong, finding.right, finding.why, source="checker")


def _first_sentence(text: str) -> str:
    match = re.match(r"(.+?[.!?])(\s|$)", text)
    return match.group(1) if match else text


def pick_finding(findings: Sequence[Finding], habits: Mapping[str, int]) -> Finding | None:
    """The one error to explain: of the kind the learner makes most (``habits``), else by ``KIND_ORDER``."""
    if not findings:
        return None

    def rank(f: Finding) -> tuple[int, int, int]:
        kind = KIND_ORDER.index(f.kind) if f.kind in KIND_ORDER else len(KIND_ORDER)
        return (-habits.get(f.kind, 0), kind, f.start)

    return min(findings, key=rank)


def follow_up(corrected: str, asked: set[str], pick: random.Random, topics: Sequence[str] = ()) -> str:
    """A question about what the learner said ("Why did you go to the market?"), never one asked before."""
    words = split_words(corrected)
    lows = [w.low for w in words]
    candidates: list[str] = []
    for i, word in enumerate(words):
        if i == 0 or lows[i - 1] not in ("i", "we"):
            continue
        lemma = verb_lemma(word.low)
        if not lemma or (lemma in ("be", "have", "do") and word.low not in ("had", "have")):
            continue
        rest_words = words[i + 1 :]
        stop = next((k for k, w in enumerate(rest_words) if w.low in ("and", "but", "because", "so")), len(rest_words))
        rest = " ".join(_you(w.low) for w in rest_words[:stop] if w.low not in ("yesterday", "today"))
        rest = re.sub(r"\b(last|this) (night|week|weekend|month|year|morning)\b", "", rest).strip()
        past = word.low == inflect(lemma, "VBD") or word.low == "had"
        aux = "did" if past else "do"
        if rest:
            candidates.append(f"Why {aux} you {lemma} {rest}?")
        candidates.append(f"Who {aux} you {lemma} {rest or 'it'} with?" if past else f"How often do you {lemma}?")
        candidates.append("And what happened after that?" if past else "Do you enjoy it?")
    candidates += [f"Let's talk about {t}. What do you think about it?" for t in topics]
    candidates += list(FALLBACK_QUESTIONS)
    fresh = [q for q in candidates if q not in asked]
    question = fresh[0] if fresh and fresh[0] in candidates[:3] else pick.choice(fresh or candidates)
    asked.add(question)
    return question


def _you(word: str) -> str:
    return {"my": "your", "me": "you", "mine": "yours", "our": "your", "us": "you"}.get(word, word)


def compose_reply(
    check: Check,
    level: str,
    asked: set[str],
    pick: random.Random,
    habits: Mapping[str, int] | None = None,
    topics: Sequence[str] = (),
) -> list[Chunk]:
    """The offline tutor's chunks for one turn of the learner's."""
    if not check.text.strip():
        return [Chunk("say", "Sorry! I didn't catch that. Could you say it again?")]
    chunks: list[Chunk] = []
    mine = pick_finding(check.findings, habits or {})
    if check.doubtful and mine is None:
        chunks.append(ask_and_correct(check.doubtful[0], check.text, level))
    elif check.unsure and mine is None:
        word = check.unsure[0]
        chunks.append(Chunk("say", f"Sorry! Did you say '{word}'? I want to be sure I heard you."))
    if mine is None and not check.unsure:
        chunks.append(Chunk("say", pick.choice(PRAISE)))
    elif mine is not None:
        said = recast(check.corrected_if_heard_right)  # a doubtful word's correction too: never left uncorrected
        chunks.append(Chunk("say", pick.choice(REACTIONS).format(S=said[:1].upper() + said[1:])))
        chunks.append(explain(mine, level))
    chunks.append(Chunk("follow_up", follow_up(check.corrected, asked, pick, topics)))
    return chunks


# A question that makes the learner use what they got wrong before (a kind of mistake -> a question).
PRACTICE = {
    "tense": "And what did you do last weekend?",
    "plural": "How many brothers and sisters do you have?",
    "agreement": "What does your best friend do every day?",
    "article": "What does someone in your family do for work?",
    "preposition": "On which day of the week do you like to relax?",
    "word_order": "What do you like very much?",
    "word_choice": "What did you do for your homework?",
}


def remind(recurring: Recurring, chunks: list[Chunk], asked: set[str]) -> list[Chunk]:
    """The first reply of a lesson, bringing back the mistake the learner made most before: a reminder
    first, and (if this turn has nothing to correct) a question that practises it instead of the usual one."""
    said = f"Remember from last time: we say '{recurring.right}', not '{recurring.wrong}'."
    if len(chunks) >= MAX_CHUNKS and chunks[0].kind == "say":  # three at most: the reminder leads the recast
        first = chunks[0]
        out = [Chunk("say", f"{said} {first.text}", recurring.wrong, recurring.right, source="memory"), *chunks[1:]]
    else:
        out = [Chunk("say", said, recurring.wrong, recurring.right, source="memory"), *chunks]
    practice = PRACTICE.get(recurring.kind)
    if practice and not any(c.kind == "correction" for c in chunks) and out[-1].kind == "follow_up":
        asked.add(practice)
        out[-1] = Chunk("follow_up", practice)
    return out
