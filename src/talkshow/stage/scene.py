"""The studio set: background, TV bezel and desk, with lighting baked in at load.

Layout is designed at 1920x1080 and scaled to the show's resolution.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt
from PIL import Image, ImageDraw, ImageFilter, UnidentifiedImageError

from talkshow.config import LightingSettings, SceneSettings
from talkshow.core.errors import ShowFileError
from talkshow.core.picture import Sprite
from talkshow.stage.fonts import load_font
from talkshow.stage.frame import FrameBuffer, LightGain, Rect, rgb_to_yuv, sprite_from_rgba

__all__ = ["Layout", "StudioSet", "build_set"]

REF_W, REF_H = 1920, 1080
U8 = npt.NDArray[np.uint8]


@dataclass(frozen=True)
class Layout:
    """Where things go on screen, already scaled to the output size."""

    scale: float
    width: int
    height: int
    tv_screen: Rect
    seats: tuple[tuple[int, int], ...]
    character_scale: float
    caption_box: Rect
    guest_box: Rect  # a caller's words, top left, while a call is on air

    @classmethod
    def for_size(cls, width: int, height: int, cast_size: int) -> Layout:
        """The studio layout for ``cast_size`` characters at ``width`` x ``height``."""
        s = width / REF_W

        def px(v: float) -> int:
            return int(round(v * s)) & ~1

        seats_ref = {
            2: [(150, 196), (1130, 204)],
            3: [(60, 210), (640, 230), (1220, 210)],
        }.get(cast_size)
        if seats_ref is None:
            step = 1700 / max(cast_size, 1)
            seats_ref = [(int(40 + i * step), 220) for i in range(cast_size)]
        char_scale = 1.0 if cast_size <= 2 else 0.86 if cast_size == 3 else 0.7
        return cls(
            scale=s,
            width=width,
            height=height,
            tv_screen=Rect(px(700), px(118), px(700) + px(520), px(118) + px(292)),
            seats=tuple((px(x), px(y)) for x, y in seats_ref),
            character_scale=char_scale * s,
            caption_box=Rect(px(250), px(872), px(1670), px(1052)),
            guest_box=Rect(px(24), px(16), px(664), px(176)),
        )


@dataclass
class StudioSet:
    """The cached base frame plus the foreground desk sprite."""

    layout: Layout
    base: FrameBuffer
    desk: Sprite
    desk_origin: tuple[int, int]
    light_gain: LightGain

    def retitle(self, title: str) -> None:
        """Put ``title`` on the desk's banner: the new sprite is drawn first, then swapped in whole, so a frame
        composed meanwhile draws the old banner or the new one, never half of either."""
        self.desk, _ = titled_desk(self.layout, title, self.light_gain)


def build_set(settings: SceneSettings, layout: Layout, title: str, base_dir: Path) -> StudioSet:
    """Draw the set once, bake the lighting, and convert to I420."""
    w, h = layout.width, layout.height
    if settings.background == "studio":
        rgb = _studio_background(layout)
    else:
        rgb = _image_background(settings.background, base_dir, w, h)
    _draw_tv_bezel(rgb, layout)
    gain = _light_gain(settings.lighting, w, h)
    lit = np.clip(rgb.astype(np.float32) * gain, 0, 255)
    base = FrameBuffer(w, h)
    yuv = rgb_to_yuv(lit)
    base.y[...] = np.clip(yuv[..., 0] + 0.5, 0, 255).astype(np.uint8)
    base.u[...] = np.clip(cv2.resize(yuv[..., 1], (w // 2, h // 2), interpolation=cv2.INTER_AREA) + 0.5, 0, 255).astype(
        np.uint8
    )
    base.v[...] = np.clip(cv2.resize(yuv[..., 2], (w // 2, h // 2), interpolation=cv2.INTER_AREA) + 0.5, 0, 255).astype(
        np.uint8
    )
    desk, desk_origin = titled_desk(layout, title, gain)
    return StudioSet(layout, base, desk, desk_origin, gain)


def titled_desk(layout: Layout, title: str, gain: LightGain) -> tuple[Sprite, tuple[int, int]]:
    """The desk with ``title`` on its banner, lit as the set is (11-15 ms at 1080p)."""
    desk_rgba, desk_origin = _desk(layout, title)
    dy0 = desk_origin[1]
    desk_gain = gain[dy0 : dy0 + desk_rgba.shape[0], : desk_rgba.shape[1]]
    lit_desk = desk_rgba.copy()
    lit_desk[..., :3] = np.clip(desk_rgba[..., :3].astype(np.float32) * desk_gain, 0, 255).astype(np.uint8)
    return sprite_from_rgba(lit_desk), desk_origin


def _light_gain(light: LightingSettings, w: int, h: int) -> LightGain:
    """Per-pixel RGB gain: warm key light from above, two spots, and a vignette."""
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    nx, ny = xx / w - 0.5, yy / h - 0.5
    vignette = 1.0 - light.vignette * np.clip((nx**2 + ny**2) * 1.6, 0, 1)
    spots = np.zeros_like(nx)
    for cx in (0.24, 0.76):
        spots += 0.22 * np.exp(-(((nx + 0.5 - cx) / 0.16) ** 2 + ((ny + 0.15) / 0.45) ** 2))
    level = (vignette + spots) * light.brightness
    warm = np.array([1.0 + 0.12 * light.warmth, 1.0 + 0.02 * light.warmth, 1.0 - 0.14 * light.warmth], np.float32)
    return np.asarray(level[..., None] * warm, dtype=np.float16)


def _studio_background(layout: Layout) -> U8:
    w, h, s = layout.width, layout.height, layout.scale
    t = np.linspace(0, 1, h, dtype=np.float32)[:, None]
    top, bottom = np.array([36, 30, 74], np.float32), np.array([96, 52, 110], np.float32)
    wall = np.broadcast_to((top * (1 - t) + bottom * t)[:, None, :], (h, w, 3)).copy()
    image = Image.fromarray(wall.astype(np.uint8), "RGB")
    draw = ImageDraw.Draw(image, "RGBA")
    for i in range(9):  # vertical wall panels
        x = int((60 + i * 225) * s)
        draw.rectangle(
            [x, int(40 * s), x + int(170 * s), int(760 * s)],
            fill=(255, 255, 255, 14),
            outline=(255, 255, 255, 28),
            width=max(1, int(3 * s)),
        )
    for i in range(40):  # a skyline strip behind the panels
        bx = int((i * 53 % 1900) * s)
        bh = int((120 + (i * 97) % 220) * s)
        draw.rectangle([bx, int(760 * s) - bh, bx + int(46 * s), int(760 * s)], fill=(20, 16, 48, 120))
    for i in range(60):  # windows lit in the skyline
        wx = int(((i * 131) % 1880) * s)
        wy = int((560 + (i * 37) % 180) * s)
        draw.rectangle([wx, wy, wx + int(8 * s), wy + int(10 * s)], fill=(255, 214, 120, 90))
    draw.rectangle([0, int(760 * s), w, h], fill=(54, 34, 60, 255))  # floor
    glow = Image.new("L", (w, h), 0)
    ImageDraw.Draw(glow).ellipse([int(560 * s), int(40 * s), int(1360 * s), int(520 * s)], fill=90)
    glow = glow.filter(ImageFilter.GaussianBlur(60 * s))
    image.paste((120, 180, 255), (0, 0), glow)
    return np.asarray(image, dtype=np.uint8).copy()


def _image_background(name: str, base_dir: Path, w: int, h: int) -> U8:
    path = Path(name)
    if not path.is_absolute():
        path = base_dir / path
    try:
        with Image.open(path) as image:
            rgb = image.convert("RGB").resize((w, h), Image.Resampling.LANCZOS)
    except (FileNotFoundError, UnidentifiedImageError, OSError) as exc:
        raise ShowFileError(path, f"background image cannot be read: {exc}") from exc
    return np.asarray(rgb, dtype=np.uint8).copy()


def _draw_tv_bezel(rgb: U8, layout: Layout) -> None:
    screen, s = layout.tv_screen, layout.scale
    image = Image.fromarray(rgb)
    draw = ImageDraw.Draw(image)
    pad = int(18 * s)
    draw.rounded_rectangle(
        [screen.x0 - pad, screen.y0 - pad, screen.x1 + pad, screen.y1 + pad],
        radius=int(16 * s),
        fill=(24, 22, 30),
        outline=(10, 8, 14),
        width=max(1, int(4 * s)),
    )
    cx = (screen.x0 + screen.x1) // 2
    draw.rectangle(
        [cx - int(10 * s), screen.y1 + pad, cx + int(10 * s), screen.y1 + pad + int(40 * s)], fill=(30, 28, 36)
    )
    draw.ellipse(
        [screen.x1 + pad - int(22 * s), screen.y1 + int(4 * s), screen.x1 + pad - int(12 * s), screen.y1 + int(14 * s)],
        fill=(90, 220, 120),
    )
    rgb[...] = np.asarray(image)


def _desk(layout: Layout, title: str) -> tuple[U8, tuple[int, int]]:
    s, w = layout.scale, layout.width
    top = int(800 * s) & ~1
    height = layout.height - top
    image = Image.new("RGBA", (w, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    x0, x1 = int(70 * s), int(1850 * s)
    draw.rounded_rectangle(
        [x0, 0, x1, int(44 * s)],
        radius=int(18 * s),
        fill=(206, 150, 96),
        outline=(60, 36, 28),
        width=max(1, int(5 * s)),
    )
    draw.polygon(
        [
            (x0 + int(30 * s), int(40 * s)),
            (x1 - int(30 * s), int(40 * s)),
            (x1 - int(90 * s), height),
            (x0 + int(90 * s), height),
        ],
        fill=(150, 66, 76),
        outline=(60, 30, 36),
    )
    for i in range(1, 6):
        x = x0 + int(i * (x1 - x0) / 6)
        draw.line([(x, int(48 * s)), (x + int((i - 3) * 12 * s), height)], fill=(120, 50, 60), width=max(1, int(4 * s)))
    font = load_font(int(30 * s), bold=True)
    label = title.upper()[:40]
    tw = draw.textlength(label, font=font)
    draw.text(((w - tw) / 2, int(58 * s)), label, font=font, fill=(255, 226, 160))
    return np.asarray(image, dtype=np.uint8).copy(), (0, top)
