"""What a show can be cast with: the characters on stage, the voices installed, the writers set up.

The stage's characters are drawn at load, so a show picks from them (in its own order,
with its own voices); it cannot bring new art mid-stream.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from talkshow.config import CastMember, WriterSettings

__all__ = ["MAX_TURNS", "CastCatalog"]

MAX_TURNS = 40


class CastCatalog:
    """Checks cast and writer choices, and turns stored choices into show settings."""

    def __init__(self, stage_cast: Sequence[CastMember], voices: Sequence[str], configured_writer: WriterSettings):
        self.stage_cast = {m.id: m for m in stage_cast}
        # Voices are "engine:name"; a bare name means the character's own engine.
        self.voices = set(voices) | {m.voice.describe() for m in stage_cast}
        self.writers: dict[str, WriterSettings] = {"improv": WriterSettings("improv")}
        if configured_writer.kind == "openai":
            self.writers["llm"] = configured_writer

    def describe_writers(self) -> list[dict[str, str]]:
        """The writers a show may pick, for the cast picker."""
        out = [{"id": "improv", "label": "offline improv"}]
        llm = self.writers.get("llm")
        if llm is not None:
            out.append({"id": "llm", "label": f"LLM: {llm.options.get('model', '?')}"})
        return out

    def problems(self, cast: Sequence[dict[str, Any]], writer: str, turns: int | None) -> list[str]:
        """Everything wrong with a show's cast, writer and length (empty if it can run)."""
        found = []
        seen = set()
        for index, choice in enumerate(cast):
            cid, voice = choice.get("id"), choice.get("voice")
            if cid not in self.stage_cast:
                found.append(f"cast[{index}]: unknown character {cid!r}; on stage: {', '.join(self.stage_cast)}")
            elif cid in seen:
                found.append(f"cast[{index}]: {cid!r} is cast twice")
            seen.add(cid)
            member = self.stage_cast.get(cid) if isinstance(cid, str) else None
            qualified = _qualified(voice, member.voice.engine) if member is not None and voice is not None else voice
            if voice is not None and qualified not in self.voices:
                found.append(f"cast[{index}]: unknown voice {voice!r} (see GET /api/voices)")
        if cast and len(cast) < 2:
            found.append("cast: a debate needs at least two characters")
        if writer and writer not in self.writers:
            found.append(f"writer: {writer!r} is not available; choose from {', '.join(self.writers)}")
        if turns is not None and not 1 <= turns <= MAX_TURNS:
            found.append(f"turns: {turns} is out of range 1..{MAX_TURNS}")
        return found

    def choices(self) -> dict[str, Any]:
        """What a show request may choose, for the API's schema: cast ids, voice names, writers, turns."""
        engines = {m.voice.engine for m in self.stage_cast.values()}
        bare = {v.partition(":")[2] for v in self.voices if len(engines) == 1 and v.partition(":")[0] in engines}
        return {
            "cast": sorted(self.stage_cast),
            "voices": sorted(self.voices | bare),
            "writers": ["", *sorted(self.writers)],
            "max_turns": MAX_TURNS,
        }

    def cast_for(self, stored: Sequence[dict[str, str]]) -> tuple[CastMember, ...] | None:
        """The show's cast members with their chosen voices (None: the stage's cast as configured)."""
        members = []
        for choice in stored:
            member = self.stage_cast.get(choice.get("id", ""))
            if member is None:  # the stage changed since the show was queued
                continue
            engine, _, name = _qualified(choice.get("voice") or member.voice.voice, member.voice.engine).partition(":")
            if (engine, name) != (member.voice.engine, member.voice.voice):
                members.append(replace(member, voice=replace(member.voice, engine=engine, voice=name, options={})))
            else:
                members.append(member)
        return tuple(members) if len(members) >= 2 else None

    def writer_for(self, name: str) -> WriterSettings | None:
        """The writer settings for a stored choice (None: the configured writer)."""
        return self.writers.get(name) if name else None


def _qualified(voice: object, engine: str) -> str:
    """``engine:name`` for a voice choice; a bare name belongs to ``engine``."""
    text = str(voice)
    return text if ":" in text else f"{engine}:{text}"
