"""The tutor show end to end: a learner calls (aiortc, or Chromium with a fake microphone), speaks with errors,
hears Theo's chunks, and the page follows each chunk from queued to played, then shows the lesson's report."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest

from support.paths import SHOWS
from support.serve import CHROMIUM, TalkStudio, start_talk_studio
from support.spoken import SPEAKERS, noisy, utterance
from talkshow.audio import resample, wav_bytes
from talkshow.testing.talk_client import CallerClip, TalkClient

pytestmark = [pytest.mark.slow, pytest.mark.solo]

LESSON_WITHIN_S = 30.0  # every chunk played: the reply takes ~8 s of air; margin for 2 shared cores
SENTENCE = "Yesterday I go to the market and buyed three apple."


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TalkStudio]:
    folder = tmp_path_factory.mktemp("tutor")
    (folder / "theo.json").write_text((SHOWS / "theo.json").read_text())
    running = start_talk_studio(folder, (SHOWS / "tutor.toml").read_text())
    with running.served:
        yield running


async def _lesson(http: httpx.AsyncClient, base: str) -> dict[str, Any]:
    reply = await http.get(base + "/api/tutor/lesson")
    return reply.json() if reply.status_code == 200 else {}


def test_a_learner_speaks_the_page_follows_every_chunk_to_played_and_the_lesson_is_reported(
    studio: TalkStudio,
) -> None:
    async def call() -> tuple[list[dict[str, Any]], list[str], dict[str, Any], dict[str, Any], str]:
        client = TalkClient(studio.base)
        assert await client.connect() == 201
        await client.wait_for_show()
        await client.wait_for_quiet(0.6, timeout=40)
        speech = resample(utterance(SENTENCE, SPEAKERS[0]), 16_000, 48_000)
        await client.speak(CallerClip.in_noise(speech, 20.0, seed=4))
        seen: list[str] = []  # every state each chunk passed through, as the page polled it
        deadline = time.perf_counter() + LESSON_WITHIN_S
        turns: list[dict[str, Any]] = []
        async with httpx.AsyncClient() as http:
            while time.perf_counter() < deadline:
                turns = (await _lesson(http, studio.base)).get("turns", [])
                for turn in turns:
                    seen += [f"{turn['turn']}:{i}:{c['state']}" for i, c in enumerate(turn["chunks"])]
                if turns and turns[-1]["chunks"] and all(c["state"] == "played" for c in turns[-1]["chunks"]):
                    break
                await asyncio.sleep(0.1)
            await client.close()
            deadline = time.perf_counter() + 10
            while (after := await _lesson(http, studio.base)).get("on_air") and time.perf_counter() < deadline:
                await asyncio.sleep(0.2)  # the call ends: the lesson with it
            report = (await http.get(f"{studio.base}/api/lessons/{after['lesson_id']}")).json()
            chart = (await http.get(f"{studio.base}/api/lessons/{after['lesson_id']}/chart.svg")).text
        return turns, seen, after, report, chart

    turns, seen, after, report, chart = asyncio.run(call())
    assert turns, "the learner's turn is in the lesson"
    turn = turns[-1]
    chunks = turn["chunks"]
    assert [c["state"] for c in chunks] == ["played"] * len(chunks), turn
    assert chunks[0]["kind"] == "say" and chunks[-1]["kind"] == "follow_up", turn
    assert all(c["seconds"] > 0.3 for c in chunks), "each chunk says how long its audio is"
    first = [s for s in seen if s.startswith(f"{turn['turn']}:0:")]
    assert "playing" in {s.rsplit(":", 1)[1] for s in first}, f"the page saw the first chunk playing: {first}"
    assert any(c["kind"] == "correction" for c in chunks), f"heard {turn['heard']!r}, corrected nothing"
    assert after["on_air"] is False and after["lesson_id"], after
    assert report["ended_at"] is not None and report["turns"][0]["heard"] == turn["heard"]
    assert 1.5 < report["speaking_seconds"] < 6.0, "the time the learner spoke, from the ears' timing"
    assert report["mistakes_by_kind"] and report["words_per_minute"] > 60, report
    assert chart.startswith("<svg") and 'class="mistake"' in chart


@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (.ci/run installs it)")
def test_chromium_with_a_fake_microphone_shows_the_chunks_the_audio_states_and_the_report(
    studio: TalkStudio, tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    said = resample(noisy([utterance(SENTENCE, SPEAKERS[0])], 20.0, seed=8), 16_000, 48_000)
    wav = tmp_path / "learner.wav"  # Chromium loops this file as its microphone: the sentence, then 28 s to answer
    wav.write_bytes(
        wav_bytes(np.concatenate([np.zeros(24_000, np.int16), said, np.zeros(48_000 * 28, np.int16)]), 48_000)
    )
    flags = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
             "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
             f"--use-file-for-fake-audio-capture={wav}", "--autoplay-policy=no-user-gesture-required"]  # fmt: skip
    states: set[str] = set()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=flags)
        try:
            page = browser.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(studio.base + "/talk")
            page.wait_for_selector("#character option[value='theo']", state="attached")
            page.click("#call")
            page.wait_for_function("document.getElementById('state').textContent.startsWith('on air')", timeout=20_000)
            on_air = "(l => l && l.on_air && l.turns.length > 0)(window.talkshowTalk.lesson)"
            page.wait_for_function(on_air, timeout=40_000)  # this call's lesson, not the one before it
            lesson_id = page.evaluate("window.talkshowTalk.lesson.lesson_id")
            final: list[str] = []
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                final = page.eval_on_selector_all(
                    "#lesson .turn:first-child .chunk", "cs => cs.map(c => c.dataset.state)"
                )
                states |= set(final)
                if final and set(final) == {"played"}:
                    break
                time.sleep(0.05)
            kinds = page.eval_on_selector_all("#lesson .turn:first-child .chunk", "cs => cs.map(c => c.dataset.kind)")
            fix = page.eval_on_selector_all("#lesson .chunk.correction", "cs => cs.map(c => c.textContent)")
            page.click("#hangup")
            page.wait_for_function(f"(r => r && r.id === {lesson_id})(window.talkshowTalk.report)", timeout=20_000)
            page.wait_for_selector("#report-chart svg")
            report = page.eval_on_selector_all("#report dd", "ds => ds.map(d => d.textContent)")
            page.screenshot(path=str(tmp_path / "lesson.png"), full_page=True)
        finally:
            browser.close()
    assert not errors, errors
    assert kinds[0] == "say" and kinds[-1] == "follow_up", kinds
    assert final and set(final) == {"played"}, final
    assert "playing" in states, f"the page showed a chunk playing on its way: {states}"
    assert fix and "→" in fix[0], f"a correction shows wrong -> right with its why: {fix}"
    assert len(report) == 5 and report[3].endswith(" s"), report
