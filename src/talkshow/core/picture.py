"""A picture ready to blend (``Sprite``) and a caption card (``Caption``): types the stage makes and a turn carries.

They live in ``core`` because a ``PreparedTurn`` carries its caption card from the preparer to the
compositor; the stage draws them (``talkshow.stage``), and nothing here does.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["U8", "Caption", "Sprite"]

U8 = npt.NDArray[np.uint8]


@dataclass(frozen=True)
class Sprite:
    """A premultiplied yuv420p image with its alpha, ready to blend.

    ``inv_a`` is ``255 - alpha`` at luma resolution and ``inv_a2`` at chroma
    resolution, precomputed so a blend is one multiply and one add per plane.
    """

    y: U8
    u: U8
    v: U8
    inv_a: U8
    inv_a2: U8

    @property
    def width(self) -> int:
        """Width in pixels."""
        return int(self.y.shape[1])

    @property
    def height(self) -> int:
        """Height in pixels."""
        return int(self.y.shape[0])


@dataclass(frozen=True)
class Caption:
    """A prepared caption card; ``key`` changes when the text does."""

    key: str
    sprite: Sprite
