"""Writer stage: a topic becomes lines (speaker, text, emotion).

``improv`` (offline default), ``script`` (a screenplay file) and ``openai`` (any
OpenAI-compatible endpoint), all wrapped so a failing writer falls back to improv.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from talkshow.config import WriterSettings
from talkshow.providers import WRITERS
from talkshow.telemetry import Telemetry
from talkshow.writer.breaker import BreakerState, WriterBreaker
from talkshow.writer.improv import ImprovWriter, topic_subject
from talkshow.writer.openai_compat import LineSplitter, OpenAIWriter, parse_reply_line
from talkshow.writer.resilient import ResilientWriter
from talkshow.writer.script import ScriptWriter, parse_screenplay
from talkshow.writer.types import MAX_LINE_CHARS, Line, Writer, WriteRequest, check_line

__all__ = [
    "DEADLINE_FLOOR_S",
    "MAX_LINE_CHARS",
    "BreakerState",
    "ImprovWriter",
    "Line",
    "LineSplitter",
    "OpenAIWriter",
    "ResilientWriter",
    "ScriptWriter",
    "WriteRequest",
    "Writer",
    "WriterBreaker",
    "check_line",
    "make_writer",
    "parse_reply_line",
    "parse_screenplay",
    "topic_subject",
]


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
