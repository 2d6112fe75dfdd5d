"""The writer stage's types: a Line, a request, and the Writer protocol."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from dataclasses import dataclass, field
from typing import Protocol

from talkshow.config import CastMember
from talkshow.core.errors import WriterError
from talkshow.core.lines import EMOTIONS, MAX_LINE_CHARS, Line
from talkshow.core.recall import Recollection

__all__ = ["MAX_LINE_CHARS", "Line", "WriteRequest", "Writer", "check_line"]


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
