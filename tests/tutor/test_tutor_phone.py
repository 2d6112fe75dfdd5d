"""The tutor on the phone: a learner calls over Twilio Media Streams, and hears Theo's correction spoken."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from support.paths import SHOWS
from support.phone_calls import NUMBERS, REPLY_WITHIN_S, answered, caller_speech, heard_between, reply_onset
from support.phone_studio import PhoneStudio
from talkshow.audio import resample
from talkshow.testing.phone_client import MediaStreamClient

pytestmark = [pytest.mark.slow, pytest.mark.solo]

SENTENCE = "Yesterday I go to the market and buyed three apple."


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PhoneStudio]:
    folder = tmp_path_factory.mktemp("tutor-phone")
    (folder / "theo.json").write_text((SHOWS / "theo.json").read_text())
    text = (SHOWS / "tutor.toml").read_text()
    start, end = text.index("[phone]"), text.index("[[cast]]")
    running = PhoneStudio(folder, 'character = "theo"\n', show_text=text[:start] + text[end:])
    yield running
    running.close()


def test_a_phone_learner_hears_the_greeting_the_sentence_put_right_and_a_question(studio: PhoneStudio) -> None:
    from talkshow.talk.providers import make_stt
    from talkshow.talk.settings import TalkSettings

    async def call() -> tuple[Any, float, float, dict[str, Any]]:
        client = MediaStreamClient(studio.twilio_url, caller=NUMBERS[1])
        await answered(client, studio)
        sent = await client.speak(caller_speech(SENTENCE, seed=11))
        onset = await reply_onset(client, sent, REPLY_WITHIN_S + 2)
        await client.wait_for_quiet(1.2, timeout=30)
        async with httpx.AsyncClient() as http:
            lesson = (await http.get(studio.base + "/api/tutor/lesson")).json()
        heard = heard_between(client, onset, time.perf_counter())
        await client.hang_up()
        return heard, sent, onset, lesson

    heard, sent, onset, lesson = asyncio.run(call())
    assert onset - sent < REPLY_WITHIN_S, f"the tutor answered {onset - sent:.2f} s after the learner stopped"
    greeting = studio.events("talk_started")[-1]
    assert greeting["character"] == "theo" and greeting["transport"] == "twilio"
    turn = lesson["turns"][-1]
    correction = next(c for c in turn["chunks"] if c["kind"] == "correction")
    # What the learner heard down the line (8 kHz mu-law), heard back by the default ears: Theo's reply.
    stt = make_stt(TalkSettings())
    try:
        said = stt.transcribe(resample(heard, 8_000, 16_000), 16_000).text.lower()
    finally:
        stt.close()  # type: ignore[attr-defined]
    assert correction["right"].lower() in said, f"the correction {correction['right']!r} was spoken: {said!r}"
    assert "market" in said, json.dumps(turn)
