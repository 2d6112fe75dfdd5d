"""Co-host mode end to end: a real `talkshow serve shows/cohost.toml`, the streamer on the line over WebRTC (aiortc),
speech made here in a voice no character has; moments pushed through the studio API as an agent would."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from support.paths import SHOWS
from support.serve import TalkStudio, start_talk_studio
from support.spoken import SPEAKERS, utterance
from talkshow.audio import resample
from talkshow.cohost.settings import STREAM_CALL_S, CohostSettings, cohost_show
from talkshow.show_file import read_show
from talkshow.talk.settings import TalkSettings
from talkshow.testing.talk_client import CallerClip, TalkClient

pytestmark = [pytest.mark.slow, pytest.mark.solo]

REACTION_WITHIN_S = 1.2  # the target at p90, from the end of the streamer's sentence to the first audio
MARGIN_S = 1.8  # one sample on 2 shared cores beside the show's own render


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TalkStudio]:
    running = start_talk_studio(tmp_path_factory.mktemp("cohost"), (SHOWS / "cohost.toml").read_text())
    with running.served:
        yield running


def test_the_cohost_show_file_makes_the_streamers_call_last_a_stream() -> None:
    config, _ = read_show(SHOWS / "cohost.toml")
    assert config.section(CohostSettings) == CohostSettings(True, "duke", False)
    talk = cohost_show(config).section(TalkSettings)
    assert talk.character == "duke" and talk.max_call_s == STREAM_CALL_S


def test_the_cohost_runs_no_topic_answers_the_streamer_and_reacts_to_a_pushed_moment(studio: TalkStudio) -> None:
    async def stream() -> tuple[float, float, dict[str, Any], list[dict[str, Any]]]:
        client = TalkClient(studio.base)
        assert await client.connect() == 201
        await client.wait_for_show()
        await client.wait_for_quiet(0.6, timeout=40)
        said = resample(utterance("okay chat, I think this boss is impossible", SPEAKERS[1]), 16_000, 48_000)
        sent_at = await client.speak(CallerClip.in_noise(said, 20.0, seed=5))
        deadline = time.perf_counter() + REACTION_WITHIN_S + MARGIN_S + 3
        while (onset := client.heard.audio_onset_after(sent_at)) is None and time.perf_counter() < deadline:
            await asyncio.sleep(0.02)
        await client.wait_for_quiet(0.8, timeout=30)
        async with httpx.AsyncClient(timeout=20) as http:
            pushed = await http.post(
                studio.base + "/api/react",
                json={"character": "duke", "moment": "the streamer just lost the boss fight"},
            )
            reacted_at = time.perf_counter()
            lines: list[dict[str, Any]] = []
            while time.perf_counter() - reacted_at < 8:
                lines = (await http.get(studio.base + "/api/lines")).json()["lines"]
                if any(line["source"] == "say" and line["status"] in ("on_air", "done") for line in lines):
                    break
                await asyncio.sleep(0.1)
        await client.close()
        return sent_at, onset if onset is not None else float("inf"), pushed.json(), lines

    sent_at, onset, pushed, lines = asyncio.run(stream())
    assert onset - sent_at <= REACTION_WITHIN_S + MARGIN_S, f"first reply audio {onset - sent_at:.2f} s after"
    assert pushed.get("line") and pushed.get("character") == "duke", pushed
    aired = [line for line in lines if line["source"] == "say" and line["status"] in ("on_air", "done")]
    assert aired and aired[-1]["text"] == pushed["line"], "the reaction to the pushed moment aired"
    writer_lines = [line for line in lines if line["source"] == "writer"]
    assert not writer_lines, f"a co-host runs no debate of its own, not even prepared: {writer_lines[:2]}"
    status = httpx.get(studio.base + "/api/status").json()
    assert status["holding"] is True and status["shows_started"] == 0 and status["show"] is None, status
