"""The cast as an overlay page draws it: each character's own layers as PNGs, and where each goes per frame.

The overlay builds its own rigs from the show's packs, seated as on the stage but unlit (a
streamer's scene has its own light) and keeping each sprite's RGBA. A frame's poses go
through the same rig code the compositor uses, so the page shows the same performance:
mouth cues, blinks, emotions, wobble. A page is sent sprite numbers and positions, never
pixels; it fetches each PNG once.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from talkshow.acting.types import Pose
from talkshow.config import ShowConfig
from talkshow.stage.builder import build_rigs
from talkshow.stage.rig import DrawItem, Rig
from talkshow.stage.scene import Layout

__all__ = ["Box", "OverlayCast", "Placement"]

Box = tuple[int, int, int, int]  # x0, y0, x1, y1 on the show's canvas
Placement = tuple[int, int, int]  # sprite number, x, y
_UNLIT = np.ones((0, 0, 3), np.float16)  # smaller than any sprite: every sprite keeps its own colours
_MARGIN = 0.08  # room around a character's rest box for its hops, nods and wobble
_OPEN_MOUTH = "D"  # Rhubarb's widest shape: what differs from the rest pose is the mouth


@dataclass(frozen=True)
class CharacterView:
    """One character on the overlay: its name, the box it moves in, and where its mouth is."""

    cast_id: str
    name: str
    box: Box
    mouth: Box


class OverlayCast:
    """Overlay rigs for one show's cast, their sprites numbered, and each sprite's PNG on demand."""

    def __init__(self, config: ShowConfig) -> None:
        self.width, self.height = config.video.width, config.video.height
        layout = Layout.for_size(self.width, self.height, len(config.cast))
        pixels: dict[int, npt.NDArray[np.uint8]] = {}
        self._rigs: list[Rig] = build_rigs(config, layout, _UNLIT, pixels)
        self._pixels = pixels  # every sprite the rigs prepared, by id(); the rigs keep them alive
        self._ids = list(pixels)
        self._numbers = {key: number for number, key in enumerate(self._ids)}
        self._png: dict[int, bytes] = {}
        self._sheet: bytes | None = None
        names = {m.id: m.name for m in config.cast}
        self.characters = {rig.cast_id: self._view(rig, names[rig.cast_id]) for rig in self._rigs}

    def _place(self, items: list[DrawItem]) -> list[Placement]:
        return [(self._numbers[id(item.sprite)], item.x, item.y) for item in items]

    def _view(self, rig: Rig, name: str) -> CharacterView:
        rest = rig.items(Pose(), 0.0)
        talking = rig.items(Pose(mouth=_OPEN_MOUTH), 0.0)
        box = _bounds(rest)
        pad_x, pad_y = round((box[2] - box[0]) * _MARGIN), round((box[3] - box[1]) * _MARGIN)
        x0, y0, x1, y1 = box[0] - pad_x, box[1] - pad_y, box[2] + pad_x, box[3]  # the bottom is cut at the frame's
        padded = (max(0, x0), max(0, y0), min(self.width, x1), min(self.height, y1))
        changed = [item for item in talking if all(item.sprite is not r.sprite for r in rest)]
        changed += [item for item in rest if all(item.sprite is not t.sprite for t in talking)]
        return CharacterView(rig.cast_id, name, _even(padded), _bounds(changed) if changed else box)

    def placements(self, seconds: float, poses: Mapping[str, Pose]) -> dict[str, list[Placement]]:
        """Each posed character's sprites, back to front, at show time ``seconds`` (one call per frame)."""
        posed = [rig for rig in self._rigs if rig.cast_id in poses]
        return {rig.cast_id: self._place(rig.items(poses[rig.cast_id], seconds)) for rig in posed}

    @property
    def sprite_count(self) -> int:
        """How many sprites there are: a page loads numbers 0 to this - 1 before it draws."""
        return len(self._ids)

    def sheet(self) -> bytes:
        """Every sprite as JSON, ``{"sprites": [PNG as a data URL, ...]}`` by number: a page loads them in one
        request (one a sprite made three pages' 240 requests cost the show late frames). Made once."""
        if self._sheet is None:
            urls = [f"data:image/png;base64,{base64.b64encode(self.png(n)).decode()}" for n in range(self.sprite_count)]
            self._sheet = json.dumps({"sprites": urls}).encode()
        return self._sheet

    def png(self, number: int) -> bytes:
        """Sprite ``number`` as a PNG with its alpha; KeyError if there is no such sprite."""
        if not 0 <= number < len(self._ids):
            raise KeyError(number)
        cached = self._png.get(number)
        if cached is None:
            rgba = self._pixels[self._ids[number]]
            ok, data = cv2.imencode(".png", cv2.cvtColor(rgba, cv2.COLOR_RGBA2BGRA), [cv2.IMWRITE_PNG_COMPRESSION, 3])
            if not ok:
                raise ValueError(f"sprite {number} could not be encoded as PNG")
            cached = self._png[number] = data.tobytes()
        return cached


def _bounds(items: list[DrawItem]) -> Box:
    return (
        min(i.x for i in items),
        min(i.y for i in items),
        max(i.x + i.sprite.width for i in items),
        max(i.y + i.sprite.height for i in items),
    )


def _even(box: Box) -> Box:
    return box[0] & ~1, box[1] & ~1, (box[2] + 1) & ~1, (box[3] + 1) & ~1
