"""Resizing RGBA art without dark fringes: scaled with premultiplied alpha."""

from __future__ import annotations

import cv2
import numpy as np
import numpy.typing as npt

__all__ = ["resize_rgba"]


def resize_rgba(rgba: npt.NDArray[np.uint8], size: tuple[int, int]) -> npt.NDArray[np.uint8]:
    """``rgba`` resized to ``size`` (width, height); colour is weighted by alpha so edges stay clean."""
    w, h = rgba.shape[1], rgba.shape[0]
    alpha = rgba[..., 3:4].astype(np.float32) / 255.0
    premultiplied = np.concatenate([rgba[..., :3].astype(np.float32) * alpha, alpha * 255.0], axis=-1)
    interpolation = cv2.INTER_AREA if size[0] * size[1] < w * h else cv2.INTER_LINEAR
    scaled = cv2.resize(premultiplied, size, interpolation=interpolation).reshape(size[1], size[0], 4)
    a = np.clip(scaled[..., 3:4], 1e-3, 255.0) / 255.0
    rgb = np.where(scaled[..., 3:4] > 0.5, scaled[..., :3] / a, 0)
    return np.clip(np.concatenate([rgb, scaled[..., 3:4]], axis=-1) + 0.5, 0, 255).astype(np.uint8)
