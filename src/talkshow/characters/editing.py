"""Edits to an imported (layered) pack: its mouth map and its voice, checked and written back.

The studio's cast editor uses these; so can anyone with a pack folder. Every edit is
validated against the pack as it is on disk (sprite ids, shapes, voice ranges), then the
manifest is rewritten beside itself and swapped in, so a failed edit changes nothing.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Any

from talkshow.characters.cast import pack_voice
from talkshow.characters.layered import PACK_ID, LayeredPack, is_layered, load_layered_pack, write_layered_manifest
from talkshow.core.errors import InputError, TalkshowError
from talkshow.lipsync.shapes import SHAPES

__all__ = ["edit_pack", "imported_packs", "pack_summary", "set_mouths", "set_voice"]


def imported_packs(packs_dir: Path) -> list[Path]:
    """The layered packs under ``packs_dir``, by name."""
    if not packs_dir.is_dir():
        return []
    return sorted(p for p in packs_dir.iterdir() if PACK_ID.fullmatch(p.name) and is_layered(p))


def edit_pack(packs_dir: Path, pack_id: str) -> Path:
    """The folder of imported pack ``pack_id``; InputError if the name is not one or there is no such pack."""
    if not PACK_ID.fullmatch(pack_id):
        raise InputError(f"{pack_id[:60]!r} is not a pack name (a-z, 0-9, _ and -, up to 40)")
    folder = packs_dir / pack_id
    if not is_layered(folder):
        raise InputError(f"no imported pack named {pack_id!r}")
    return folder


def pack_summary(folder: Path) -> dict[str, Any]:
    """What the cast editor shows: the pack's names, its sprites and their rules, the mouth map, the voice."""
    pack = load_layered_pack(folder)
    return {
        "id": folder.name,
        "name": pack.name,
        "description": pack.description,
        "sprites": [
            {"id": s.id, "talk": s.talk, "blink": s.blink, "frames": s.frames, "moving": _moves(pack, s.id)}
            for s in pack.sprites
        ],
        "mouths": pack.mouths,
        "mouth_choices": [s.id for s in pack.sprites if s.talk != "always"],
        "voice": pack.voice or {},
        "use": f"talkshow serve --cast {folder.name},duke",
    }


def set_mouths(folder: Path, mapping: dict[str, str]) -> LayeredPack:
    """Map every Rhubarb shape to a sprite ("" hides the mapped mouths), or clear the map with ``{}``."""
    pack = load_layered_pack(folder)
    ids = {s.id for s in pack.sprites}
    if mapping and set(mapping) != set(SHAPES):
        missing = ", ".join(sorted(set(SHAPES) - set(mapping))) or "none"
        extra = ", ".join(sorted(set(mapping) - set(SHAPES))) or "none"
        raise InputError(f"map all of {', '.join(SHAPES)} or none (missing: {missing}; not shapes: {extra})")
    for shape, sprite in mapping.items():
        if not isinstance(sprite, str) or (sprite and sprite not in ids):
            raise InputError(f"mouth {shape}: the pack has no sprite {str(sprite)[:40]!r}")
    updated = replace(pack, mouths={shape: mapping[shape] for shape in SHAPES} if mapping else {})
    _write(folder, updated)
    return updated


def set_voice(folder: Path, voice: dict[str, Any]) -> LayeredPack:
    """Give the pack a voice (engine, voice, pitch, rate, formants), checked the way a show loads it."""
    unknown = set(voice) - {"engine", "voice", "pitch", "rate", "formants"}
    if unknown:
        raise InputError(f"a voice has engine, voice, pitch, rate and formants, not {', '.join(sorted(unknown))}")
    for key in ("engine", "voice"):
        value = voice.get(key, "")
        if not isinstance(value, str) or not 0 < len(value) <= 200 or not value.isprintable():
            raise InputError(f"voice {key} must be a name of 1 to 200 printable characters")
    pack = load_layered_pack(folder)
    updated = replace(pack, voice={k: voice[k] for k in ("engine", "voice", "pitch", "rate", "formants") if k in voice})
    _write(folder, updated)  # checked there as a show would load it
    return updated


def _write(folder: Path, pack: LayeredPack) -> None:
    """Rewrite the manifest; if the result does not load as a show would load it, put the old one back."""
    manifest = folder / "manifest.toml"
    before = manifest.read_text(encoding="utf-8")
    first = before.splitlines()[0] if before else ""
    source = first.removeprefix("# Imported from ").partition(" by `talkshow")[0] if first.startswith("#") else ""
    staged = folder / ".manifest.toml.new"
    staged.write_text(write_layered_manifest(pack, source or "the studio"), encoding="utf-8")
    os.replace(staged, manifest)  # atomic: a reader sees the old manifest or the new, never half of one
    try:
        load_layered_pack(folder)
        pack_voice(folder)
    except (TalkshowError, ValueError):
        manifest.write_text(before, encoding="utf-8")
        raise


def _moves(pack: LayeredPack, sprite_id: str) -> bool:
    spec = next(s for s in pack.sprites if s.id == sprite_id)
    return bool(spec.wobble[0] and spec.wobble[1]) or bool(spec.wobble[2] and spec.wobble[3]) or spec.drag_s > 0
