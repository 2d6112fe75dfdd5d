"""A real SFU: talkshow publishes over WHIP to Janus (through simple-whip-server), viewers watch through Janus.

The viewers are aiortc peers that join the Janus VideoRoom as subscribers through its API and
decode the H.264 and Opus the SFU forwards. Janus is then killed and started again: talkshow
notices the silence and publishes again by itself, and a new viewer watches the new feed.
"""

from __future__ import annotations

import asyncio
import signal
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from support.janus_sfu import JanusSfu, JanusViewer, missing_sfu_parts
from support.local_http import poll_until
from support.serve import CHROMIUM, start_studio, studio_log

TOKEN = "sfu-token-never-logged-41c9"
VIEWERS = 3
WATCH_DEADLINE_S = 30.0  # with the cores to themselves the viewers see enough in a few seconds

pytestmark = [
    pytest.mark.slow,
    pytest.mark.beside,  # Janus and the show wait on each other more than they compute
    pytest.mark.skipif(missing_sfu_parts() is not None, reason=f"no SFU here: {missing_sfu_parts()}"),
]


async def _watch(sfu: JanusSfu, feed: int, viewers: int, enough: Callable[[JanusViewer], bool]) -> list[JanusViewer]:
    """``viewers`` subscribers of ``feed``, closed once each has decoded ``enough`` (or after WATCH_DEADLINE_S).

    The test runs in the idle scheduling class beside the timed tests: when they take both cores,
    the show, Janus and these viewers all get less, so the viewers watch until they have seen
    enough rather than for a fixed time (a fixed 5 s once decoded nothing on a loaded run).
    """
    watching = [JanusViewer(sfu.janus_url, feed) for _ in range(viewers)]
    await asyncio.gather(*(viewer.join() for viewer in watching))
    deadline = time.monotonic() + WATCH_DEADLINE_S
    while not all(enough(viewer) for viewer in watching) and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
    await asyncio.gather(*(viewer.close() for viewer in watching))
    return watching


def _saw_the_show(viewer: JanusViewer) -> bool:
    """60 frames of 640x360 video (a viewer starts at the next keyframe: 2 s GOP) and the voices, as 16-bit PCM."""
    video = viewer.video_frames > 60 and viewer.video_size == (640, 360)
    return video and viewer.audio_frames > 100 and viewer.audio_peak > 1000


def _saw_the_new_feed(viewer: JanusViewer) -> bool:
    return viewer.video_frames > 30 and viewer.audio_frames > 50


def test_viewers_watch_through_janus_and_talkshow_publishes_again_after_the_sfu_dies(
    tmp_path: Path, shows_dir: Path
) -> None:
    with JanusSfu(tmp_path / "sfu", TOKEN) as sfu:
        base, hls, process = start_studio(
            tmp_path, shows_dir, tmp_path / "studio.sqlite3", turns=40,
            env={"TALKSHOW_WHIP_TOKEN": TOKEN}, args=("--whip", sfu.url, "--sfu-player", sfu.player),
        )  # fmt: skip
        try:
            poll_until("talkshow in the room as a publisher", sfu.publishers, 40, sfu.logs)
            feed = int(sfu.publishers()[0]["id"])
            viewers = asyncio.run(_watch(sfu, feed, VIEWERS, _saw_the_show))
            for viewer in viewers:
                assert _saw_the_show(viewer), viewer
            assert httpx.get(base + "/api/status").json()["parts"]["whip:127.0.0.1"]["state"] == "running"
            if CHROMIUM is not None:
                assert _just_watch_lands_on(base + "/talk") == sfu.player

            sfu.kill_janus()
            sfu.start_janus()
            poll_until("talkshow publishing again", sfu.publishers, 60, sfu.logs)
            new_feed = int(sfu.publishers()[0]["id"])
            assert new_feed != feed, "a new publish, not the old one remembered"
            (after,) = asyncio.run(_watch(sfu, new_feed, 1, _saw_the_new_feed))
            assert _saw_the_new_feed(after), after
            status = httpx.get(base + "/api/status").json()["parts"]["whip:127.0.0.1"]
            assert status["state"] == "running" and status["restarts"] >= 1, status

            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
            output = studio_log(hls)
            assert TOKEN not in output
            poll_until("the session ended at the SFU on stop", lambda: not sfu.publishers(), 10, sfu.logs)
        finally:
            if process.poll() is None:
                process.kill()


def _just_watch_lands_on(talk_page: str) -> str:
    """Where Chromium is after a click on the talk page's "Just watch"."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.goto(talk_page)
            page.wait_for_function("document.getElementById('watch').title.includes('SFU')", timeout=10_000)
            with page.expect_navigation(timeout=10_000):
                page.click("#watch")
            return str(page.url)
        finally:
            browser.close()
