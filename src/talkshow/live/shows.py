"""Where the programme's shows come from: a fixed topic list, or the studio's queue.

A source hands out one ShowPlan at a time, on the renderer thread, and must answer at
once (it is asked again a moment later when it has nothing).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from talkshow.config import CastMember, WriterSettings
from talkshow.memories import Recollection

__all__ = ["ShowPlan", "ShowSource", "TopicCycle"]


@dataclass(frozen=True)
class ShowPlan:
    """One show to run: its topic and, optionally, its own cast voices, writer and length."""

    topic: str
    show_id: int  # unique within the source; events carry it as ``show``
    cast: tuple[CastMember, ...] | None = None  # None: everyone on stage, with their own voices
    writer: WriterSettings | None = None  # None: the engine's configured writer
    turns: int | None = None
    resume_at: int = 0  # lines already aired before a restart: the writer's first lines are skipped
    memories: tuple[Recollection, ...] = ()  # what earlier shows said on this topic (the studio's memory)


class ShowSource(Protocol):
    """Supplies shows to the programme."""

    def next_show(self) -> ShowPlan | None:
        """The next show to start now, or None to stay idle for a while (must not block)."""


class TopicCycle:
    """Shows on a fixed list of topics, in order, optionally forever."""

    def __init__(self, topics: Sequence[str], repeat: bool = True) -> None:
        if any(not t.strip() for t in topics):
            raise ValueError("every topic must say something; got an empty topic")
        self.topics = list(topics)
        self.repeat = repeat
        self._index = 0

    def next_show(self) -> ShowPlan | None:
        """The next topic in the list; None when it has run out (or is empty)."""
        index = self._index
        if not self.topics or (index >= len(self.topics) and not self.repeat):
            return None
        self._index += 1
        return ShowPlan(topic=self.topics[index % len(self.topics)], show_id=index)
