"""The OBS overlay end to end: a real `talkshow serve shows/cohost.toml`, its pages in headless Chromium, and what
they show and play measured from the canvas's pixels and the page's own audio output."""

from __future__ import annotations

import base64
import io
import time
from collections.abc import Iterator
from typing import Any

import httpx
import numpy as np
import pytest
from PIL import Image

from support.paths import SHOWS
from support.serve import TalkStudio, headless_page, start_talk_studio
from talkshow.testing.overlay_probe import PROBE_JS, read_line

pytestmark = [pytest.mark.slow, pytest.mark.solo]

FRAME_S = 1 / 30
ON_SCREEN_WITHIN_S = 0.5  # the target: on the overlay after the line goes on air
ON_SCREEN_MARGIN_S = 0.5  # 2 shared cores running the show, Chromium and this test
LATE_MARGIN_MS = 100.0  # no frame late with the pages open; margin: a 3-frame hiccup of the one core that make
# test pins this test, its server and Chromium to (benchmarks/overlay.py measures 0 late at 1080p on 2 cores)
LINE = "Chat, that boss fight was a disgrace, and I say that with love."
FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--autoplay-policy=no-user-gesture-required"]


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TalkStudio]:
    running = start_talk_studio(tmp_path_factory.mktemp("overlay"), (SHOWS / "cohost.toml").read_text())
    with running.served:
        yield running


def _greeting(base: str, character: str) -> dict[str, Any]:
    return dict(httpx.get(base + "/api/overlay", params={"character": character}, timeout=30).json())


def _wait_drawn(page: Any) -> None:
    page.wait_for_function("window.talkshowOverlay && window.talkshowOverlay.state.drawn > 0", timeout=30_000)


def test_the_overlay_is_transparent_and_its_mouth_moves_with_the_voice_it_plays(studio: TalkStudio) -> None:
    greeting = _greeting(studio.base, "duke")
    duke = greeting["characters"]["duke"]
    with headless_page(FLAGS) as (page, errors):
        others = [page.context.browser.new_page() for _ in range(2)]  # three overlays open: the show must not notice
        for other, path in zip(others, ("/overlay", "/overlay/wendell?captions=1"), strict=True):
            other.goto(studio.base + path)
        page.goto(studio.base + "/overlay/duke?captions=1&position=top&size=30")
        _wait_drawn(page)
        for other in others:
            _wait_drawn(other)
        shot = np.asarray(Image.open(io.BytesIO(page.screenshot(omit_background=True))).convert("RGBA"))
        page.evaluate(PROBE_JS, {"mouth": duke["mouth"], "origin": duke["box"][:2]})
        # Opening three pages at once is Chromium's burst on these shared cores (and, in make test, on the one
        # core this test is pinned to); from here on the three are open and the show must not notice them.
        open_since = time.time()
        page.wait_for_timeout(1500)  # the character at rest: the show is held, nobody speaks
        said = httpx.post(studio.base + "/api/say", data={"character": "duke", "text": LINE}, timeout=30)
        assert said.status_code == 202, said.text
        page.wait_for_function(f"document.getElementById('caption').textContent.includes({LINE[:20]!r})")
        page.wait_for_timeout(5000)
        probe = page.evaluate("window.probe")
        caption = page.eval_on_selector("#caption", "e => [e.className, getComputedStyle(e).fontSize]")
    assert errors == []

    # Transparent where nobody is (the page's corners and the canvas's own), opaque where Duke is.
    on_page = _Placement(shot, duke["box"])
    x0, y0, x1, y1 = duke["box"]
    corners = [(0, 0), (shot.shape[1] - 1, shot.shape[0] - 1)]
    corners += [on_page.at(x, y) for x, y in ((x0, y0), (x1 - 1, y0), (x0, y1 - 1), (x1 - 1, y1 - 1))]
    assert all(int(shot[y, x][3]) == 0 for x, y in corners), [shot[y, x] for x, y in corners]
    mouth = duke["mouth"]
    face = on_page.at((mouth[0] + mouth[2]) / 2, mouth[1] - (mouth[3] - mouth[1]))
    assert int(shot[face[1], face[0]][3]) == 255, f"the face above the mouth is opaque: {shot[face[1], face[0]]}"

    aired = [e for e in studio.events("turn_aired") if e["source"] == "say"]
    assert aired, "the line went on air"
    line = read_line(probe, aired[-1]["frame"])
    assert len(line.rest) > 30 and max(line.rest) == min(line.rest), f"silent, the mouth rests: {set(line.rest)}"
    assert len({dark for _, dark in line.during}) >= 4, "the mouth changes shape while the character speaks"
    assert line.opened_at is not None, "the mouth opens"
    assert line.during[-1][1] == line.rest[0], "and rests again after the line"

    # Sound and mouth on the page's own clock: within a frame, plus the animation frame that reads the canvas.
    assert line.sound_at is not None, "the page played the line"
    gap = line.mouth_minus_sound_s
    assert gap is not None and abs(gap) <= FRAME_S + line.tick_s, f"the mouth opened {gap:+.3f} s after the sound"
    assert line.shown_wall is not None
    shown_after = line.shown_wall - aired[-1]["wall"]
    assert shown_after <= ON_SCREEN_WITHIN_S + ON_SCREEN_MARGIN_S, f"on screen {shown_after:.3f} s after it aired"
    assert caption == ["top", "30px"]

    late = [e["lateness_ms"] for e in studio.events("frame_late") if e["wall"] >= open_since]
    assert all(ms <= LATE_MARGIN_MS for ms in late), f"three overlays open, frames late by {late} ms"


class _Placement:
    """Where a point of the show's canvas lands in a screenshot: the canvas is fitted and centred (contain)."""

    def __init__(self, shot: np.ndarray, box: list[int]) -> None:
        self.box = box
        width, height = box[2] - box[0], box[3] - box[1]
        self.scale = min(shot.shape[1] / width, shot.shape[0] / height)
        self.dx, self.dy = (shot.shape[1] - width * self.scale) / 2, (shot.shape[0] - height * self.scale) / 2

    def at(self, x: float, y: float) -> tuple[int, int]:
        """Screenshot pixel of show pixel ``x, y``."""
        return int(self.dx + (x - self.box[0]) * self.scale), int(self.dy + (y - self.box[1]) * self.scale)


def test_an_overlay_for_someone_not_in_the_cast_is_a_clear_404(studio: TalkStudio) -> None:
    page = httpx.get(studio.base + "/overlay/nobody")
    greeting = httpx.get(studio.base + "/api/overlay", params={"character": "nobody"})
    assert page.status_code == greeting.status_code == 404
    assert "duke" in greeting.json()["error"], greeting.text
    sprites = httpx.get(studio.base + "/api/overlay/sprites", timeout=30).json()["sprites"]
    assert len(sprites) == httpx.get(studio.base + "/api/overlay").json()["sprites"]
    first = Image.open(io.BytesIO(base64.b64decode(sprites[0].removeprefix("data:image/png;base64,"))))
    assert first.mode == "RGBA"
