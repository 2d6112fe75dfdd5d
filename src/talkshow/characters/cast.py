"""A cast from pack names (``--cast my,duke``): the bundled characters as they are, imported ones from their packs."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from talkshow.characters.pack import find_pack
from talkshow.config import CastMember, default_cast
from talkshow.core.cast import VoiceSettings
from talkshow.core.errors import InputError

__all__ = ["GUEST_PERSONA", "cast_from_names", "pack_voice"]

GUEST_PERSONA = "A quick-witted guest with strong opinions, who likes to tease the others and never stays on the fence."
# Voices for imported characters without a [voice] table, one per seat, none the same as the bundled two.
_GUEST_VOICES = (
    VoiceSettings(
        engine="piper",
        voice="joe",
        pitch=60,
        rate=176,
        options={"formants": 1.0},
        fallback=VoiceSettings(voice="en-us+m1"),
    ),
    VoiceSettings(
        engine="piper",
        voice="joe",
        pitch=5,
        rate=152,
        options={"formants": 0.8},
        fallback=VoiceSettings(voice="en-us+m2"),
    ),
    VoiceSettings(
        engine="piper",
        voice="joe",
        pitch=90,
        rate=186,
        options={"formants": 1.22},
        fallback=VoiceSettings(voice="en-us+f2"),
    ),
)


def cast_from_names(names: str, base_dir: Path | None = None) -> tuple[CastMember, ...]:
    """``"my,duke"`` -> a cast: bundled ids keep their persona and voice; other packs bring their own."""
    wanted = [n.strip() for n in names.split(",") if n.strip()]
    if len(wanted) < 2:
        raise InputError(f"--cast needs two or more characters, comma-separated (got {names!r})")
    if len(set(wanted)) != len(wanted):
        raise InputError(f"--cast names a character twice: {names!r}")
    bundled = {m.id: m for m in default_cast()}
    cast = []
    for index, name in enumerate(wanted):
        if name in bundled:
            cast.append(bundled[name])
            continue
        folder = find_pack(name, base_dir)
        info = _character_table(folder)
        cast_id = "".join(c for c in folder.name.lower() if c.isalnum() or c in "_-") or f"guest{index}"
        cast.append(
            CastMember(
                id=cast_id,
                pack=str(folder),
                name=str(info.get("name", cast_id.title()))[:40],
                persona=str(info.get("persona") or GUEST_PERSONA)[:400],
                voice=pack_voice(folder) or _GUEST_VOICES[index % len(_GUEST_VOICES)],
            )
        )
    return tuple(cast)


def pack_voice(folder: Path) -> VoiceSettings | None:
    """The ``[voice]`` a pack asks for (engine, voice, pitch, rate, formants), if it has one."""
    table = _manifest(folder).get("voice")
    if not isinstance(table, dict):
        return None
    try:
        return VoiceSettings(
            engine=str(table.get("engine", "piper")),
            voice=str(table.get("voice", "joe")),
            pitch=_bounded(table.get("pitch", 50), 0, 100),
            rate=_bounded(table.get("rate", 175), 80, 450),
            options=_formants(table.get("formants")),
            fallback=VoiceSettings(voice="en-us"),
        )
    except ValueError as exc:
        raise InputError(f"{folder / 'manifest.toml'}: [voice] {exc}") from exc


def _formants(value: Any) -> dict[str, Any]:
    """``formants`` (a vocal-tract ratio, 0.7-1.4) as the Piper option, when a pack sets it."""
    if value is None:
        return {}
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0.7 <= value <= 1.4:
        raise ValueError(f"formants {value!r} must be a number from 0.7 to 1.4")
    return {"formants": float(value)}


def _bounded(value: Any, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"{value!r} must be a whole number from {low} to {high}")
    return value


def _manifest(folder: Path) -> dict[str, Any]:
    try:
        return tomllib.loads((folder / "manifest.toml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"{folder}: manifest.toml cannot be read ({exc})") from exc


def _character_table(folder: Path) -> dict[str, Any]:
    table = _manifest(folder).get("character", {})
    if not isinstance(table, dict):
        raise InputError(f"{folder}: manifest.toml's [character] must be a table")
    return table
