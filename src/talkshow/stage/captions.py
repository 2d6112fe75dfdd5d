"""Caption cards: speaker name and wrapped line, drawn once per line (never per frame)."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from talkshow.core.picture import Sprite
from talkshow.stage.fonts import load_font
from talkshow.stage.frame import Rect, sprite_from_rgba

__all__ = ["render_caption"]

NAME_COLORS = [(255, 200, 90), (120, 220, 255), (170, 255, 150), (255, 150, 200)]


def render_caption(speaker: str, text: str, box: Rect, scale: float, color_index: int = 0) -> Sprite:
    """A caption card fitting ``box``; long lines shrink, then are ellipsized."""
    width, height = box.x1 - box.x0, box.y1 - box.y0
    pad = int(22 * scale)
    name_font = load_font(int(30 * scale), bold=True)
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    lines: list[str] = []
    font = load_font(int(34 * scale))
    for size in (34, 30, 26, 23):
        font = load_font(int(size * scale))
        lines = _wrap(draw, text, font, width - 2 * pad)
        line_h = int(size * scale * 1.22)
        if pad + int(38 * scale) + line_h * len(lines) <= height - pad // 2:
            break
    else:
        line_h = int(23 * scale * 1.22)
        room = max(1, (height - pad - int(38 * scale)) // line_h)
        lines = lines[:room]
        lines[-1] = lines[-1].rstrip(" .,") + "…"
    used = pad + int(38 * scale) + line_h * len(lines) + pad // 2
    top = height - used
    draw.rounded_rectangle(
        [0, top, width - 1, height - 1],
        radius=int(18 * scale),
        fill=(12, 10, 24, 200),
        outline=(255, 255, 255, 60),
        width=max(1, int(2 * scale)),
    )
    draw.text((pad, top + pad // 2), speaker.upper(), font=name_font, fill=NAME_COLORS[color_index % len(NAME_COLORS)])
    y = top + pad // 2 + int(38 * scale)
    for line in lines:
        draw.text((pad, y), line, font=font, fill=(255, 255, 255))
        y += line_h
    return sprite_from_rgba(np.asarray(image, dtype=np.uint8))


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: object, max_width: int) -> list[str]:
    words = text.split()
    lines: list[str] = []
    current = ""
    for word in words:
        trial = f"{current} {word}".strip()
        if draw.textlength(trial, font=font) <= max_width or not current:  # type: ignore[arg-type]
            current = trial
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines or [""]
