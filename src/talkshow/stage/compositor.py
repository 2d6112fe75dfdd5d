"""The compositor: frame states in, I420 frames out, redrawing only what changed.

Each frame is a list of draw items (sprite + position + content key). Items that
appear, vanish, move or change content mark their rectangles dirty; each dirty
rectangle is restored from the cached base and re-blended from its items.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

from talkshow.acting.types import Pose
from talkshow.core.picture import Caption
from talkshow.stage.frame import FrameBuffer, Rect
from talkshow.stage.rig import DrawItem, Rig
from talkshow.stage.scene import StudioSet
from talkshow.stage.tv import TVSource

__all__ = ["Compositor", "FrameState"]


@dataclass(frozen=True)
class FrameState:
    """What one frame shows: show time, every pose, the caption (and a caller's, during a call)."""

    seconds: float
    poses: dict[str, Pose]
    caption: Caption | None = None
    guest: Caption | None = None


@dataclass
class ComposeStats:
    """Cost of the last compose: milliseconds and redrawn pixels."""

    ms: float = 0.0
    dirty_pixels: int = 0
    tv_frame: int = -1
    history: list[float] = field(default_factory=list)


class Compositor:
    """Turns frame states into frames; keeps the previous frame to redraw only changes."""

    def __init__(self, studio: StudioSet, rigs: list[Rig], tv: TVSource, captions: bool = True) -> None:
        self.studio = studio
        self.rigs = rigs
        self.tv = tv
        self.captions = captions
        self.frame = FrameBuffer(studio.base.width, studio.base.height)
        self.stats = ComposeStats()
        self._previous: dict[tuple[str, ...], tuple[DrawItem, Rect]] | None = None
        self._tv_rect = studio.layout.tv_screen
        self.tv_fps_cap: float | None = None  # set under overload: the TV updates less often

    def compose(self, state: FrameState) -> FrameBuffer:
        """Draw ``state``; returns the compositor's own buffer (copy it before the next call)."""
        started = time.perf_counter()
        tv_seconds = state.seconds
        if self.tv_fps_cap:
            tv_seconds = math.floor(tv_seconds * self.tv_fps_cap) / self.tv_fps_cap
        tv_index, tv_planes = self.tv.frame_at(tv_seconds)
        items = self.draw_items(state)
        current = {item.key: (item, _bounds(item)) for item in items}
        dirty = self._dirty_rects(current, tv_index)
        bounds = self.frame.bounds
        for rect in dirty:
            clip = rect.intersect(bounds).even()
            if clip.empty:
                continue
            self.frame.copy_region_from(self.studio.base, clip)
            if not clip.intersect(self._tv_rect).empty:
                self.frame.paste(*tv_planes, self._tv_rect.x0, self._tv_rect.y0, clip)
            for item in items:
                box = current[item.key][1]
                if not box.intersect(clip).empty:
                    self.frame.blend(item.sprite, item.x, item.y, clip)
        self._previous = current
        self.stats.tv_frame = tv_index
        self.stats.dirty_pixels = sum(r.area for r in dirty)
        self.stats.ms = (time.perf_counter() - started) * 1000.0
        return self.frame

    def draw_items(self, state: FrameState) -> list[DrawItem]:
        """What ``state`` draws, back to front (the TV is pasted under them)."""
        items: list[DrawItem] = []
        for rig in self.rigs:
            pose = state.poses.get(rig.cast_id)
            if pose is not None:
                items.extend(rig.items(pose, state.seconds))
        desk_x, desk_y = self.studio.desk_origin
        items.append(DrawItem(("desk",), self.studio.desk, desk_x, desk_y))
        if self.captions and state.caption is not None:
            box = self.studio.layout.caption_box
            items.append(DrawItem(("caption", state.caption.key), state.caption.sprite, box.x0, box.y0))
        if self.captions and state.guest is not None:
            box = self.studio.layout.guest_box
            items.append(DrawItem(("guest", state.guest.key), state.guest.sprite, box.x0, box.y0))
        return items

    def _dirty_rects(self, current: dict[tuple[str, ...], tuple[DrawItem, Rect]], tv_index: int) -> list[Rect]:
        if self._previous is None:
            return [self.frame.bounds]
        rects: list[Rect] = []
        if tv_index != self.stats.tv_frame:
            rects.append(self._tv_rect)
        for key, (item, box) in current.items():
            old = self._previous.get(key)
            if old is None or old[0].x != item.x or old[0].y != item.y or old[0].sprite is not item.sprite:
                rects.append(box)
                if old is not None:
                    rects.append(old[1])
        for key, (_, box) in self._previous.items():
            if key not in current:
                rects.append(box)
        return _merge(rects)


def _bounds(item: DrawItem) -> Rect:
    return Rect(item.x, item.y, item.x + item.sprite.width, item.y + item.sprite.height).even()


def _merge(rects: list[Rect]) -> list[Rect]:
    """Union overlapping rectangles so no pixel is redrawn twice in one frame."""
    merged: list[Rect] = []
    for rect in rects:
        if rect.empty:
            continue
        while True:
            for index, other in enumerate(merged):
                if not rect.intersect(other).empty:
                    rect = rect.union(merged.pop(index))
                    break
            else:
                break
        merged.append(rect)
    return merged
