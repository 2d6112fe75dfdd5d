"""Shared fixtures: the example shows and a TV clip made with PyAV. Shared helpers are in support/."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from support.file_seconds import longest_files_first, measured
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


def pytest_configure(config: pytest.Config) -> None:
    """With ``TALKSHOW_TEST_PIN_CORES=1`` under xdist, each worker (and every server, browser and child
    process it starts) runs on a core of its own: ``make test`` sets it for the tests that time the show
    against the clock, so each measures its own show, not the other worker's (unpinned, two servers on two
    shared cores made each other's frames late)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    count = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    cores = sorted(os.sched_getaffinity(0))
    if os.environ.get("TALKSHOW_TEST_PIN_CORES") == "1" and worker.startswith("gw") and 1 < count <= len(cores):
        os.sched_setaffinity(0, {cores[int(worker[2:]) % len(cores)]})


@pytest.hookimpl(trylast=True)  # after -m has deselected the other tiers' tests: only this run's count
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The longest files first, so that no worker is left with a long file at the end while the other idles
    (support/file_seconds.py says why and how much). pytest-randomly's shuffle comes before this (a wrapper), so
    the order inside each file, and among files measured alike, is still the seed's; ``make test`` passes xdist
    ``--no-loadscope-reorder`` so that it keeps this order rather than sorting files by their number of tests."""
    items[:] = longest_files_first(items, measured())
