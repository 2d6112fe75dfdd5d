"""The tutor's reply: offline from the checker, or from a model checked against it; never silence."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator

import pytest

from support.chat_server import ScriptedChat
from talkshow.core.cast import CastMember, VoiceSettings
from talkshow.core.kinds.writer import FollowsAir, ReplyRequest
from talkshow.openai_api import Endpoint
from talkshow.telemetry.events import Telemetry
from talkshow.tutor.reply import TutorReply, shared_checker
from talkshow.tutor.settings import TutorSettings

# times nothing: make test runs it beside the solo tier, on the CPU those two workers leave idle
pytestmark = pytest.mark.beside

THEO = CastMember("theo", "theo", "Theo", "A warm English tutor.", VoiceSettings())
SEED_SENTENCE = "Yesterday I go to the market and buyed three apple."


def ask(tutor: TutorReply, heard: str) -> list[str]:
    async def run() -> list[str]:
        return [text async for text in tutor.reply(ReplyRequest(THEO, "English", heard))]

    return asyncio.run(run())


def test_offline_the_tutor_says_it_back_right_explains_one_thing_and_asks_more() -> None:
    tutor = TutorReply(TutorSettings(level="A2"), shared_checker(), seed=1)
    said = ask(tutor, SEED_SENTENCE)
    turn = tutor.lesson.snapshot()[-1]
    kinds = [c["kind"] for c in turn["chunks"]]
    assert kinds == ["say", "correction", "follow_up"]
    assert "Yesterday you went to the market and bought three apples" in said[0]
    correction = turn["chunks"][1]
    assert (correction["wrong"], correction["right"]) == ("go", "went"), "tense first: it changes the meaning"
    assert "past" in correction["why"]
    assert said[2].endswith("?") and "market" in said[2], "the question is about what the learner said"
    assert said == [c["text"] for c in turn["chunks"]]
    assert turn["corrected"] == "Yesterday I went to the market and bought three apples."


def test_the_higher_the_level_the_shorter_the_explanation() -> None:
    lengths = {}
    for level in ("A2", "B2", "C1"):
        said = ask(TutorReply(TutorSettings(level=level), shared_checker(), seed=1), SEED_SENTENCE)
        lengths[level] = len(said[1])
    assert lengths["A2"] > lengths["B2"] > lengths["C1"], lengths


def test_a_correct_sentence_gets_praise_and_a_question_and_no_correction() -> None:
    tutor = TutorReply(TutorSettings(), shared_checker(), seed=2)
    ask(tutor, "I visited my grandmother last weekend.")
    chunks = tutor.lesson.snapshot()[-1]["chunks"]
    assert [c["kind"] for c in chunks] == ["say", "follow_up"]
    assert "grandmother" in chunks[1]["text"]


def test_a_mistake_the_learner_repeats_is_the_one_explained() -> None:
    tutor = TutorReply(TutorSettings(), shared_checker(), seed=3)
    ask(tutor, "I have two cat and one dog.")
    ask(tutor, "My sister have three child.")  # plural again, and agreement
    ask(tutor, "Last week I buy four book.")  # tense and plural: plural is this learner's habit
    correction = tutor.lesson.snapshot()[-1]["chunks"][1]
    assert (correction["wrong"], correction["right"]) == ("book", "books")


def test_each_chunk_reports_where_its_audio_is() -> None:
    tutor = TutorReply(TutorSettings(), shared_checker(), seed=1)
    assert isinstance(tutor, FollowsAir)

    async def run() -> list[list[str]]:
        states = []
        stream = tutor.reply(ReplyRequest(THEO, "English", SEED_SENTENCE))
        index = 0
        async for text in stream:
            states.append([c["state"] for c in tutor.lesson.snapshot()[-1]["chunks"]])
            tutor.part_voiced(text, 100 + index, 1.5)  # as the conversation voices it
            index += 1
        states.append([c["state"] for c in tutor.lesson.snapshot()[-1]["chunks"]])
        tutor.part_aired(100, True)
        states.append([c["state"] for c in tutor.lesson.snapshot()[-1]["chunks"]])
        tutor.part_aired(100, False)
        tutor.part_aired(101, True)
        states.append([c["state"] for c in tutor.lesson.snapshot()[-1]["chunks"]])
        return states

    states = asyncio.run(run())
    assert states[0] == ["voicing", "queued", "queued"], "all the text at once, the first chunk voicing"
    assert states[1] == ["ready", "voicing", "queued"]
    assert states[3] == ["ready", "ready", "ready"]
    assert states[4] == ["playing", "ready", "ready"]
    assert states[5] == ["played", "playing", "ready"]
    assert [c["seconds"] for c in tutor.lesson.snapshot()[-1]["chunks"]] == [1.5, 1.5, 1.5]
    tutor.reply_cut()  # the learner talks over the correction
    tutor.part_aired(101, False)
    assert [c["state"] for c in tutor.lesson.snapshot()[-1]["chunks"]] == ["played", "cut", "cut"]


@pytest.fixture
def model() -> Iterator[list[ScriptedChat]]:
    servers: list[ScriptedChat] = []
    yield servers
    for server in servers:
        server.close()


def model_tutor(servers: list[ScriptedChat], reply: str) -> tuple[TutorReply, ScriptedChat]:
    server = ScriptedChat(lambda n: [(0.0, reply[i : i + 9]) for i in range(0, len(reply), 9)])
    servers.append(server)
    endpoint = Endpoint.from_options({"base_url": server.url}, timeout_s=5.0)
    return TutorReply(TutorSettings(), shared_checker(), ("tutor-model", endpoint), Telemetry(), seed=1), server


def test_a_model_writes_the_chunks_held_to_the_schema_and_the_checker_fills_what_it_missed(
    model: list[ScriptedChat],
) -> None:
    reply = json.dumps(
        {
            "chunks": [
                {"type": "say", "text": "Oh, a trip to the market! Lovely."},
                {"type": "correction", "text": "Say bananas.", "wrong": "bananas", "right": "banana", "why": "?"},
                {"type": "follow_up", "text": "What else did you buy there?"},
            ]
        }
    )
    tutor, server = model_tutor(model, reply)
    said = ask(tutor, SEED_SENTENCE)
    body = server.bodies[0]
    assert body["response_format"]["json_schema"]["schema"]["required"] == ["chunks"]  # type: ignore[index]
    assert "'go' -> 'went'" in json.dumps(body["messages"]), "the model is told what the checker found"
    assert said[0] == "Oh, a trip to the market! Lovely."
    assert not any("bananas" in s for s in said), "a correction of words the learner never said is dropped"
    assert "'went', not 'go'" in said[1], "the error the model let pass is corrected from the checker"
    assert said[2] == "What else did you buy there?"
    assert tutor.lesson.snapshot()[-1]["source"] == "model"


@pytest.mark.parametrize(
    "reply",
    ["Sure! You went to the market.", '{"chunks": [{"type": "say", "text": "Nice!"}, {"type": "yell"', ""],
)
def test_a_malformed_model_reply_ends_in_the_offline_tutor_never_silence(model: list[ScriptedChat], reply: str) -> None:
    tutor, _ = model_tutor(model, reply)
    said = ask(tutor, SEED_SENTENCE)
    assert said, "something is always said"
    assert any("'went', not 'go'" in s for s in said), said
    assert said[-1].endswith("?")
    assert tutor.lesson.snapshot()[-1]["source"] == "fallback"
