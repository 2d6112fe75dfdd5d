"""A layered pack (an imported PNGTuber avatar) prepared for the stage.

At load, sprites hidden by the chosen costume are dropped, clipping is baked into the
children it clips, and every run of static sprites (no wobble, drag, animation, talk or
blink state) is flattened into one sprite. A frame then places the few moving sprites: each
follows its parent, wobbles, and lags by its drag; the whole avatar breathes, nods and hops
when a line starts. Mouths follow the phoneme cues: mapped sprites per Rhubarb shape, or
the two-state convention (talking sprites shown while the cue has the mouth open).
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from talkshow.acting.types import Pose
from talkshow.characters.importing import rest_boxes
from talkshow.characters.layered import LayeredPack, SpriteSpec, blink_visible, sprite_visible
from talkshow.characters.resize import resize_rgba
from talkshow.core.picture import Sprite
from talkshow.stage.frame import LightGain, sprite_from_rgba
from talkshow.stage.rig import DrawItem, lit

__all__ = ["CLOSED_SHAPES", "LayeredRig"]

CLOSED_SHAPES = frozenset({"A", "X"})  # lips together or at rest: a two-state mouth is shut
Point = tuple[float, float]
_HISTORY_S = 1.5  # how far back the avatar's own motion is kept, for sprites that drag behind it


@dataclass(frozen=True)
class _Group:
    """Static sprites flattened into one, ``dx, dy`` from the seat at rest."""

    sprite: Sprite
    dx: int
    dy: int


@dataclass(frozen=True)
class _Moving:
    """A sprite that moves, animates or shows by state: one prepared sprite per sheet frame."""

    spec: SpriteSpec
    frames: tuple[Sprite, ...]
    half: tuple[float, float]  # half a frame's size, in pack pixels


class LayeredRig:
    """Prepared sprites for one layered character seated at ``origin`` with ``scale``."""

    def __init__(
        self,
        cast_id: str,
        pack: LayeredPack,
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
        self._specs = {s.id: s for s in _shown(pack)}
        self._mouth_ids = set(pack.mouths.values()) - {""}
        images = _clip_children(pack, self._specs)
        sizes = {k: (v.shape[1], v.shape[0]) for k, v in images.items()}
        self._boxes = rest_boxes(tuple(self._specs.values()), sizes)
        self.layers: list[_Group | _Moving] = []
        run: list[SpriteSpec] = []
        for spec in _draw_order(self._specs):
            if self._is_static(spec):
                run.append(spec)
                continue
            if run:
                self.layers.append(self._flatten(run, images))
                run = []
            self.layers.append(self._moving(spec, images[spec.id]))
        if run:
            self.layers.append(self._flatten(run, images))
        self._times: list[float] = []
        self._roots: list[tuple[float, float]] = []

    # load --------------------------------------------------------------------------------
    def _is_static(self, spec: SpriteSpec) -> bool:
        still = (spec.wobble[0] == 0 or spec.wobble[1] == 0) and (spec.wobble[2] == 0 or spec.wobble[3] == 0)
        plain = spec.talk == "always" and spec.blink == "always" and spec.id not in self._mouth_ids
        animated = spec.frames > 1 and spec.frame_rate > 0
        parent_static = not spec.parent or self._is_static(self._specs[spec.parent])
        return still and plain and not animated and spec.drag_s == 0 and parent_static

    def _screen(self, x: float, y: float) -> tuple[int, int]:
        """Pack pixels from the tree's root -> even offsets from the seat, at the stage's scale."""
        ox, oy = self.pack.origin
        return int(round((ox + x) * self.scale)) & ~1, int(round((oy + y) * self.scale)) & ~1

    def _prepare(self, rgba: npt.NDArray[np.uint8], dx: int, dy: int) -> Sprite:
        h, w = rgba.shape[:2]
        size = (max(2, int(round(w * self.scale)) & ~1), max(2, int(round(h * self.scale)) & ~1))
        scaled = resize_rgba(rgba, size) if size != (w, h) else rgba
        scaled = np.ascontiguousarray(lit(scaled, self._light, self.origin[0] + dx, self.origin[1] + dy))
        sprite = sprite_from_rgba(scaled)
        if self._pixels is not None:
            self._pixels[id(sprite)] = scaled
        return sprite

    def _flatten(self, run: list[SpriteSpec], images: dict[str, npt.NDArray[np.uint8]]) -> _Group:
        boxes = [self._boxes[s.id] for s in run]
        x0, y0 = math.floor(min(b[0] for b in boxes)), math.floor(min(b[1] for b in boxes))
        x1, y1 = math.ceil(max(b[2] for b in boxes)), math.ceil(max(b[3] for b in boxes))
        canvas = np.zeros((y1 - y0, x1 - x0, 4), np.float32)
        for spec, box in zip(run, boxes, strict=True):
            frame = images[spec.id][:, : images[spec.id].shape[1] // spec.frames].astype(np.float32) / 255.0
            top, left = int(round(box[1])) - y0, int(round(box[0])) - x0
            target = canvas[top : top + frame.shape[0], left : left + frame.shape[1]]
            src = frame[: target.shape[0], : target.shape[1]]
            alpha = src[..., 3:4]
            target[..., :3] = src[..., :3] * alpha + target[..., :3] * target[..., 3:4] * (1 - alpha)
            target[..., 3:4] = alpha + target[..., 3:4] * (1 - alpha)
            target[..., :3] /= np.maximum(target[..., 3:4], 1e-6)  # back to straight alpha
        rgba = np.clip(canvas * 255.0 + 0.5, 0, 255).astype(np.uint8)
        dx, dy = self._screen(x0, y0)
        return _Group(self._prepare(rgba, dx, dy), dx, dy)

    def _moving(self, spec: SpriteSpec, sheet: npt.NDArray[np.uint8]) -> _Moving:
        width = sheet.shape[1] // spec.frames
        box = self._boxes[spec.id]
        dx, dy = self._screen(box[0], box[1])
        frames = tuple(self._prepare(sheet[:, i * width : (i + 1) * width], dx, dy) for i in range(spec.frames))
        return _Moving(spec, frames, (width / 2, sheet.shape[0] / 2))

    # frames ------------------------------------------------------------------------------
    def items(self, pose: Pose, seconds: float = 0.0) -> list[DrawItem]:
        """Draw items, back to front, for ``pose`` at show time ``seconds``."""
        root = self._root(pose)
        self._remember(seconds, root)
        rx, ry = self._screen(root[0], root[1])
        rx, ry = rx - self._screen(0, 0)[0], ry - self._screen(0, 0)[1]
        talking = pose.mouth not in CLOSED_SHAPES
        blinking = pose.eyes == "closed"
        mouth = self.pack.mouths.get(pose.mouth, "")
        ox, oy = self.origin
        nodes: dict[tuple[str, float], Point] = {}
        items = []
        for index, layer in enumerate(self.layers):
            key = (self.cast_id, "layer", str(index))
            if isinstance(layer, _Group):
                items.append(DrawItem(key, layer.sprite, ox + layer.dx + rx, oy + layer.dy + ry))
                continue
            spec = layer.spec
            if spec.id in self._mouth_ids:  # a mapped mouth: the cue's shape picks it
                shown = spec.id == mouth and blink_visible(spec, blinking)
            else:
                shown = sprite_visible(spec, talking, blinking)
            if not shown:
                continue
            node = self._node(spec.id, seconds, nodes)
            dx, dy = self._screen(node[0] + spec.offset[0] - layer.half[0], node[1] + spec.offset[1] - layer.half[1])
            frame = int(seconds * spec.frame_rate) % spec.frames if spec.frames > 1 else 0
            items.append(DrawItem(key, layer.frames[frame], ox + dx, oy + dy))
        return items

    def _root(self, pose: Pose) -> tuple[float, float]:
        """The whole avatar's offset: breathing, nods and glances toward the speaker, the hop."""
        dy = float(pose.body_dy + pose.head_dy)
        if 0 <= pose.speech_s < self.pack.bounce_s:
            u = pose.speech_s / self.pack.bounce_s
            dy -= 4 * self.pack.bounce_px * u * (1 - u)
        return float(pose.head_dx), dy

    def _remember(self, seconds: float, root: tuple[float, float]) -> None:
        if self._times and seconds < self._times[-1]:  # time went back (a new show): start over
            self._times.clear()
            self._roots.clear()
        self._times.append(seconds)
        self._roots.append(root)
        drop = bisect.bisect_left(self._times, seconds - _HISTORY_S)
        if drop > 64:
            del self._times[:drop], self._roots[:drop]

    def _root_at(self, seconds: float) -> tuple[float, float]:
        index = bisect.bisect_right(self._times, seconds) - 1
        return self._roots[max(index, 0)]

    def _node(self, sprite_id: str, seconds: float, memo: dict[tuple[str, float], Point]) -> Point:
        """Where a sprite's node is at ``seconds``: its parent's (as it was ``drag_s`` ago), plus its wobble."""
        key = (sprite_id, seconds)
        if key not in memo:
            spec = self._specs[sprite_id]
            t = seconds - spec.drag_s
            base = self._node(spec.parent, t, memo) if spec.parent else self._root_at(t)
            ax, fx, ay, fy = spec.wobble
            memo[key] = (
                base[0] + spec.position[0] + ax * math.sin(2 * math.pi * fx * t),
                base[1] + spec.position[1] + ay * math.sin(2 * math.pi * fy * t),
            )
        return memo[key]


def _shown(pack: LayeredPack) -> list[SpriteSpec]:
    """Sprites in the pack's costume (a hidden sprite hides its children too)."""
    by_id = {s.id: s for s in pack.sprites}

    def worn(spec: SpriteSpec) -> bool:
        return spec.costumes[pack.costume - 1] and (not spec.parent or worn(by_id[spec.parent]))

    return [s for s in pack.sprites if worn(s)]


def _draw_order(specs: dict[str, SpriteSpec]) -> list[SpriteSpec]:
    """Back to front: by z (added down the tree, as Godot does), then parents before children, then file order."""
    children: dict[str, list[SpriteSpec]] = {}
    for spec in specs.values():
        children.setdefault(spec.parent, []).append(spec)
    ordered: list[tuple[int, int, SpriteSpec]] = []

    def visit(spec: SpriteSpec, z: int) -> None:
        ordered.append((z + spec.z, len(ordered), spec))
        for child in children.get(spec.id, []):
            visit(child, z + spec.z)

    for root in children.get("", []):
        visit(root, 0)
    return [spec for _, _, spec in sorted(ordered, key=lambda item: (item[0], item[1]))]


def _clip_children(pack: LayeredPack, specs: dict[str, SpriteSpec]) -> dict[str, npt.NDArray[np.uint8]]:
    """Bake a clipping parent's alpha into each child that has no motion of its own."""
    images = {k: pack.images[k] for k in specs}
    sizes = {k: (v.shape[1], v.shape[0]) for k, v in images.items()}
    boxes = rest_boxes(tuple(specs.values()), sizes)
    for spec in specs.values():
        parent = specs.get(spec.parent)
        if parent is None or not parent.clipped or spec.drag_s or any(spec.wobble[i] for i in (0, 2)):
            continue
        height, width = images[spec.id].shape[0], images[spec.id].shape[1]
        mask = np.zeros((height, width), np.float32)
        p_alpha = images[parent.id][:, : images[parent.id].shape[1] // parent.frames, 3].astype(np.float32) / 255.0
        left = int(round(boxes[parent.id][0] - boxes[spec.id][0]))
        top = int(round(boxes[parent.id][1] - boxes[spec.id][1]))
        # the parent's alpha where it overlaps the child (zero elsewhere: outside the parent is clipped)
        y0, x0 = max(top, 0), max(left, 0)
        y1, x1 = min(top + p_alpha.shape[0], height), min(left + p_alpha.shape[1], width)
        if y1 > y0 and x1 > x0:
            mask[y0:y1, x0:x1] = p_alpha[y0 - top : y1 - top, x0 - left : x1 - left]
        clipped = images[spec.id].copy()
        frame_width = width // spec.frames
        for i in range(spec.frames):
            part = clipped[:, i * frame_width : (i + 1) * frame_width, 3]
            part[:] = (part * mask[:, : part.shape[1]]).astype(np.uint8)
        images[spec.id] = clipped
    return images
