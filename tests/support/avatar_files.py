"""Avatar files the tests build, in the formats streamers use (PNGTuber Plus ``.save``).

Each avatar is drawn with PIL at test time: a body, a head on it, hair that wobbles and drags,
eyes open and closed, a closed mouth shown when silent and open mouths shown when talking,
an animated sprite sheet, and a hat worn only in costume 2. The mouths are bright and
distinct so a test can find them in decoded video.
"""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw

__all__ = ["MOUTH_COLOUR", "pngtuber_save", "save_entry", "write_save"]

MOUTH_COLOUR = (250, 40, 200)  # no bundled art or set colour is this magenta


def _png(size: tuple[int, int], draw: Any) -> str:
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    draw(ImageDraw.Draw(image), size)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def save_entry(
    sprite_id: int, parent: int | None, image_data: str, at: tuple[float, float], **fields: Any
) -> dict[str, Any]:
    """One sprite as PNGTuber Plus writes it (Godot strings for vectors and the costume list)."""
    entry: dict[str, Any] = {
        "type": "sprite", "path": f"user://sprite{sprite_id}.png", "imageData": image_data,
        "identification": sprite_id, "parentId": parent, "pos": f"Vector2({at[0]}, {at[1]})",
        "offset": "Vector2(0, 0)", "zindex": 0, "drag": 0, "xFrq": 0.0, "xAmp": 0, "yFrq": 0.0, "yAmp": 0,
        "rotDrag": 0, "showTalk": 0, "showBlink": 0, "rLimitMin": -180, "rLimitMax": 180,
        "costumeLayers": "[1, 1, 1, 1, 1, 1, 1, 1, 1, 1]", "stretchAmount": 0.0, "ignoreBounce": False,
        "frames": 1, "animSpeed": 0, "clipped": False,
    }  # fmt: skip
    entry.update(fields)
    return entry


def _sparkle_frames(draw: Any, size: tuple[int, int]) -> None:
    for i in range(4):  # four frames side by side, the dot moving down and right
        draw.ellipse((i * 44, i * 4, i * 44 + 20, 20 + i * 4), fill=(255, 240, 80, 255))


def pngtuber_save(mouths: int = 1) -> dict[str, Any]:
    """An avatar's ``.save`` content: ``mouths`` open mouths (1 is the two-state convention)."""
    body = _png((360, 300), lambda d, s: d.rounded_rectangle((0, 40, s[0] - 1, s[1] - 1), 60, fill=(60, 90, 170, 255)))
    head = _png((300, 320), lambda d, s: d.ellipse((0, 0, s[0] - 1, s[1] - 1), fill=(240, 200, 170, 255)))
    hair = _png((320, 120), lambda d, s: d.pieslice((0, 0, s[0] - 1, 2 * s[1]), 180, 360, fill=(120, 60, 30, 255)))
    eyes_open = _png((160, 40), lambda d, s: [d.ellipse((x, 0, x + 39, 39), fill=(20, 20, 20, 255)) for x in (0, 120)])
    eyes_shut = _png(
        (160, 40), lambda d, s: [d.line((x, 20, x + 39, 20), fill=(20, 20, 20, 255), width=6) for x in (0, 120)]
    )
    closed = _png((100, 60), lambda d, s: d.line((0, 30, 99, 30), fill=(*MOUTH_COLOUR, 255), width=8))
    sparkle = _png((4 * 40, 40), _sparkle_frames)
    hat = _png((220, 90), lambda d, s: d.rectangle((0, 0, s[0] - 1, s[1] - 1), fill=(30, 30, 30, 255)))
    sprites = [
        save_entry(101, None, body, (0, 160)),
        save_entry(102, 101, head, (0, -230), zindex=1),
        save_entry(103, 102, hair, (0, -130), zindex=1, xAmp=6, xFrq=0.05, yAmp=3, yFrq=0.08, drag=4),
        save_entry(104, 102, eyes_open, (0, -20), zindex=1, showBlink=1),
        save_entry(105, 102, eyes_shut, (0, -20), zindex=1, showBlink=2),
        save_entry(106, 102, closed, (0, 80), zindex=1, showTalk=1),
        save_entry(107, 102, sparkle, (140, -140), zindex=2, frames=4, animSpeed=60),
        save_entry(108, 102, hat, (0, -190), zindex=2, costumeLayers="[0, 1, 1, 1, 1, 1, 1, 1, 1, 1]"),
    ]
    for n in range(mouths):  # taller and taller open mouths
        height = 30 + 40 * (n + 1) // mouths

        def mouth(d: Any, s: tuple[int, int], height: int = height) -> None:
            d.ellipse((10, (s[1] - height) // 2, s[0] - 11, (s[1] + height) // 2), fill=(*MOUTH_COLOUR, 255))

        sprites.append(save_entry(110 + n, 102, _png((100, 80), mouth), (0, 80), zindex=1, showTalk=2))
    return {str(i): entry for i, entry in enumerate(sprites)}


def write_save(folder: Path, name: str = "my.save", mouths: int = 1, content: Any = None) -> Path:
    """Write an avatar (or any ``content``, for the bad-file tests) as ``folder/name``."""
    path = folder / name
    path.write_text(json.dumps(pngtuber_save(mouths) if content is None else content), encoding="utf-8")
    return path
