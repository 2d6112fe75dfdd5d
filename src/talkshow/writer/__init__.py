"""Writer stage: a topic becomes lines (speaker, text, emotion).

``improv`` (offline default), ``script`` (a screenplay file) and ``openai`` (any
OpenAI-compatible endpoint), all wrapped so a failing writer falls back to improv.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from talkshow.config import WriterSettings
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
    primary: Writer
    options = settings.options
    if settings.kind == "script":
        path = Path(str(options["script"]))
        primary = ScriptWriter(path if path.is_absolute() else base_dir / path)
    elif settings.kind == "openai":
        primary = OpenAIWriter(
            model=str(options["model"]),
            base_url=str(options.get("base_url", "https://api.openai.com/v1")),
            api_key_env=str(options.get("api_key_env", "OPENAI_API_KEY")),
            temperature=float(options.get("temperature", 0.9)),
            timeout=float(options.get("timeout", 30.0)),
            retries=int(options.get("retries", 2)),
            telemetry=telemetry,
        )
    else:
        primary = ImprovWriter()
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
