"""A generated TV clip for benchmarks and tests: busy enough that decoding it costs something."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np

__all__ = ["make_clip"]


def make_clip(path: Path, seconds: int = 10, width: int = 640, height: int = 360, fps: int = 30) -> Path:
    """Write an H.264 clip with a moving gradient and a sliding box to ``path``."""
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        xs = np.arange(width)[None, :]
        box = width // 8
        for index in range(seconds * fps):
            rgb = np.zeros((height, width, 3), np.uint8)
            rgb[..., 0] = (xs + index * 4) % 256
            rgb[..., 2] = 140
            x = (index * 9) % (width - box)
            rgb[height // 3 : 2 * height // 3, x : x + box] = (250, 230, 60)
            for packet in stream.encode(av.VideoFrame.from_ndarray(rgb, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return path
