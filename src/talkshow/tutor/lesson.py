"""One lesson as the page shows it: each turn's chunks, and where each chunk's audio is.

A chunk is ``queued`` when the reply is written (all its text shows at once), ``voicing`` while
the voice makes it, ``ready`` with its duration once voiced, ``playing`` while it is on air and
``played`` after; ``cut`` if the learner talked over it first. The conversation tells the lesson
as parts are voiced, go on and off air, and are cut (``part_voiced``, ``part_aired``,
``reply_cut``: the reply writer's ``FollowsAir`` side).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

from talkshow.tutor.chunks import Chunk

__all__ = ["CHUNK_STATES", "ChunkOnAir", "Lesson", "LessonTurn"]

CHUNK_STATES = ("queued", "voicing", "ready", "playing", "played", "cut")
MAX_TURNS = 200  # a lesson's turns kept for the page (a 30-minute call has far fewer)


@dataclass
class ChunkOnAir:
    """A chunk and the state of its audio."""

    chunk: Chunk
    state: str = "queued"
    seconds: float = 0.0  # of audio, once voiced
    parts: set[int] = field(default_factory=set)  # the show's turn indexes that carry it
    aired: set[int] = field(default_factory=set)
    finished: set[int] = field(default_factory=set)
    voiced: bool = False
    said_to_the_end: bool = False  # its last words are voiced (a chunk of two sentences is two parts)


@dataclass
class LessonTurn:
    """What the learner said, what the checker made of it, and the reply's chunks."""

    number: int
    heard: str
    corrected: str
    chunks: list[ChunkOnAir]
    at: float = field(default_factory=time.time)
    source: str = "tutor"  # "tutor" (offline), "model", or "fallback" (a model's reply that failed)


class Lesson:
    """The turns of one call, safe to read from the server while the conversation writes them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.turns: list[LessonTurn] = []
        self._by_part: dict[int, ChunkOnAir] = {}
        self.lesson_id = 0  # its id in the learners' book (0: not kept)

    def begin_turn(self, heard: str, corrected: str, chunks: list[Chunk], source: str) -> LessonTurn:
        """A reply is written: its chunks show at once, queued."""
        with self._lock:
            turn = LessonTurn(len(self.turns) + 1, heard, corrected, [ChunkOnAir(c) for c in chunks], source=source)
            self.turns.append(turn)
            del self.turns[:-MAX_TURNS]
            return turn

    def add_chunk(self, turn: LessonTurn, chunk: Chunk) -> None:
        """A chunk streamed in after the turn began (a server model's)."""
        with self._lock:
            turn.chunks.append(ChunkOnAir(chunk))

    def voicing(self, turn: LessonTurn, index: int) -> None:
        """Chunk ``index`` of ``turn`` goes to the voice now; the one before it is voiced."""
        with self._lock:
            for earlier in turn.chunks[:index]:
                self._voiced(earlier)
            if index < len(turn.chunks) and turn.chunks[index].state == "queued":
                turn.chunks[index].state = "voicing"

    def done_voicing(self, turn: LessonTurn) -> None:
        """The reply's last chunk is voiced (or it was cut: what never reached the voice stays queued)."""
        with self._lock:
            for chunk in turn.chunks:
                if chunk.state == "voicing":
                    self._voiced(chunk)

    def part_voiced(self, text: str, turn_index: int, seconds: float, spoken: str = "") -> None:
        """A part of the show carrying ``text`` was voiced (the conversation's thread).

        ``spoken``: the sentence of ``text`` the part says ("": all of it).
        """
        to_the_end = _letters(text).endswith(_letters(spoken))
        with self._lock:
            for chunk in self._voicing_chunks():
                if chunk.chunk.text == text:
                    chunk.said_to_the_end |= to_the_end
                    chunk.parts.add(turn_index)
                    chunk.seconds += seconds
                    self._by_part[turn_index] = chunk
                    return
            rest = " ".join(text.split())
            for chunk in self.turns[-1].chunks if self.turns and rest else ():
                # The rest of a chunk stopped mid-air and resumed (a backchannel): a new part, from the word it
                # stopped in. What aired of the chunk before the stop is over; the rest airs as this part.
                # Also a part of a reply voiced while the learner paused, told once their turn ended.
                if chunk.state in ("ready", "playing") and " ".join(chunk.chunk.text.split()).endswith(rest):
                    if not chunk.aired:  # a late part is more of the chunk; a resumed one is its rest again
                        chunk.seconds += seconds
                    chunk.finished |= chunk.aired
                    chunk.said_to_the_end |= to_the_end
                    chunk.parts.add(turn_index)
                    self._by_part[turn_index] = chunk
                    return

    def part_aired(self, turn_index: int, on_air: bool) -> None:
        """A part went on air or came off it (the clock's thread: only notes it)."""
        with self._lock:
            chunk = self._by_part.get(turn_index)
            if chunk is None:
                return
            (chunk.aired if on_air else chunk.finished).add(turn_index)
            if on_air and chunk.state in ("voicing", "ready"):
                chunk.state = "playing"
            elif not on_air and chunk.voiced and chunk.parts <= chunk.finished:
                chunk.state = "played"
                for index in chunk.parts:
                    self._by_part.pop(index, None)

    def cut(self, finishing: bool = False) -> None:
        """The learner talked over the reply on air: its chunks that had not finished airing never will.

        ``finishing``: the part on air plays to its end, so a chunk voiced to its last words, every part
        of it on air, ends ``played`` as it comes off.
        """
        with self._lock:
            for chunk in self.turns[-1].chunks if self.turns else ():
                if finishing and chunk.state == "playing" and chunk.said_to_the_end and chunk.parts <= chunk.aired:
                    chunk.voiced = True
                    continue
                if chunk.state != "played":
                    chunk.state = "cut"
                    chunk.voiced = True  # nothing more of it is voiced, and its parts no longer count
                    for index in chunk.parts:
                        self._by_part.pop(index, None)

    def snapshot(self, last: int = 20) -> list[dict[str, Any]]:
        """The last ``last`` turns as plain data, for the page."""
        with self._lock:
            return [
                {
                    "turn": t.number,
                    "heard": t.heard,
                    "corrected": t.corrected,
                    "source": t.source,
                    "at": t.at,
                    "chunks": [
                        {**c.chunk.as_dict(), "state": c.state, "seconds": round(c.seconds, 2)} for c in t.chunks
                    ],
                }
                for t in self.turns[-last:]
            ]

    def _voicing_chunks(self) -> list[ChunkOnAir]:
        turn = self.turns[-1] if self.turns else None
        return [c for c in turn.chunks if not c.voiced and c.state != "queued"] if turn else []

    @staticmethod
    def _voiced(chunk: ChunkOnAir) -> None:
        chunk.voiced = True
        if chunk.state == "voicing":
            chunk.state = "ready"
        if chunk.state != "cut" and chunk.parts and chunk.parts <= chunk.finished:
            chunk.state = "played"


def _letters(text: str) -> str:
    """``text``'s letters and digits, lower case: a voiced sentence compared with its chunk, punctuation aside."""
    return "".join(ch for ch in text.lower() if ch.isalnum())
