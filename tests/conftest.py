"""Shared fixtures: the example shows and a TV clip made with PyAV. Shared helpers are in support/."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from support.paths import SHOWS

# Seconds each of the longest test files took (setup, calls and teardown summed; `pytest --durations=0` on
# the first and the solo tier, 2026-11-26, seed 5). make test's xdist workers take whole files
# (`--dist loadfile --no-loadscope-reorder`), so the longest go first and the short ones fill in at the end:
# in the solo tier a file of two minutes drawn last by the random order kept one worker busy for a minute
# after the other had finished (5 min 57 s against 5 min 28 s of work each). A stale figure only costs balance.
LONGEST_FILES_S = {
    "tests/talk/test_talk.py": 143,
    "tests/tutor/test_tutor_live.py": 132,
    "tests/phone/test_phone.py": 122,
    "tests/phone/test_phone_bridges.py": 59,
    "tests/live/test_isolation.py": 38,
    "tests/server/test_studio_page.py": 37,
    "tests/channels/test_ray_channels.py": 31,
    "tests/llm/test_llm_servers.py": 30,
    "tests/live/test_live.py": 29,
    "tests/live/test_say.py": 29,
    "tests/core/test_plugins.py": 25,
    "tests/chat/test_chat_removals.py": 25,
    "tests/server/test_cast_editor.py": 24,
    "tests/broadcast/test_rtmp.py": 24,
    "tests/live/test_live_writer.py": 23,
    "tests/batch/test_render_batch.py": 22,
    "tests/server/test_security.py": 19,
    "tests/llm/test_embedded_brain.py": 18,
    "tests/overlay/test_overlay.py": 18,
    "tests/cohost/test_cohost.py": 17,
    "tests/mcp/test_mcp.py": 16,
    "tests/batch/test_ray_batch.py": 15,
    "tests/ears/test_stt.py": 14,
    "tests/talk/test_talk_parts.py": 14,
    "tests/voice/test_tts_providers.py": 13,
    "tests/server/test_serve.py": 13,
    "tests/batch/test_s3_output.py": 12,
    "tests/ears/test_smart_turn.py": 11,
    "tests/broadcast/test_llhls_serve.py": 10,
}


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


@pytest.hookimpl(trylast=True)  # after pytest-randomly's shuffle, whose order stays within a file and among the rest
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The longest files first (``LONGEST_FILES_S``), so xdist's whole-file scheduling balances its workers."""
    items.sort(key=lambda item: -LONGEST_FILES_S.get(item.nodeid.split("::", 1)[0], 0))
