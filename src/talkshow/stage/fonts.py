"""Fonts for captions and set dressing: DejaVu if the system has it, else Pillow's own."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

__all__ = ["load_font"]

_CANDIDATES = {
    True: ["/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"],
    False: ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"],
}


@lru_cache(maxsize=32)
def load_font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """A scalable font of ``size`` pixels; never fails (falls back to Pillow's font)."""
    for candidate in _CANDIDATES[bold]:
        if Path(candidate).is_file():
            return ImageFont.truetype(candidate, max(size, 6))
    return ImageFont.load_default(size=max(size, 6))
