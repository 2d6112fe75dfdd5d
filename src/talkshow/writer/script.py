"""The script writer: plays a written episode in a simple screenplay format.

    # comments start with '#'
    DUKE: Welcome back, everybody!
    WENDELL (worried): Do we have to?
        Indented lines continue the previous line.

A speaker is a cast id or display name, case-insensitive; the optional
parenthetical is an emotion tag. See docs/screenplay.md.
"""

from __future__ import annotations

import re
from collections.abc import AsyncGenerator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from talkshow.config import CastMember
from talkshow.core.errors import InputError, ShowFileError, WriterError
from talkshow.core.kinds.writer import MAX_LINE_CHARS, Line, WriteRequest
from talkshow.core.lines import EMOTIONS

if TYPE_CHECKING:
    from talkshow.telemetry.events import Telemetry

__all__ = ["ScriptWriter", "parse_screenplay"]

_LINE = re.compile(r"^(?P<who>[A-Za-z][\w .'-]{0,40}?)\s*(?:\((?P<emotion>[a-zA-Z]+)\))?\s*:\s*(?P<text>.*)$")


def parse_screenplay(path: Path, cast: tuple[CastMember, ...]) -> list[Line]:
    """Parse a screenplay file; raises ShowFileError naming the file and line."""
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ShowFileError(path, "screenplay file not found") from exc
    names = {m.id.lower(): m.id for m in cast} | {m.name.lower(): m.id for m in cast}
    lines: list[Line] = []
    origins: list[int] = []
    for number, text in enumerate(raw.splitlines(), start=1):
        stripped = text.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if text[:1].isspace() and lines:
            prev = lines[-1]
            lines[-1] = Line(prev.speaker, f"{prev.text} {stripped}", prev.emotion)
            continue
        match = _LINE.match(stripped)
        if match is None:
            raise ShowFileError(path, "expected 'SPEAKER: text' or 'SPEAKER (emotion): text'", number)
        who = match.group("who").strip().lower()
        if who not in names:
            raise ShowFileError(
                path, f"unknown speaker {match.group('who')!r}; cast: {', '.join(sorted(names))}", number
            )
        emotion = (match.group("emotion") or "neutral").lower()
        if emotion not in EMOTIONS:
            raise ShowFileError(path, f"unknown emotion {emotion!r}; use one of {', '.join(EMOTIONS)}", number)
        lines.append(Line(names[who], match.group("text").strip(), emotion))
        origins.append(number)
    for line, number in zip(lines, origins, strict=True):
        if not line.text:
            raise ShowFileError(path, f"{line.speaker} has an empty line", number)
        if len(line.text) > MAX_LINE_CHARS:
            raise ShowFileError(path, f"line is {len(line.text)} characters (limit {MAX_LINE_CHARS})", number)
    if not lines:
        raise ShowFileError(path, "the screenplay has no lines")
    return lines


class ScriptWriter:
    """Yields the screenplay's lines in order (``turns`` caps how many)."""

    name = "script"

    def __init__(self, path: Path) -> None:
        self.path = path

    async def lines(self, request: WriteRequest) -> AsyncGenerator[Line, None]:
        """The next ``request.turns`` lines after any history."""
        script = parse_screenplay(self.path, request.cast)
        start = len(request.history)
        if start >= len(script):
            raise WriterError(f"{self.path}: the screenplay has only {len(script)} lines")
        for line in script[start : start + request.turns]:
            yield line


def create(options: Mapping[str, Any], base_dir: Path, telemetry: Telemetry) -> ScriptWriter:
    """The ``writer`` provider ``script``: a screenplay file (``script``, relative to the show file)."""
    script = options.get("script")
    if not isinstance(script, str):
        raise InputError('the script writer needs script = "path/to/episode.txt" in [writer]')
    path = Path(script)
    return ScriptWriter(path if path.is_absolute() else base_dir / path)
