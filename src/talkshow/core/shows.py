"""Where the programme's shows come from: a ``ShowSource`` (a fixed topic list, or the studio's queue).

A source hands out one ``ShowPlan`` at a time, on the renderer thread, and must answer at
once (it is asked again a moment later when it has nothing).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from talkshow.core.recall import Recollection

if TYPE_CHECKING:  # the show's own settings: named for the type checker only
    from talkshow.config import CastMember, WriterSettings

__all__ = ["ShowPlan", "ShowSource"]


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
