"""Layered character packs: a tree of sprites with their own motion, as PNGTuber avatars are built.

A pack with ``format = "layered"`` in its ``[character]`` table is a list of ``[[sprites]]``,
each a PNG with a parent, a position relative to that parent, a draw order, idle wobble,
drag, talk and blink visibility, costumes and sprite-sheet frames. ``[mouths]`` maps
Rhubarb shapes to mouth sprites when the avatar has several; without it, sprites shown
"talking" appear while the phoneme cues have the mouth open. See docs/avatars.md.

Everything in a pack is untrusted (it may come from a stranger's avatar file): every number
is bounded, every file must stay inside the pack folder, and images are size-checked from
their header before they are decoded.
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from PIL import Image, UnidentifiedImageError

from talkshow.core.errors import CharacterPackError
from talkshow.lipsync.shapes import SHAPES

__all__ = [
    "BLINK_STATES",
    "COSTUMES",
    "MAX_IMAGE_PIXELS",
    "MAX_SPRITES",
    "MAX_TOTAL_PIXELS",
    "PACK_ID",
    "TALK_STATES",
    "VOICE_KEYS",
    "LayeredPack",
    "SpriteSpec",
    "blink_visible",
    "check_tree",
    "is_layered",
    "load_layered_pack",
    "sprite_visible",
    "write_layered_manifest",
]

RGBA = npt.NDArray[np.uint8]
TALK_STATES = ("always", "silent", "talking")  # PNGTuber Plus showTalk 0, 1, 2
BLINK_STATES = ("always", "open", "closed")  # showBlink 0, 1 (eyes open only), 2 (blinking only)
COSTUMES = 10
PACK_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")  # an imported pack's name (its folder's)
VOICE_KEYS = ("engine", "voice", "pitch", "rate", "formants")  # what a pack's [voice] may say
MAX_SPRITES = 200
MAX_IMAGE_PIXELS = 4096 * 4096  # one sprite (or sheet); a decompression bomb is refused before decoding
MAX_TOTAL_PIXELS = 48_000_000  # all sprites together
_COORD_LIMIT = 20_000.0


@dataclass(frozen=True)
class SpriteSpec:
    """One sprite of a layered pack, in pack pixels (its texture is centred on ``position + offset``)."""

    id: str
    parent: str
    file: str
    position: tuple[float, float]
    offset: tuple[float, float] = (0.0, 0.0)
    z: int = 0
    talk: str = "always"
    blink: str = "always"
    wobble: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)  # x amplitude, x Hz, y amplitude, y Hz
    drag_s: float = 0.0  # how far the sprite lags its parent's motion
    frames: int = 1  # a sprite sheet: frames side by side
    frame_rate: float = 0.0
    costumes: tuple[bool, ...] = (True,) * COSTUMES
    clipped: bool = False  # its children are drawn only where it is opaque


@dataclass(frozen=True)
class LayeredPack:
    """A loaded layered pack: the specs, each sprite's RGBA, the mouth map and motion settings."""

    id: str
    name: str
    description: str
    folder: Path
    canvas: tuple[int, int]
    origin: tuple[float, float]  # where the sprite tree's root sits on the canvas
    sprites: tuple[SpriteSpec, ...]
    images: dict[str, RGBA]
    mouths: dict[str, str]  # Rhubarb shape -> sprite id ("" hides every mapped mouth)
    costume: int = 1
    bounce_px: float = 0.0
    bounce_s: float = 0.5
    voice: dict[str, Any] | None = None


def sprite_visible(spec: SpriteSpec, talking: bool, blinking: bool) -> bool:
    """PNGTuber Plus's visibility rule for one sprite."""
    talk_ok = spec.talk == "always" or (spec.talk == "talking") == talking
    return talk_ok and blink_visible(spec, blinking)


def blink_visible(spec: SpriteSpec, blinking: bool) -> bool:
    """Whether ``spec`` shows with the eyes closed (``blinking``) or open."""
    return spec.blink == "always" or (spec.blink == "closed") == blinking


def is_layered(folder: Path) -> bool:
    """Whether the pack in ``folder`` is a layered one (its manifest says ``format = "layered"``)."""
    try:
        manifest = tomllib.loads((folder / "manifest.toml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False
    info = manifest.get("character")
    return isinstance(info, dict) and info.get("format") == "layered"


def load_layered_pack(folder: Path) -> LayeredPack:
    """Load and check a layered pack; raises CharacterPackError naming the problem."""
    try:
        manifest = tomllib.loads((folder / "manifest.toml").read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise CharacterPackError(folder, "manifest.toml is missing") from exc
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise CharacterPackError(folder, f"manifest.toml is not valid TOML: {exc}") from exc
    check = _Checker(folder)
    info = check.table(manifest, "character")
    canvas = check.pair(info.get("canvas"), "[character] canvas", integer=True)
    origin = check.pair(info.get("origin", [canvas[0] / 2, canvas[1] / 2]), "[character] origin")
    motion = check.table(manifest, "motion", required=False)
    rows = manifest.get("sprites")
    if not isinstance(rows, list) or not rows:
        raise CharacterPackError(folder, "a layered pack needs [[sprites]]")
    if len(rows) > MAX_SPRITES:
        raise CharacterPackError(folder, f"{len(rows)} sprites is more than the {MAX_SPRITES} a pack may have")
    sprites = tuple(check.sprite(row, index) for index, row in enumerate(rows))
    check_tree(folder, sprites)
    images: dict[str, RGBA] = {}
    total = 0
    for spec in sprites:
        images[spec.id] = check.image(spec.file, f"sprite {spec.id}")
        total += images[spec.id].shape[0] * images[spec.id].shape[1]
        if total > MAX_TOTAL_PIXELS:
            raise CharacterPackError(folder, f"the sprites hold over {MAX_TOTAL_PIXELS:,} pixels together")
    mouths = check.mouths(check.table(manifest, "mouths", required=False), {s.id for s in sprites})
    voice = manifest.get("voice")
    if voice is not None and not isinstance(voice, dict):
        raise CharacterPackError(folder, "[voice] must be a table")
    return LayeredPack(
        id=str(info.get("id", folder.name)),
        name=str(info.get("name", folder.name.title()))[:40],
        description=str(info.get("description", ""))[:400],
        folder=folder,
        canvas=(int(canvas[0]), int(canvas[1])),
        origin=origin,
        sprites=sprites,
        images=images,
        mouths=mouths,
        costume=int(check.number(motion.get("costume", 1), "[motion] costume", 1, COSTUMES)),
        bounce_px=check.number(motion.get("bounce_px", 0.0), "[motion] bounce_px", 0, 400),
        bounce_s=check.number(motion.get("bounce_s", 0.5), "[motion] bounce_s", 0.05, 5),
        voice=voice,
    )


def check_tree(source: Path, sprites: tuple[SpriteSpec, ...]) -> None:
    """Unique ids, parents that exist, and no parent cycles (an error names the sprites)."""
    by_id: dict[str, SpriteSpec] = {}
    for spec in sprites:
        if spec.id in by_id:
            raise CharacterPackError(source, f"sprite id {spec.id!r} is used twice")
        by_id[spec.id] = spec
    for spec in sprites:
        seen = [spec.id]
        parent = spec.parent
        while parent:
            if parent not in by_id:
                raise CharacterPackError(source, f"sprite {seen[-1]!r} has parent {parent!r}, which is not in the file")
            if parent in seen:
                loop = " -> ".join([*seen[seen.index(parent) :], parent])
                raise CharacterPackError(source, f"sprites form a parent cycle: {loop}")
            seen.append(parent)
            parent = by_id[parent].parent


def write_layered_manifest(pack: LayeredPack, source: str) -> str:
    """The manifest text for ``pack`` (its images are written by the caller)."""
    out = [
        f"# Imported from {_quote(source)[1:-1]} by `talkshow characters import`; see docs/avatars.md.",
        "[character]",
        'format = "layered"',
        f"id = {_quote(pack.id)}",
        f"name = {_quote(pack.name)}",
        f"description = {_quote(pack.description)}",
        f"canvas = [{pack.canvas[0]}, {pack.canvas[1]}]",
        f"origin = [{pack.origin[0]:.1f}, {pack.origin[1]:.1f}]",
        "",
        "[motion]",
        f"costume = {pack.costume}",
        f"bounce_px = {pack.bounce_px:.2f}  # how high the avatar hops when a line starts",
        f"bounce_s = {pack.bounce_s:.3f}",
        "",
        "# Rhubarb mouth shape -> mouth sprite id. Empty: the sprites shown when talking open on the cues.",
        "[mouths]",
        *[f"{shape} = {_quote(sprite)}" for shape, sprite in pack.mouths.items()],
    ]
    if pack.voice:
        out += [
            "",
            "# The character's voice: engine, voice, pitch (0-100), rate (words a minute), formants (0.7-1.4).",
            "[voice]",
        ]
        out += [f"{key} = {_value(value)}" for key, value in pack.voice.items() if key in VOICE_KEYS]
    for s in pack.sprites:
        out += [
            "",
            "[[sprites]]",
            f"id = {_quote(s.id)}",
            f"parent = {_quote(s.parent)}",
            f"file = {_quote(s.file)}",
            f"position = [{s.position[0]:.2f}, {s.position[1]:.2f}]",
            f"offset = [{s.offset[0]:.2f}, {s.offset[1]:.2f}]",
            f"z = {s.z}",
            f"talk = {_quote(s.talk)}",
            f"blink = {_quote(s.blink)}",
            f"wobble = [{', '.join(f'{v:.4f}' for v in s.wobble)}]",
            f"drag_s = {s.drag_s:.4f}",
            f"frames = {s.frames}",
            f"frame_rate = {s.frame_rate:.3f}",
            f"costumes = [{', '.join('true' if c else 'false' for c in s.costumes)}]",
            f"clipped = {'true' if s.clipped else 'false'}",
        ]
    return "\n".join(out) + "\n"


def _value(value: Any) -> str:
    """A TOML scalar for a [voice] value (strings quoted, numbers as they are)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value) if isinstance(value, int | float) else _quote(str(value))


def _quote(text: str) -> str:
    escaped = "".join(c if c.isprintable() and c not in '"\\' else f"\\u{ord(c):04x}" for c in text)
    return f'"{escaped}"'


class _Checker:
    """Bounded reads of a manifest's values; each failure names the key."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def fail(self, message: str) -> CharacterPackError:
        return CharacterPackError(self.folder, message)

    def table(self, data: dict[str, Any], name: str, required: bool = True) -> dict[str, Any]:
        table = data.get(name, None if required else {})
        if not isinstance(table, dict):
            raise self.fail(f"manifest.toml needs a [{name}] table")
        return table

    def number(self, value: Any, key: str, low: float, high: float) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise self.fail(f"{key} must be a number, not {value!r}")
        if not low <= value <= high:
            raise self.fail(f"{key} must be between {low:g} and {high:g}, not {value!r}")
        return float(value)

    def pair(self, value: Any, key: str, integer: bool = False) -> tuple[float, float]:
        if not (isinstance(value, list) and len(value) == 2):
            raise self.fail(f"{key} must be [x, y]")
        low = 1 if integer else -_COORD_LIMIT
        x, y = (self.number(v, key, low, _COORD_LIMIT) for v in value)
        return (float(int(x)), float(int(y))) if integer else (x, y)

    def choice(self, value: Any, key: str, choices: tuple[str, ...]) -> str:
        if value not in choices:
            raise self.fail(f"{key} must be one of {', '.join(choices)}, not {value!r}")
        return str(value)

    def sprite(self, row: Any, index: int) -> SpriteSpec:
        where = f"sprite {index + 1}"
        if not isinstance(row, dict):
            raise self.fail(f"{where} must be a table")
        sprite_id, parent, file = (row.get(k, "") for k in ("id", "parent", "file"))
        if not (isinstance(sprite_id, str) and 0 < len(sprite_id) <= 40 and sprite_id.isprintable()):
            raise self.fail(f"{where} needs an id (1 to 40 printable characters)")
        if not isinstance(parent, str) or not isinstance(file, str):
            raise self.fail(f"{where}: parent and file must be strings")
        wobble = row.get("wobble", [0, 0, 0, 0])
        if not (isinstance(wobble, list) and len(wobble) == 4):
            raise self.fail(f"{where}: wobble must be [x amplitude, x Hz, y amplitude, y Hz]")
        costumes = row.get("costumes", [True] * COSTUMES)
        if not (
            isinstance(costumes, list) and len(costumes) == COSTUMES and all(isinstance(c, bool) for c in costumes)
        ):
            raise self.fail(f"{where}: costumes must be {COSTUMES} true/false values")
        return SpriteSpec(
            id=sprite_id,
            parent=parent,
            file=file,
            position=self.pair(row.get("position", [0, 0]), f"{where} position"),
            offset=self.pair(row.get("offset", [0, 0]), f"{where} offset"),
            z=int(self.number(row.get("z", 0), f"{where} z", -4096, 4096)),
            talk=self.choice(row.get("talk", "always"), f"{where} talk", TALK_STATES),
            blink=self.choice(row.get("blink", "always"), f"{where} blink", BLINK_STATES),
            wobble=(
                self.number(wobble[0], f"{where} wobble", -2000, 2000),
                self.number(wobble[1], f"{where} wobble", 0, 30),
                self.number(wobble[2], f"{where} wobble", -2000, 2000),
                self.number(wobble[3], f"{where} wobble", 0, 30),
            ),
            drag_s=self.number(row.get("drag_s", 0.0), f"{where} drag_s", 0, 5),
            frames=int(self.number(row.get("frames", 1), f"{where} frames", 1, 256)),
            frame_rate=self.number(row.get("frame_rate", 0.0), f"{where} frame_rate", 0, 120),
            costumes=tuple(costumes),
            clipped=bool(row.get("clipped", False)),
        )

    def mouths(self, table: dict[str, Any], ids: set[str]) -> dict[str, str]:
        mapping: dict[str, str] = {}
        for shape, sprite in table.items():
            if shape not in SHAPES:
                raise self.fail(f"[mouths] {shape!r} is not a mouth shape; use {', '.join(SHAPES)}")
            if not isinstance(sprite, str) or (sprite and sprite not in ids):
                raise self.fail(f"[mouths] {shape} names sprite {sprite!r}, which the pack does not have")
            mapping[shape] = sprite
        if mapping and set(mapping) != set(SHAPES):
            raise self.fail(f"[mouths] maps {len(mapping)} shapes; map all of {', '.join(SHAPES)} or none")
        return mapping

    def image(self, name: str, key: str) -> RGBA:
        path = (self.folder / name).resolve()
        if not name or not path.is_relative_to(self.folder.resolve()):
            raise self.fail(f"{key}: file {name!r} is outside the pack folder")
        try:
            with Image.open(path) as image:
                if image.width * image.height > MAX_IMAGE_PIXELS:
                    raise self.fail(f"{key}: {name} is {image.width}x{image.height}, over {MAX_IMAGE_PIXELS:,} pixels")
                return np.asarray(image.convert("RGBA"), dtype=np.uint8)
        except FileNotFoundError as exc:
            raise self.fail(f"{key}: file {name} is missing") from exc
        except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError) as exc:
            raise self.fail(f"{key}: {name} is not a readable image ({exc})") from exc
