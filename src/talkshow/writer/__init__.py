"""Writer stage: a topic becomes lines (speaker, text, emotion).

``improv`` (offline default), ``script`` (a screenplay file) and ``openai`` (any
OpenAI-compatible endpoint), all wrapped so a failing writer falls back to improv.
"""

from __future__ import annotations

from pathlib import Path

from talkshow.config import WriterSettings
from talkshow.telemetry import Telemetry
from talkshow.writer.improv import ImprovWriter, topic_subject
from talkshow.writer.openai_compat import OpenAIWriter, parse_reply_line
from talkshow.writer.resilient import ResilientWriter
from talkshow.writer.script import ScriptWriter, parse_screenplay
from talkshow.writer.types import MAX_LINE_CHARS, Line, Writer, WriteRequest, check_line

__all__ = [
    "MAX_LINE_CHARS",
    "ImprovWriter",
    "Line",
    "OpenAIWriter",
    "ResilientWriter",
    "ScriptWriter",
    "WriteRequest",
    "Writer",
    "check_line",
    "make_writer",
    "parse_reply_line",
    "parse_screenplay",
    "topic_subject",
]


def make_writer(settings: WriterSettings, base_dir: Path, telemetry: Telemetry) -> ResilientWriter:
    """The configured writer, wrapped with checks and the improv fallback."""
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
    return ResilientWriter(primary, ImprovWriter(), telemetry)
