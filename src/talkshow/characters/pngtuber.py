"""Reads PNGTuber Plus avatars (``.save``): JSON, one entry per sprite, each PNG inline as base64.

The app (kaiakairos/PNGTuber-Plus, Godot 4) stores per sprite: ``identification`` and
``parentId`` (the tree), ``pos`` and ``offset`` as Godot ``"Vector2(x, y)"`` strings, ``zindex``
(relative to the parent, as Godot draws it), ``showTalk`` and ``showBlink`` (0 always, 1 only
when silent or eyes open, 2 only when talking or blinking), wobble (``xAmp``/``xFrq``/``yAmp``/
``yFrq``, a sine of the app's 60 Hz tick), ``drag`` (a lerp of 1/drag a tick), sprite sheets
(``frames`` side by side, ``animSpeed``), ``costumeLayers`` (``"[1, 0, ...]"``) and ``clipped``.

The file comes from strangers, so everything is checked before use: the file's size, the JSON's
shape, every number's range, strict base64, PNG only, the pixel count read from the PNG header
before the image is decoded, the number of sprites, and the parent tree (no cycles, no missing
parents). A problem raises ``CharacterPackError`` naming the sprite and the field.
"""

from __future__ import annotations

import base64
import binascii
import io
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from PIL import Image, UnidentifiedImageError

from talkshow.characters.layered import (
    BLINK_STATES,
    COSTUMES,
    MAX_IMAGE_PIXELS,
    MAX_SPRITES,
    MAX_TOTAL_PIXELS,
    TALK_STATES,
    SpriteSpec,
    check_tree,
)
from talkshow.core.errors import CharacterPackError

__all__ = ["MAX_FILE_BYTES", "ImportedAvatar", "PngTuberPlusReader", "read_pngtuber_save"]

MAX_FILE_BYTES = 64 * 1024 * 1024
TICKS_PER_SECOND = 60.0  # the app's default frame cap, which its wobble and drag are counted in
_NUMBER = r"\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*"
_VECTOR2 = re.compile(rf"Vector2i?\({_NUMBER},{_NUMBER}\)")
_INT_ARRAY = re.compile(r"\[\s*(?:\d+\s*(?:,\s*\d+\s*)*)?\]")
# The app's own defaults (bounceSlider 250 px/s up, bounceGravity 1000 px/s²): a 31 px hop over 0.5 s.
_BOUNCE_SPEED, _BOUNCE_GRAVITY = 250.0, 1000.0


@dataclass
class ImportedAvatar:
    """An avatar read from a file, in its own pixels: sprite specs and their RGBA images."""

    source: Path
    format: str
    sprites: list[SpriteSpec]
    images: dict[str, npt.NDArray[np.uint8]] = field(default_factory=dict)
    bounce_px: float = _BOUNCE_SPEED**2 / (2 * _BOUNCE_GRAVITY)
    bounce_s: float = 2 * _BOUNCE_SPEED / _BOUNCE_GRAVITY


class PngTuberPlusReader:
    """The ``pngtuber-plus`` character format: reads ``.save`` files."""

    name = "PNGTuber Plus"
    suffixes = (".save",)

    def read(self, path: Path) -> ImportedAvatar:
        """Read and check ``path``; raises CharacterPackError naming what is wrong."""
        return read_pngtuber_save(path)


def read_pngtuber_save(path: Path) -> ImportedAvatar:
    """Read a PNGTuber Plus ``.save`` file (see the module docstring for what is checked)."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise CharacterPackError(path, f"cannot read the file ({exc.strerror})") from exc
    if size > MAX_FILE_BYTES:
        raise CharacterPackError(path, f"the file is {size / 2**20:.0f} MB; the limit is {MAX_FILE_BYTES // 2**20} MB")
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise CharacterPackError(path, f"not a PNGTuber Plus save: not UTF-8 text ({exc.reason})") from exc
    except json.JSONDecodeError as exc:
        raise CharacterPackError(path, f"not a PNGTuber Plus save: invalid JSON ({exc})") from exc
    except RecursionError as exc:
        raise CharacterPackError(path, "not a PNGTuber Plus save: the JSON is nested too deeply") from exc
    if not isinstance(data, dict) or not data:
        raise CharacterPackError(path, "not a PNGTuber Plus save: expected a JSON object of sprites")
    if len(data) > MAX_SPRITES:
        raise CharacterPackError(path, f"{len(data)} sprites is more than the {MAX_SPRITES} an avatar may have")
    fields = _Fields(path)
    avatar = ImportedAvatar(path, "pngtuber-plus", [])
    total_pixels = 0
    for key, entry in data.items():
        spec, image = fields.sprite(str(key), entry)
        total_pixels += image.shape[0] * image.shape[1]
        if total_pixels > MAX_TOTAL_PIXELS:
            raise CharacterPackError(path, f"the sprites hold over {MAX_TOTAL_PIXELS:,} pixels together")
        avatar.sprites.append(spec)
        avatar.images[spec.id] = image
    check_tree(path, tuple(avatar.sprites))
    return avatar


class _Fields:
    """Checked reads of one sprite entry's fields; errors name the entry and the field."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.where = ""

    def fail(self, message: str) -> CharacterPackError:
        return CharacterPackError(self.path, f"{self.where}: {message}")

    def sprite(self, key: str, entry: Any) -> tuple[SpriteSpec, npt.NDArray[np.uint8]]:
        self.where = f"sprite {key[:20]!r}"
        if not isinstance(entry, dict):
            raise self.fail("must be a JSON object")
        sprite_id = self.identifier(entry.get("identification"), "identification")
        parent = entry.get("parentId")
        parent_id = "" if parent is None else self.identifier(parent, "parentId")
        image = self.image(entry.get("imageData"))
        frames = int(self.number(entry, "frames", 1, 1, 256))
        if image.shape[1] < frames:
            raise self.fail(f"frames is {frames} but the image is only {image.shape[1]} pixels wide")
        drag = self.number(entry, "drag", 0, 0, 10_000)
        anim_speed = self.number(entry, "animSpeed", 0, 0, 10_000)
        return (
            SpriteSpec(
                id=sprite_id,
                parent=parent_id,
                file=f"sprites/{sprite_id}.png",
                position=self.vector(entry.get("pos", "Vector2(0, 0)"), "pos"),
                offset=self.vector(entry.get("offset", "Vector2(0, 0)"), "offset"),
                z=int(self.number(entry, "zindex", 0, -4096, 4096)),
                talk=TALK_STATES[int(self.number(entry, "showTalk", 0, 0, 2))],
                blink=BLINK_STATES[int(self.number(entry, "showBlink", 0, 0, 2))],
                wobble=(
                    self.number(entry, "xAmp", 0, -2000, 2000),
                    self.hertz(self.number(entry, "xFrq", 0, -10, 10)),
                    self.number(entry, "yAmp", 0, -2000, 2000),
                    self.hertz(self.number(entry, "yFrq", 0, -10, 10)),
                ),
                # lerp(…, 1/drag) each tick lags by about drag - 1 ticks (the mean delay of that filter)
                drag_s=min(1.0, max(0.0, drag - 1) / TICKS_PER_SECOND),
                frames=frames,
                # the app steps a sheet every 360/animSpeed ticks at 60 ticks/s
                frame_rate=min(60.0, anim_speed / 6.0) if frames > 1 else 0.0,
                costumes=self.costumes(entry.get("costumeLayers", "[1, 1, 1, 1, 1, 1, 1, 1, 1, 1]")),
                clipped=self.flag(entry.get("clipped", False), "clipped"),
            ),
            image,
        )

    def hertz(self, ticks_frequency: float) -> float:
        """The app's wobble is ``sin(tick * frq)``: radians a tick, as cycles a second."""
        return min(30.0, abs(ticks_frequency) * TICKS_PER_SECOND / (2 * math.pi))

    def identifier(self, value: Any, name: str) -> str:
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise self.fail(f"{name} must be a number, not {str(value)[:40]!r}")
        if value != int(value) or not 0 <= value < 2**63:
            raise self.fail(f"{name} must be a whole number from 0, not {value!r}")
        return str(int(value))

    def number(self, entry: dict[str, Any], name: str, default: float, low: float, high: float) -> float:
        value = entry.get(name, default)
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise self.fail(f"{name} must be a number, not {str(value)[:40]!r}")
        if not low <= value <= high:
            raise self.fail(f"{name} is {value!r}; it must be between {low:g} and {high:g}")
        return float(value)

    def flag(self, value: Any, name: str) -> bool:
        if not isinstance(value, bool):
            raise self.fail(f"{name} must be true or false, not {str(value)[:40]!r}")
        return value

    def vector(self, value: Any, name: str) -> tuple[float, float]:
        match = _VECTOR2.fullmatch(value.strip()) if isinstance(value, str) and len(value) <= 100 else None
        if match is None:
            raise self.fail(f'{name} must be a Godot "Vector2(x, y)" string, not {str(value)[:40]!r}')
        x, y = float(match[1]), float(match[2])
        if not (math.isfinite(x) and math.isfinite(y) and abs(x) <= 20_000 and abs(y) <= 20_000):
            raise self.fail(f"{name} {value!r} is out of range (at most 20000 pixels each way)")
        return x, y

    def costumes(self, value: Any) -> tuple[bool, ...]:
        if not (isinstance(value, str) and len(value) <= 200 and _INT_ARRAY.fullmatch(value.strip())):
            raise self.fail(f'costumeLayers must be a Godot array string like "[1, 0, 1]", not {str(value)[:40]!r}')
        flags = [int(v) != 0 for v in re.findall(r"\d+", value)][:COSTUMES]
        return tuple(flags + [True] * (COSTUMES - len(flags)))  # the app pads short lists with "shown"

    def image(self, value: Any) -> npt.NDArray[np.uint8]:
        if not isinstance(value, str) or not value:
            raise self.fail("imageData is missing (only saves with the images inside can be imported)")
        try:
            raw = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise self.fail(f"imageData is not valid base64 ({exc})") from exc
        try:
            with Image.open(io.BytesIO(raw), formats=["PNG"]) as image:
                if image.width * image.height > MAX_IMAGE_PIXELS:
                    raise self.fail(
                        f"the image is {image.width}x{image.height}, over the {MAX_IMAGE_PIXELS:,}-pixel limit"
                    )
                return np.asarray(image.convert("RGBA"), dtype=np.uint8)
        except UnidentifiedImageError as exc:
            raise self.fail("imageData is not a PNG image") from exc
        except (Image.DecompressionBombError, OSError, ValueError, SyntaxError) as exc:
            raise self.fail(f"imageData is not a readable PNG ({exc})") from exc
