"""A character pack prepared for the stage: every layer a lit, scaled sprite.

All states (eyes, brows, 27 mouths) are converted at load; a frame only chooses
which prepared sprites to draw where.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from talkshow.acting.types import Pose
from talkshow.characters.pack import CharacterPack, Layer
from talkshow.characters.resize import resize_rgba
from talkshow.core.picture import Sprite
from talkshow.stage.frame import LightGain, sprite_from_rgba

__all__ = ["CharacterRig", "DrawItem", "Rig", "lit"]


@dataclass(frozen=True)
class DrawItem:
    """One sprite placed in a frame; ``key`` names its content for change detection."""

    key: tuple[str, ...]
    sprite: Sprite
    x: int
    y: int


class Rig(Protocol):
    """One character on the stage: its draw items for a pose at a show time."""

    cast_id: str
    origin: tuple[int, int]  # the seat: the character canvas's top-left on screen

    def items(self, pose: Pose, seconds: float = 0.0) -> list[DrawItem]:
        """Draw items, back to front."""
        ...


@dataclass(frozen=True)
class _Placed:
    sprite: Sprite
    dx: int
    dy: int


class CharacterRig:
    """Prepared sprites for one character seated at ``origin`` with ``scale``."""

    def __init__(
        self,
        cast_id: str,
        pack: CharacterPack,
        origin: tuple[int, int],
        scale: float,
        light: LightGain,
        pixels: dict[int, npt.NDArray[np.uint8]] | None = None,
    ) -> None:
        """``pixels``, when given, keeps each prepared sprite's RGBA by ``id(sprite)`` (the overlay serves them)."""
        self.cast_id = cast_id
        self.pack = pack
        self.origin = origin
        self.scale = scale
        self._light = light
        self._pixels = pixels

        def prep(layer: Layer) -> _Placed:
            return self._prepare(layer)

        self.body = [prep(layer) for layer in pack.body]
        self.head = prep(pack.head)
        self.whites = prep(pack.eye_whites)
        self.pupils = prep(pack.pupils)
        self.eyes = {state: prep(layer) for state, layer in pack.eyes.items()}
        self.brows = {pose: prep(layer) for pose, layer in pack.brows.items()}
        self.mouths = {
            (mood, shape): prep(layer) for mood, shapes in pack.mouths.items() for shape, layer in shapes.items()
        }
        self.overlays = [prep(layer) for layer in pack.overlays]
        self.gaze_range = pack.gaze_range

    def _prepare(self, layer: Layer) -> _Placed:
        rgba = layer.pixels
        dx, dy = int(round(layer.x * self.scale)), int(round(layer.y * self.scale))
        if self.scale != 1.0:
            rgba = _resize_rgba(rgba, self.scale)
        rgba = lit(rgba, self._light, self.origin[0] + dx, self.origin[1] + dy)
        sprite = sprite_from_rgba(rgba)
        if self._pixels is not None:
            self._pixels[id(sprite)] = rgba
        return _Placed(sprite, dx, dy)

    def items(self, pose: Pose, seconds: float = 0.0) -> list[DrawItem]:
        """Draw items, back to front, for ``pose`` (the face rig needs no clock)."""
        s = self.scale
        ox, oy = self.origin
        body_y = oy + int(round(pose.body_dy * s))
        head_x = ox + int(round(pose.head_dx * s))
        head_y = body_y + int(round(pose.head_dy * s))
        gx = int(round(pose.gaze_x * self.gaze_range[0] * s))
        gy = int(round(pose.gaze_y * self.gaze_range[1] * s))
        cid = self.cast_id
        items = [DrawItem((cid, "body", str(i)), p.sprite, ox + p.dx, body_y + p.dy) for i, p in enumerate(self.body)]
        face = [
            (("head",), self.head, 0, 0),
            (("whites",), self.whites, 0, 0),
            (("pupils",), self.pupils, gx, gy),
            (("eyes", pose.eyes), self.eyes.get(pose.eyes, self.eyes["open"]), 0, 0),
            (("brows", pose.brows), self.brows.get(pose.brows, self.brows["neutral"]), 0, 0),
            (
                ("mouth", pose.mouth_set, pose.mouth),
                self.mouths.get((pose.mouth_set, pose.mouth), self.mouths[("neutral", "X")]),
                0,
                0,
            ),
        ]
        face += [(("overlay", str(i)), p, 0, 0) for i, p in enumerate(self.overlays)]
        for key, placed, ex, ey in face:
            items.append(DrawItem((cid, *key), placed.sprite, head_x + placed.dx + ex, head_y + placed.dy + ey))
        return items


def lit(rgba: npt.NDArray[np.uint8], light: LightGain, x: int, y: int) -> npt.NDArray[np.uint8]:
    """``rgba`` with the set's light where it will sit (top-left at ``x, y``), baked in once at load.

    A sprite that would reach past the frame keeps its own colours (the light map is the frame's size).
    """
    h, w = rgba.shape[:2]
    x, y = max(x, 0), max(y, 0)
    gain = light[y : y + h, x : x + w]
    if gain.shape[:2] != (h, w):
        return rgba
    out = rgba.copy()
    out[..., :3] = np.clip(rgba[..., :3].astype(np.float32) * gain, 0, 255).astype(np.uint8)
    return out


def _resize_rgba(rgba: npt.NDArray[np.uint8], scale: float) -> npt.NDArray[np.uint8]:
    """Scaled to even sizes (I420 sprites need them)."""
    h, w = rgba.shape[:2]
    return resize_rgba(rgba, (max(2, int(round(w * scale)) & ~1), max(2, int(round(h * scale)) & ~1)))
