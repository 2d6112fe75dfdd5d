"""The brain's question sets (``assets/brain/questions.toml``, dev; ``questions_test.toml``, held out) and how an
answer to one is scored.

Each answer is ``correct`` (it holds a right word or phrase; for a yes-or-no, its first yes or
no is the right one), ``in_character`` (an opinion given in the character's own words without
the words listed, and no shrug: fitting, not wrong) or ``wrong`` (a wrong fact, polarity or
name, nothing, a shrug such as "I'm not sure" from a host who never admits doubt, a refusal,
or four or more of the question's words in a row said back, as a template pastes them, unless a
fact's answer holds the right word: "The capital of France is Paris" repeats and answers).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib.resources import files

from talkshow.writer.answers import SAY_AGAIN

__all__ = ["PARTS", "VERDICTS", "Question", "QuestionSet", "load_questions", "plain_words", "score"]

VERDICTS = ("correct", "in_character", "wrong")
_YES = re.compile(r"\b(yes|yeah|yep|yup|sure|absolutely|definitely|certainly|of course|indeed|totally|you bet)\b")
_NO = re.compile(r"\b(no|nope|nah|never|not|cannot)\b|n't\b")
_REFUSAL = re.compile(r"\b(as an ai|language model|i cannot (help|answer)|i'm not able to)\b")
ECHO_WORDS = 4  # this many of the question's words in a row, said back: pasted, not answered
_EVASION = re.compile(r"\b(i'?m not sure|i don'?t know|no idea|who knows)\b")  # never fitting


@dataclass(frozen=True)
class Question:
    """One question: its ``kind``, the words ``ask``ed, what a right answer holds, and the talk ``before`` it."""

    kind: str
    ask: str
    right: tuple[str, ...]
    before: tuple[str, ...] = ()  # the caller's line, then the character's answer


@dataclass(frozen=True)
class QuestionSet:
    """The questions, and the show and character they are asked on."""

    topic: str
    character: str
    questions: tuple[Question, ...]


PARTS = {"dev": "questions.toml", "test": "questions_test.toml"}  # tuned on; held out and only reported


def load_questions(part: str = "dev") -> QuestionSet:
    """The bundled question set's ``dev`` part (tuned on) or ``test`` part (held out)."""
    if part not in PARTS:
        raise ValueError(f"part must be one of {', '.join(PARTS)}, got {part!r}")
    data = tomllib.loads(files("talkshow").joinpath(f"assets/brain/{PARTS[part]}").read_text())
    questions = tuple(
        Question(q["kind"], q["ask"], tuple(q["right"]), tuple(q.get("before", ()))) for q in data["question"]
    )
    return QuestionSet(data["topic"], data["character"], questions)


def plain_words(text: str) -> str:
    """``text`` lower case, without punctuation, one space between words."""
    return " ".join(re.sub(r"[^a-z0-9' -]", " ", text.lower().replace("’", "'")).split())


# Asking the caller to say it again answers nothing, whatever its words ("I didn't quite catch that" is no "no").
_ASKED_AGAIN = frozenset(plain_words(line) for line in SAY_AGAIN)


def score(question: Question, answer: str, heard: str = "") -> str:
    """``correct``, ``in_character`` or ``wrong`` for ``answer`` to ``question`` (as ``heard``, if spoken)."""
    said = plain_words(answer)
    if not said or _REFUSAL.search(said) or said in _ASKED_AGAIN:
        return "wrong"
    asked = plain_words(question.ask)
    holds_answer = question.kind in ("fact", "followup") and any(
        re.search(r"\b" + re.escape(plain_words(word)), said) and plain_words(word) not in asked
        for word in question.right
    )  # a sentence may repeat the question to answer it ("the capital of France is Paris"); a template pastes it
    if not holds_answer and any(_echoes(asked, said) for asked in (question.ask, heard) if asked):
        return "wrong"
    if question.kind == "yes_no":
        said = _EVASION.sub(" ", said)  # "No idea" and "I don't know" are no answer, not a "no"
        first_yes, first_no = _YES.search(said), _NO.search(said)
        starts = [(m.start(), word) for m, word in ((first_yes, "yes"), (first_no, "no")) if m is not None]
        return "correct" if starts and min(starts)[1] == question.right[0] else "wrong"
    if any(re.search(r"\b" + re.escape(plain_words(word)), said) for word in question.right):
        return "correct"
    fitting = question.kind == "opinion" and len(said.split()) >= 3 and not _EVASION.search(said)
    return "in_character" if fitting else "wrong"


def _echoes(asked: str, said: str, span: int = ECHO_WORDS) -> bool:
    """Whether ``said`` pastes ``span`` words in a row of the question back (a template's fill-in)."""
    words, answer = plain_words(asked).split(), f" {said} "
    return any(f" {' '.join(words[i : i + span])} " in answer for i in range(len(words) - span + 1))
