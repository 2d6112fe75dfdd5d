"""The studio page in real headless Chromium against a real `talkshow serve`: the player, the topic queue, a clip
put on air, and held lines that the operator rejects or approves. (Their own file: the longest of the server's
tests, so that a worker can take them apart from the server's life cycle in test_serve.py.)"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import httpx
import pytest

from support.serve import CHROMIUM
from talkshow.audio import wav_bytes
from talkshow.config import VoiceSettings
from talkshow.server.app import find_hlsjs
from talkshow.telemetry.events import Telemetry
from talkshow.voice.service import SpeechService

pytestmark = pytest.mark.slow  # a whole server, a browser or minutes of air: make test
KEEPS_PLAYING_S = 10  # for one second of video: the three workers of make test's first tier load both cores


@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (.ci/run installs it)")
@pytest.mark.skipif(find_hlsjs() is None, reason="needs hls.js from npm (make setup installs it)")
def test_the_studio_page_plays_queues_a_topic_and_puts_a_clip_on_air_in_headless_chromium(
    studio: tuple[str, Path, subprocess.Popen[bytes]], tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    base, _, _ = studio
    clip = tmp_path / "clip.wav"
    speech = SpeechService(48_000, None, Telemetry()).speak(VoiceSettings(voice="en-us+m3"), "Hello from the audience!")
    clip.write_bytes(wav_bytes(speech.samples, 48_000))
    flags = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--autoplay-policy=no-user-gesture-required"]  # fmt: skip
    statuses: set[str] = set()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=flags)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            page_errors: list[str] = []
            page.on("pageerror", lambda exc: page_errors.append(str(exc)))
            page.goto(base + "/")
            page.wait_for_function("document.getElementById('player').currentTime > 2", timeout=30_000)
            page.wait_for_function("window.talkshow.latencyMs !== null", timeout=10_000)
            playing_at = page.evaluate("document.getElementById('player').currentTime")
            # The video keeps playing: one more second of it within the budget (a loaded core can stall it a while).
            keeps_playing = f"document.getElementById('player').currentTime > {playing_at + 1.0}"
            page.wait_for_function(keeps_playing, timeout=KEEPS_PLAYING_S * 1000)
            latency_ms = page.evaluate("window.talkshow.latencyMs")
            size = page.evaluate("(v => [v.videoWidth, v.videoHeight])(document.getElementById('player'))")

            # A topic typed into the page joins the queue; skipping puts it on next.
            page.fill("#topic", "should pigeons get pensions")
            page.click("#topic-form button[type=submit]")
            page.wait_for_selector("#queue li:has-text('should pigeons get pensions')", timeout=10_000)
            show_id = httpx.get(base + "/api/topics").json()["queue"][0]["id"]
            page.click("#skip")
            ours = f"#lines li[data-group='show-{show_id}'][data-status]"
            deadline = time.monotonic() + 60
            while "done" not in statuses:
                assert time.monotonic() < deadline, f"no line of the topic was done; saw {statuses}"
                statuses |= set(page.eval_on_selector_all(ours, "items => items.map(i => i.dataset.status)"))
                time.sleep(0.05)
            first_line = page.inner_text(ours)

            # A clip uploaded through the say form goes on air next.
            page.set_input_files("#say-audio", str(clip))
            page.click("#say-form button[type=submit]")
            page.wait_for_function("document.getElementById('say-result').textContent.startsWith('queued')")
            page.wait_for_selector("#lines li[data-group='say'][data-status='on_air']", timeout=15_000)
            batches = page.evaluate("window.talkshow.batches")
            page.screenshot(path=str(tmp_path / "studio.png"))
        finally:
            browser.close()
    assert size == [640, 360]
    assert 0 < latency_ms < 10_000, "the page measures its latency from EXT-X-PROGRAM-DATE-TIME"
    assert {"on_air", "done"} <= statuses and statuses & {"writing", "voicing", "ready"}, statuses
    assert "Done" in first_line and "s audio" in first_line and "TTS" in first_line
    assert batches > 20 and not page_errors
    assert (tmp_path / "studio.png").stat().st_size > 50_000


@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (.ci/run installs it)")
def test_the_studio_page_lists_held_lines_and_the_operator_rejects_or_approves_them(
    studio: tuple[str, Path, subprocess.Popen[bytes]],
) -> None:
    from playwright.sync_api import sync_playwright

    base, _, _ = studio
    rejected, approved = "Shut the fuck up, Wendell.", "Wendell, you absolute bastard, that was my sandwich."
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            page_errors: list[str] = []
            page.on("pageerror", lambda exc: page_errors.append(str(exc)))
            page.goto(base + "/")
            page.wait_for_function("window.talkshow.batches > 0", timeout=20_000)
            for text in (rejected, approved):  # the operator's own lines are checked too
                page.fill("#say-text", text)
                page.click("#say-form button[type=submit]")
                page.wait_for_function(
                    "document.getElementById('say-error').textContent.includes('held by moderation')", timeout=10_000
                )
                page.wait_for_selector(f"#held li:has-text({text!r})", timeout=10_000)
            assert page.inner_text("#held-count") == "2"
            page.click(f"#held li:has-text({rejected!r}) button:has-text('Reject')")
            page.wait_for_selector(f"#held li:has-text({rejected!r})", state="detached", timeout=10_000)
            page.click(f"#held li:has-text({approved!r}) button:has-text('Approve')")
            page.wait_for_selector(f"#held li:has-text({approved!r})", state="detached", timeout=20_000)
            page.wait_for_selector("#lines li[data-group='say']:has-text('absolute bastard')", timeout=20_000)
            empty = page.is_visible("#held-empty")
        finally:
            browser.close()
    decided = {line["text"]: line for line in httpx.get(base + "/api/held").json()["held"]}
    assert decided[rejected]["status"] == "rejected" and decided[approved]["status"] == "approved"
    assert decided[rejected]["source"] == "operator" and "offensive language" in decided[rejected]["reason"]
    aired = [line for line in httpx.get(base + "/api/lines").json()["lines"] if line["text"] == approved]
    assert aired and aired[0]["status"] in ("voicing", "ready", "on_air", "done"), aired
    assert not any(line["text"] == rejected for line in httpx.get(base + "/api/lines").json()["lines"])
    assert empty and not page_errors
