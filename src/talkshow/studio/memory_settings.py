"""``[memory]``: how long the show remembers, and how much of it a writer is given."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from talkshow.core.sections import Section, SectionReader

__all__ = ["SECTION", "MemorySettings", "parse_memory_table", "read_memory_section"]


@dataclass(frozen=True)
class MemorySettings:
    """``[memory]``: how long the show remembers, and how much it brings to a prompt."""

    enabled: bool = True
    retention_days: float = 90.0
    recall: int = 3  # recollections given to a writer at most


def read_memory_section(data: dict[str, Any], reader: SectionReader) -> MemorySettings:
    """``[memory]`` from a show file."""
    return parse_memory_table(data, reader.fail)


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


SECTION = Section("memory", MemorySettings, read_memory_section)
