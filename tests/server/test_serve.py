"""`talkshow serve` as users run it: a real server process, real HTTP, real headless Chromium."""

from __future__ import annotations

import json
import signal
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import av
import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from support.budgets import LATE_FRAMES_ALLOWED
from support.serve import CHROMIUM, fetch, start_studio, studio_log
from talkshow.audio import wav_bytes
from talkshow.config import VoiceSettings
from talkshow.server.app import find_hlsjs
from talkshow.telemetry.events import Telemetry
from talkshow.voice.service import SpeechService

pytestmark = pytest.mark.slow  # a whole server, a browser or minutes of air: make test


@pytest.fixture
def studio(tmp_path: Path, shows_dir: Path) -> Iterator[tuple[str, Path, subprocess.Popen[bytes]]]:
    """A running studio with its own database."""
    base, hls, process = start_studio(tmp_path, shows_dir, tmp_path / "studio.sqlite3")
    yield base, hls, process
    if process.poll() is None:
        process.kill()
        process.wait()


def test_studio_serves_page_stream_and_status_then_ends_cleanly_on_sigterm(
    studio: tuple[str, Path, subprocess.Popen[bytes]],
) -> None:
    base, hls, process = studio
    status, page, _ = fetch(base + "/")
    assert status == 200 and b"/vendor/hls.min.js" in page and b"/static/studio.js" in page
    assert b"/hls/live.m3u8" in fetch(base + "/static/studio.js")[1]
    if find_hlsjs() is not None:
        status, script, kind = fetch(base + "/vendor/hls.min.js")
        assert status == 200 and "javascript" in kind and len(script) > 100_000
    time.sleep(3)
    status, playlist, kind = fetch(base + "/hls/live.m3u8")
    assert status == 200 and kind == "application/vnd.apple.mpegurl"
    assert b"#EXT-X-PROGRAM-DATE-TIME" in playlist and b"#EXT-X-ENDLIST" not in playlist
    first_segment = next(line for line in playlist.decode().splitlines() if line.endswith(".ts"))
    status, segment, kind = fetch(f"{base}/hls/{first_segment}")
    assert status == 200 and kind == "video/mp2t" and segment[:1] == b"G"  # TS sync byte
    with pytest.raises(urllib.error.HTTPError):
        fetch(base + "/hls/..%2Fsecret.txt")
    stats = json.loads(fetch(base + "/api/status")[1])
    assert stats["frames"] > 60 and stats["late_frames"] <= LATE_FRAMES_ALLOWED

    # /metrics parses with Prometheus' own parser and carries what the studio saw.
    status, body, kind = fetch(base + "/metrics")
    assert status == 200 and kind.startswith("text/plain")
    families = {f.name: f for f in text_string_to_metric_families(body.decode())}
    for name in ("talkshow_frame_compose_seconds", "talkshow_frame_lateness_seconds", "talkshow_turn_gap_seconds",
                 "talkshow_tts_seconds", "talkshow_llm_first_token_seconds", "talkshow_late_frames",
                 "talkshow_repeated_frames", "talkshow_tv_frame_drops", "talkshow_errors",
                 "talkshow_queue_depth_frames", "talkshow_cpu_cores", "talkshow_rss_bytes",
                 "talkshow_tts_first_audio_seconds", "talkshow_tts_realtime_factor", "talkshow_tts_characters",
                 "talkshow_tts_billed_characters", "talkshow_tts_errors"):  # fmt: skip
        assert name in families, name
    compose = families["talkshow_frame_compose_seconds"].samples
    compose_count = next(s.value for s in compose if s.name.endswith("_count"))
    assert compose_count >= stats["frames"] - 5
    assert (
        next(s.value for s in families["talkshow_late_frames"].samples if s.name.endswith("_total"))
        <= LATE_FRAMES_ALLOWED
    )

    # /api/say: a line pushed onto the air; bad input gets a 4xx that says what was wrong.
    take = f"Live from the studio, take {time.time_ns() % 100_000}!"  # never cached: the voice really speaks
    said = httpx.post(base + "/api/say", data={"character": "duke", "text": take}, timeout=30)
    assert said.status_code == 202 and said.json()["audio_s"] > 0.5
    families = {f.name: f for f in text_string_to_metric_families(fetch(base + "/metrics")[1].decode())}
    first_audio = families["talkshow_tts_first_audio_seconds"].samples
    assert any(s.labels.get("engine") == "piper" and s.name.endswith("_count") and s.value >= 1 for s in first_audio)
    for form, files, status, message in [
        ({"character": "bob", "text": "hi"}, None, 404, "unknown character 'bob'"),
        ({"character": "duke", "text": ""}, None, 400, "nothing to say"),
        ({"character": "duke"}, {"audio": ("x.wav", b"not audio at all" * 50, "audio/wav")}, 415, "not a readable"),
    ]:
        bad = httpx.post(base + "/api/say", data=form, files=files, timeout=30)
        assert bad.status_code == status and message in bad.json()["error"], bad.text
    assert [c["id"] for c in httpx.get(base + "/api/characters").json()] == ["duke", "wendell"]
    deadline = time.monotonic() + 10
    while json.loads(fetch(base + "/api/status")[1])["on_air"] != take:
        assert time.monotonic() < deadline, "the pushed line never went on air"
        time.sleep(0.1)

    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 0, studio_log(hls)[-2000:]
    text = (hls / "live.m3u8").read_text()
    assert text.rstrip().endswith("#EXT-X-ENDLIST"), "a clean shutdown ends the playlist"
    last = [line for line in text.splitlines() if line.endswith(".ts")][-1]
    with av.open(str(hls / last), "r") as container:
        assert sum(1 for _ in container.decode(video=0)) > 0, "the last segment is whole"


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
            time.sleep(1.0)
            later = page.evaluate("document.getElementById('player').currentTime")
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
    assert later > playing_at + 0.5, "the video keeps playing"
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
