"""The tutor show end to end: a learner calls over WebRTC (aiortc), speaks with errors, and hears Theo's chunks."""

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


async def _lesson(base: str) -> dict[str, Any]:
    async with httpx.AsyncClient() as http:
        reply = await http.get(base + "/api/tutor/lesson")
        return reply.json() if reply.status_code == 200 else {}


def test_a_learner_speaks_and_the_page_follows_every_chunk_from_queued_to_played(studio: TalkStudio) -> None:
    async def call() -> tuple[list[dict[str, Any]], list[str]]:
        client = TalkClient(studio.base)
        assert await client.connect() == 201
        await client.wait_for_show()
        await client.wait_for_quiet(0.6, timeout=40)
        speech = resample(utterance(SENTENCE, SPEAKERS[0]), 16_000, 48_000)
        await client.speak(CallerClip.in_noise(speech, 20.0, seed=4))
        seen: list[str] = []  # every state each chunk passed through, as the page polled it
        deadline = time.perf_counter() + LESSON_WITHIN_S
        turns: list[dict[str, Any]] = []
        while time.perf_counter() < deadline:
            turns = (await _lesson(studio.base)).get("turns", [])
            for turn in turns:
                seen += [f"{turn['turn']}:{i}:{c['state']}" for i, c in enumerate(turn["chunks"])]
            if turns and turns[-1]["chunks"] and all(c["state"] == "played" for c in turns[-1]["chunks"]):
                break
            await asyncio.sleep(0.1)
        await client.close()
        return turns, seen

    turns, seen = asyncio.run(call())
    assert turns, "the learner's turn is in the lesson"
    turn = turns[-1]
    chunks = turn["chunks"]
    assert [c["state"] for c in chunks] == ["played"] * len(chunks), turn
    assert chunks[0]["kind"] == "say" and chunks[-1]["kind"] == "follow_up", turn
    assert all(c["seconds"] > 0.3 for c in chunks), "each chunk says how long its audio is"
    first = [s for s in seen if s.startswith(f"{turn['turn']}:0:")]
    assert "playing" in {s.rsplit(":", 1)[1] for s in first}, f"the page saw the first chunk playing: {first}"
    assert any(c["kind"] == "correction" for c in chunks), f"heard {turn['heard']!r}, corrected nothing"
