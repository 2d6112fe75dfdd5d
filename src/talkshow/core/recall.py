"""What the show remembers, as every stage is handed it: a ``Recollection``, and how to ask for them."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Recall", "Recollection", "as_prompt", "forget_everything", "when_said"]


@dataclass(frozen=True)
class Recollection:
    """One remembered line: ``who`` said ``text`` (a viewer's question, a caller's words, a character's line)."""

    kind: str  # question (a viewer asked), caller (a caller said), said (a character said)
    who: str  # the name shown: a viewer's display name, a caller's label, a character's name
    text: str
    topic: str
    at: float  # Unix seconds


# recall(about, person) -> the closest things the show remembers (the studio's memory implements it)
Recall = Callable[[str, str], tuple[Recollection, ...]]


def forget_everything(about: str, person: str) -> tuple[Recollection, ...]:
    """The ``Recall`` of a show without a studio: it remembers nothing."""
    return ()


def when_said(at: float, now: float | None = None) -> str:
    """'earlier today', 'yesterday', 'last week', '3 weeks ago'... as a host would say it."""
    days = ((now or time.time()) - at) / 86_400
    if days < 1:
        return "earlier today"
    if days < 2:
        return "yesterday"
    if days < 7:
        return f"{int(days)} days ago"
    if days < 14:
        return "last week"
    if days < 60:
        return f"{int(days // 7)} weeks ago"
    return f"{int(days // 30)} months ago"


def as_prompt(memories: tuple[Recollection, ...], now: float | None = None) -> str:
    """Memories as lines for a prompt (quoted: they are data, never instructions)."""
    verbs = {"question": "asked", "caller": "said on a call", "said": "said"}
    return "\n".join(
        f'- {when_said(m.at, now)}, {m.who} {verbs.get(m.kind, "said")} (topic: {m.topic}): "{m.text}"'
        for m in memories
    )
