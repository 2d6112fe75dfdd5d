"""Shared fixtures: the example shows and a TV clip made with PyAV. Shared helpers are in support/."""

from __future__ import annotations

from pathlib import Path

import pytest

from support.paths import SHOWS


@pytest.fixture
def shows_dir() -> Path:
    """The repository's example shows."""
    return SHOWS


@pytest.fixture(scope="session")
def tv_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 1 s, 25 fps test clip with a moving bar, made with PyAV."""
    import av
    import numpy as np

    path = tmp_path_factory.mktemp("tv") / "clip.mp4"
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=25)
        stream.width, stream.height, stream.pix_fmt = 320, 180, "yuv420p"
        for index in range(25):
            rgb = np.zeros((180, 320, 3), np.uint8)
            rgb[:, :, 2] = 120
            rgb[:, index * 12 : index * 12 + 24] = (255, 220, 40)
            frame = av.VideoFrame.from_ndarray(rgb, format="rgb24")
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return path
