"""The configured show writer, built and wrapped: checks, a deadline per line, and the improv fallback."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from talkshow.config import WriterSettings
from talkshow.core.kinds.writer import Writer
from talkshow.providers import WRITERS
from talkshow.telemetry.events import Telemetry
from talkshow.writer.breaker import WriterBreaker
from talkshow.writer.improv import ImprovWriter
from talkshow.writer.resilient import ResilientWriter

__all__ = ["DEADLINE_FLOOR_S", "make_writer"]


DEADLINE_FLOOR_S = 4.0  # a line may always take this long, even with nothing prepared ahead


def make_writer(
    settings: WriterSettings,
    base_dir: Path,
    telemetry: Telemetry,
    breaker: WriterBreaker | None = None,
    air_ahead_s: Callable[[], float] | None = None,
) -> ResilientWriter:
    """The configured writer, wrapped with checks, a deadline per line and the improv fallback.

    ``air_ahead_s`` says how much air is already prepared: a line is due before it runs
    out (but never sooner than the ``deadline_floor_s`` option). ``breaker`` spans shows.
    """
    options = settings.options
    primary: Writer = WRITERS.load(settings.kind)(options, base_dir, telemetry)
    floor = float(options.get("deadline_floor_s", DEADLINE_FLOOR_S))
    deadline = None if air_ahead_s is None else (lambda: max(floor, air_ahead_s()))
    return ResilientWriter(
        primary,
        ImprovWriter(),
        telemetry,
        line_timeout_s=float(options.get("line_timeout_s", 30.0)),
        breaker=breaker,
        deadline_s=deadline,
    )
