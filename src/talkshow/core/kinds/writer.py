"""The writer kinds, and what they are asked: a show's writer (``Writer``) and a conversation's (``ReplyWriter``)."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from talkshow.core.cast import CastMember
from talkshow.core.errors import WriterError
from talkshow.core.kinds.hearing import NO_READINGS, HeardWord, Readings
from talkshow.core.lines import EMOTIONS, MAX_LINE_CHARS, Line
from talkshow.core.recall import Recollection

__all__ = [
    "CALLER",
    "MAX_LINE_CHARS",
    "Exchange",
    "FollowsAir",
    "Line",
    "ReplyRequest",
    "ReplyWriter",
    "WriteRequest",
    "Writer",
    "check_line",
]

CALLER = "caller"  # the speaker of the person's lines in a conversation's history


@dataclass(frozen=True)
class WriteRequest:
    """What a writer is asked for: ``turns`` lines on ``topic`` for ``cast``."""

    topic: str
    cast: tuple[CastMember, ...]
    turns: int
    seed: int = 0
    history: tuple[Line, ...] = field(default_factory=tuple)
    memories: tuple[Recollection, ...] = ()  # what was said on this topic in earlier shows


class Writer(Protocol):
    """Turns a topic into lines, yielding each as soon as it is complete."""

    name: str

    def lines(self, request: WriteRequest) -> AsyncGenerator[Line, None]:
        """Yield up to ``request.turns`` lines in order; a caller that stops early calls ``aclose``."""


@dataclass(frozen=True)
class Exchange:
    """One line of a conversation: ``speaker`` is a cast id or ``CALLER``."""

    speaker: str
    text: str


@dataclass(frozen=True)
class ReplyRequest:
    """What the character answers: who it is, the show's topic, the talk so far and the person's words."""

    character: CastMember
    topic: str
    heard: str
    history: tuple[Exchange, ...] = field(default_factory=tuple)
    memories: tuple[Recollection, ...] = ()  # what the show remembers that bears on this (studio memory)
    heard_words: tuple[HeardWord, ...] = ()  # ``heard`` word by word with the ears' confidence, if they gave it
    heard_seconds: float = 0.0  # how long the person spoke it (0: not known, as for a chat message)
    facts: tuple[str, ...] = ()  # what the knowledge base holds that answers ``heard`` (retrieval), each a sentence
    heard_readings: Readings = NO_READINGS  # other readings of the person's words the ears found likely, best first


class ReplyWriter(Protocol):
    """Writes one character's answer, streaming."""

    name: str

    def reply(self, request: ReplyRequest) -> AsyncGenerator[str, None]:
        """Yield the answer's sentences in order as each is complete."""


@runtime_checkable
class FollowsAir(Protocol):
    """A reply writer that follows its sentences on air (the tutor's page shows where each chunk's audio is).

    The call tells it each part it voiced (on the conversation's thread) and each part going on and off
    air (on the clock's thread: it must only note it).
    """

    def part_voiced(self, text: str, turn: int, seconds: float, spoken: str = "") -> None:
        """A part of the show carrying the sentence ``text`` was voiced: ``seconds`` of audio, show turn ``turn``.

        ``spoken``: the piece of ``text`` this part says, when the voice split it ("": all of it).
        """

    def part_aired(self, turn: int, on_air: bool) -> None:
        """Show turn ``turn`` went on air (``on_air``) or came off it."""

    def reply_cut(self, finishing: bool = False) -> None:
        """The caller talked over the reply: what of it had not finished airing never will.

        ``finishing``: the part on air still plays to its end (the call finishes its sentence).
        """


def check_line(line: Line, cast: tuple[CastMember, ...]) -> Line:
    """Return ``line`` if usable; raise WriterError naming what is wrong."""
    ids = {m.id for m in cast}
    if line.speaker not in ids:
        raise WriterError(f"line for unknown speaker {line.speaker!r}; cast is {', '.join(sorted(ids))}")
    text = " ".join(line.text.split())
    if not text:
        raise WriterError(f"empty line from {line.speaker}")
    if len(text) > MAX_LINE_CHARS:
        raise WriterError(f"line from {line.speaker} is {len(text)} characters (limit {MAX_LINE_CHARS})")
    emotion = line.emotion if line.emotion in EMOTIONS else "neutral"
    return Line(line.speaker, text, emotion)
