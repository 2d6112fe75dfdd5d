"""I420 frame buffers, rectangles and the premultiplied-alpha sprite blend.

Everything here stays in the encoder's pixel format (yuv420p); nothing is encoded
to JPEG or PNG per frame.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt

from talkshow.core.picture import Sprite  # made here; a turn carries it (its caption card), so it is core's

__all__ = ["FrameBuffer", "LightGain", "Rect", "rgb_to_yuv", "sprite_from_rgba"]

U8 = npt.NDArray[np.uint8]
# The set's light, a gain per pixel and channel, kept for as long as the stage lives (desks retitled, avatars lit
# at load). Half floats: at 1080p 12 MB instead of 25, and a gain near 1 is off by under 0.001, a fifth of a level.
LightGain = npt.NDArray[np.float16]


@dataclass(frozen=True)
class Rect:
    """A half-open pixel rectangle ``[x0, x1) x [y0, y1)`` with even edges."""

    x0: int
    y0: int
    x1: int
    y1: int

    @property
    def empty(self) -> bool:
        """True when the rectangle covers no pixels."""
        return self.x1 <= self.x0 or self.y1 <= self.y0

    def intersect(self, other: Rect) -> Rect:
        """The overlap of two rectangles (possibly empty)."""
        return Rect(max(self.x0, other.x0), max(self.y0, other.y0), min(self.x1, other.x1), min(self.y1, other.y1))

    def union(self, other: Rect) -> Rect:
        """The bounding box of two rectangles."""
        return Rect(min(self.x0, other.x0), min(self.y0, other.y0), max(self.x1, other.x1), max(self.y1, other.y1))

    def even(self) -> Rect:
        """Grown to even coordinates so chroma planes line up."""
        return Rect(self.x0 & ~1, self.y0 & ~1, (self.x1 + 1) & ~1, (self.y1 + 1) & ~1)

    @property
    def area(self) -> int:
        """Pixels covered."""
        return 0 if self.empty else (self.x1 - self.x0) * (self.y1 - self.y0)


class FrameBuffer:
    """One contiguous yuv420p image with Y, U and V plane views."""

    def __init__(self, width: int, height: int) -> None:
        if width % 2 or height % 2:
            raise ValueError(f"frame size must be even, got {width}x{height}")
        self.width = width
        self.height = height
        self.data: U8 = np.zeros((height * 3 // 2, width), np.uint8)
        self.y = self.data[:height]
        self.u = self.data[height : height + height // 4].reshape(height // 2, width // 2)
        self.v = self.data[height + height // 4 :].reshape(height // 2, width // 2)

    @property
    def bounds(self) -> Rect:
        """The whole frame."""
        return Rect(0, 0, self.width, self.height)

    def copy_region_from(self, other: FrameBuffer, rect: Rect) -> None:
        """Copy ``rect`` (even-aligned) from ``other`` into this buffer."""
        self.y[rect.y0 : rect.y1, rect.x0 : rect.x1] = other.y[rect.y0 : rect.y1, rect.x0 : rect.x1]
        cy0, cy1, cx0, cx1 = rect.y0 // 2, rect.y1 // 2, rect.x0 // 2, rect.x1 // 2
        self.u[cy0:cy1, cx0:cx1] = other.u[cy0:cy1, cx0:cx1]
        self.v[cy0:cy1, cx0:cx1] = other.v[cy0:cy1, cx0:cx1]

    def paste(self, y: U8, u: U8, v: U8, x0: int, y0: int, clip: Rect) -> None:
        """Paste opaque planes with top-left at even ``(x0, y0)``, inside ``clip``."""
        area = Rect(x0, y0, x0 + y.shape[1], y0 + y.shape[0]).intersect(clip).even()
        if area.empty:
            return
        sx0, sy0 = area.x0 - x0, area.y0 - y0
        h, w = area.y1 - area.y0, area.x1 - area.x0
        self.y[area.y0 : area.y1, area.x0 : area.x1] = y[sy0 : sy0 + h, sx0 : sx0 + w]
        self.u[area.y0 // 2 : area.y1 // 2, area.x0 // 2 : area.x1 // 2] = u[
            sy0 // 2 : (sy0 + h) // 2, sx0 // 2 : (sx0 + w) // 2
        ]
        self.v[area.y0 // 2 : area.y1 // 2, area.x0 // 2 : area.x1 // 2] = v[
            sy0 // 2 : (sy0 + h) // 2, sx0 // 2 : (sx0 + w) // 2
        ]

    def blend(self, sprite: Sprite, x0: int, y0: int, clip: Rect) -> None:
        """Blend a premultiplied sprite with top-left at ``(x0, y0)``, inside ``clip``."""
        x0 &= ~1
        y0 &= ~1
        area = Rect(x0, y0, x0 + sprite.width, y0 + sprite.height).intersect(clip).even()
        if area.empty:
            return
        sx, sy = area.x0 - x0, area.y0 - y0
        h, w = area.y1 - area.y0, area.x1 - area.x0
        _blend_plane(
            self.y[area.y0 : area.y1, area.x0 : area.x1],
            sprite.y[sy : sy + h, sx : sx + w],
            sprite.inv_a[sy : sy + h, sx : sx + w],
        )
        cx, cy, ch, cw = sx // 2, sy // 2, h // 2, w // 2
        inv2 = sprite.inv_a2[cy : cy + ch, cx : cx + cw]
        _blend_plane(
            self.u[area.y0 // 2 : area.y1 // 2, area.x0 // 2 : area.x1 // 2], sprite.u[cy : cy + ch, cx : cx + cw], inv2
        )
        _blend_plane(
            self.v[area.y0 // 2 : area.y1 // 2, area.x0 // 2 : area.x1 // 2], sprite.v[cy : cy + ch, cx : cx + cw], inv2
        )


def _cv2_writes_into_views() -> bool:
    """OpenCV 5 writes results into strided numpy views; older versions silently do not."""
    frame = np.zeros((4, 4), np.uint8)
    view = frame[1:3, 1:3]
    cv2.add(view, np.ones((2, 2), np.uint8), dst=view)
    return bool(frame[1, 1] == 1)


_IN_PLACE = _cv2_writes_into_views()


def _blend_plane(dst: U8, src_premultiplied: U8, inv_alpha: U8) -> None:
    if _IN_PLACE:  # one pass over the region, no temporary
        cv2.multiply(dst, inv_alpha, dst=dst, scale=1.0 / 255.0)
        cv2.add(dst, src_premultiplied, dst=dst)
        return
    tmp = cv2.multiply(dst, inv_alpha, scale=1.0 / 255.0)
    cv2.add(tmp, src_premultiplied, tmp)
    dst[...] = tmp


def rgb_to_yuv(rgb: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """BT.709 limited-range Y, U, V (floats) from RGB in 0..255."""
    r, g, b = rgb[..., 0] / 255.0, rgb[..., 1] / 255.0, rgb[..., 2] / 255.0
    luma = 0.2126 * r + 0.7152 * g + 0.0722 * b
    y = 16.0 + 219.0 * luma
    u = 128.0 + 224.0 * (b - luma) / 1.8556
    v = 128.0 + 224.0 * (r - luma) / 1.5748
    return np.stack([y, u, v], axis=-1).astype(np.float32)


def sprite_from_rgba(rgba: U8) -> Sprite:
    """Convert straight-alpha RGBA (even size) to a premultiplied I420 sprite.

    Runs per caption (a pushed line waits for it), so the per-pixel work is done with
    OpenCV: a 3x4 colour transform and area resizes for the 2x2 chroma average.
    """
    height, width = rgba.shape[:2]
    if height % 2 or width % 2:
        rgba = np.pad(rgba, ((0, height % 2), (0, width % 2), (0, 0)))
    height, width = rgba.shape[:2]
    # 3-channel float transforms take OpenCV's fast path; 4 channels in would be 5x slower.
    yuv = cv2.transform(cv2.cvtColor(rgba, cv2.COLOR_RGBA2RGB).astype(np.float32), _RGB_TO_YUV)
    alpha = cv2.extractChannel(rgba, 3).astype(np.float32) * np.float32(1 / 255)
    premult = cv2.multiply(yuv, cv2.merge([alpha, alpha, alpha]))
    half = (width // 2, height // 2)
    small = cv2.resize(premult, half, interpolation=cv2.INTER_AREA)  # the 2x2 average of premultiplied chroma
    alpha2 = cv2.resize(alpha, half, interpolation=cv2.INTER_AREA)
    return Sprite(
        y=_to_u8(cv2.extractChannel(premult, 0)),
        u=_to_u8(cv2.extractChannel(small, 1)),
        v=_to_u8(cv2.extractChannel(small, 2)),
        inv_a=_to_u8(alpha, -255.0, 255.0),
        inv_a2=_to_u8(alpha2, -255.0, 255.0),
    )


def _to_u8(values: npt.NDArray[Any], scale: float = 1.0, offset: float = 0.0) -> U8:
    """Round ``values * scale + offset`` to uint8 with saturation (inputs here are never negative)."""
    return np.ascontiguousarray(cv2.convertScaleAbs(values, alpha=scale, beta=offset))


def _rgb_to_yuv_matrix() -> npt.NDArray[np.float32]:
    """BT.709 limited range as one affine map on 0..255 RGB (the same numbers as ``rgb_to_yuv``)."""
    kr, kg, kb = 0.2126, 0.7152, 0.0722
    luma = np.array([kr, kg, kb]) / 255.0
    y = 219.0 * luma
    u = 224.0 * (np.array([0.0, 0.0, 1.0 / 255.0]) - luma) / 1.8556
    v = 224.0 * (np.array([1.0 / 255.0, 0.0, 0.0]) - luma) / 1.5748
    return np.array([[*y, 16.0], [*u, 128.0], [*v, 128.0]], np.float32)


_RGB_TO_YUV = _rgb_to_yuv_matrix()
