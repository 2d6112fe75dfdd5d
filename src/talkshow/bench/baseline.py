"""The seed's compositor, rebuilt as the benchmark's baseline.

The user's old system composited PNG layers over a JPEG base with libvips (via
sharp) and JPEG-encoded the result on every state change, with an L1 cache of
finished frames keyed by state. This does the same with pyvips on the same scene
and the same frame states, so the two can be timed side by side.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt

from talkshow.core.picture import Sprite
from talkshow.stage.builder import Stage
from talkshow.stage.compositor import FrameState
from talkshow.stage.frame import FrameBuffer

__all__ = ["SeedCompositor"]

L1_ENTRIES = 256
JPEG_QUALITY = 85


def _rgb_from_i420(y: npt.NDArray[np.uint8], u: npt.NDArray[np.uint8], v: npt.NDArray[np.uint8]) -> np.ndarray:
    h, w = y.shape
    i420 = np.concatenate([y.reshape(-1), u.reshape(-1), v.reshape(-1)]).reshape(h * 3 // 2, w)
    return cv2.cvtColor(i420, cv2.COLOR_YUV2RGB_I420)


def _png_from_sprite(sprite: Sprite) -> bytes:
    """The sprite as the straight-alpha RGBA PNG layer the seed system loaded."""
    alpha = 255 - sprite.inv_a.astype(np.float32)
    chroma_alpha = np.maximum(255 - sprite.inv_a2.astype(np.float32), 1.0)
    safe = np.maximum(alpha, 1.0)
    y = np.clip(sprite.y * 255.0 / safe, 0, 255).astype(np.uint8)
    u = np.clip(sprite.u * 255.0 / chroma_alpha, 0, 255).astype(np.uint8)
    v = np.clip(sprite.v * 255.0 / chroma_alpha, 0, 255).astype(np.uint8)
    rgba = np.dstack([_rgb_from_i420(y, u, v), alpha.astype(np.uint8)])
    ok, data = cv2.imencode(".png", cv2.cvtColor(rgba, cv2.COLOR_RGBA2BGRA))
    assert ok
    return bytes(data)


def _jpeg(rgb: np.ndarray) -> bytes:
    ok, data = cv2.imencode(".jpg", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
    assert ok
    return bytes(data)


class SeedCompositor:
    """JPEG base + PNG layers, composited by libvips per state change, with an L1 frame cache."""

    def __init__(self, stage: Stage) -> None:
        import pyvips  # the optional `bench` extra; only the benchmark needs it

        self.pyvips: Any = pyvips
        self.stage = stage
        base: FrameBuffer = stage.studio.base
        self.base_jpeg = _jpeg(_rgb_from_i420(base.y, base.u, base.v))
        self._pngs: dict[int, bytes] = {}
        self._tv_jpegs: dict[int, bytes] = {}
        self._cache: OrderedDict[tuple[Any, ...], bytes] = OrderedDict()
        self.hits = 0
        self.misses = 0
        screen = stage.layout.tv_screen
        self._tv_at = (screen.x0, screen.y0)

    def prepare(self, states: list[FrameState]) -> None:
        """Make every PNG layer the states use, as the seed system had them on disk at start."""
        for state in states:
            for item in self.stage.compositor.draw_items(state):
                if id(item.sprite) not in self._pngs:
                    self._pngs[id(item.sprite)] = _png_from_sprite(item.sprite)

    def compose(self, state: FrameState) -> tuple[bytes, float]:
        """The frame as JPEG bytes, and the milliseconds it took."""
        started = time.perf_counter()
        tv_index, planes = self.stage.tv.frame_at(state.seconds)
        items = self.stage.compositor.draw_items(state)
        key = (tv_index, *((item.key, item.x, item.y) for item in items))
        cached = self._cache.get(key)
        if cached is not None:
            self.hits += 1
            self._cache.move_to_end(key)
            return cached, (time.perf_counter() - started) * 1000
        self.misses += 1
        if tv_index not in self._tv_jpegs:  # the old system received TV frames as JPEG
            self._tv_jpegs = {tv_index: _jpeg(_rgb_from_i420(*planes))}
        vips = self.pyvips.Image
        base = vips.new_from_buffer(self.base_jpeg, "").bandjoin(255)
        layers = [vips.new_from_buffer(self._tv_jpegs[tv_index], "").bandjoin(255)]
        xs, ys = [self._tv_at[0]], [self._tv_at[1]]
        for item in items:
            layers.append(vips.new_from_buffer(self._pngs[id(item.sprite)], ""))
            xs.append(item.x)
            ys.append(item.y)
        frame = base.composite(layers, "over", x=xs, y=ys).flatten().jpegsave_buffer(Q=JPEG_QUALITY)
        self._cache[key] = frame
        if len(self._cache) > L1_ENTRIES:
            self._cache.popitem(last=False)
        return frame, (time.perf_counter() - started) * 1000
