"""What a character remembers, as writers are given it: who said what, when, about which topic."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["MemorySettings", "Recollection", "as_prompt", "parse_memory_table", "when_said"]


@dataclass(frozen=True)
class MemorySettings:
    """``[memory]``: how long the show remembers, and how much it brings to a prompt."""

    enabled: bool = True
    retention_days: float = 90.0
    recall: int = 3  # recollections given to a writer at most


@dataclass(frozen=True)
class Recollection:
    """One remembered line: ``who`` said ``text`` (a viewer's question, a caller's words, a character's line)."""

    kind: str  # question (a viewer asked), caller (a caller said), said (a character said)
    who: str  # the name shown: a viewer's display name, a caller's label, a character's name
    text: str
    topic: str
    at: float  # Unix seconds


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


def parse_memory_table(data: dict[str, Any], fail: Callable[[str, str], Exception]) -> MemorySettings:
    """``[memory]`` from a show file: ``enabled``, ``retention_days``, ``recall``."""
    allowed = {"enabled": (bool,), "retention_days": (int, float), "recall": (int,)}
    for key, value in data.items():
        if key not in allowed:
            raise fail(f"unknown key {key!r} in [memory] (expected one of: {', '.join(allowed)})", key)
        kinds = allowed[key]
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            raise fail(f"memory {key} must be {' or '.join(k.__name__ for k in kinds)}, got {value!r}", key)
    settings = MemorySettings(**data)
    if not 0 < settings.retention_days <= 3650 or not 0 <= settings.recall <= 10:
        raise fail("memory retention_days must be 0-3650 and recall 0-10", "retention_days")
    return settings
