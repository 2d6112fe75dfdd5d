"""The ``llama-server:`` and ``openai:`` paths end to end on a real llama.cpp server (llama-cpp-python's, SmolLM2).

The show's writer, the talk reply, a chat answer on a served show and the moderation judge, each
built the way ``--brain`` builds it, against a real model: whatever a 135M model writes, every
line comes from the cast and airs (the model's or the improv fallback's), a reply streams within
its limits, and a judge that answers anything but safe or unsafe holds the line (fails closed).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from support.chat_servers import TwitchIrcServer, privmsg, twitch_chat_show
from talkshow.bench.serving import Served
from talkshow.brain import with_brain
from talkshow.chat.host import NO_ANSWER
from talkshow.config import show_from_topic
from talkshow.core.kinds.writer import CALLER, Exchange, Line, ReplyRequest, WriteRequest
from talkshow.llm.models import brain_file
from talkshow.llm.server import LlamaServer
from talkshow.moderation.build import build_gate
from talkshow.moderation.judge import ChatJudge
from talkshow.moderation.settings import ModerationSettings
from talkshow.openai_api import Endpoint
from talkshow.talk.providers import make_replier
from talkshow.talk.settings import TalkSettings
from talkshow.telemetry.events import MemorySink, Telemetry
from talkshow.writer.build import make_writer
from talkshow.writer.knowledge_reply import KnowledgeReply
from talkshow.writer.reply import MAX_REPLY_SENTENCES, OpenAIReply

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def smollm() -> Iterator[LlamaServer]:
    # Started as a server brain should be: requests queue. llama-cpp-python's server cuts the request
    # streaming when another comes (its default), and then the show's writer and an answer cut each other.
    # One thread: these tests are about the protocol, and llama.cpp's threads wait for each other by
    # spinning, so two servers of two threads each on two cores (the other test module's beside this
    # one) slowed a 40-token request past 20 s.
    with LlamaServer(brain_file("smollm2-135m"), threads=1, interrupt_requests=False) as server:
        yield server


def test_the_show_writer_on_a_real_model_airs_every_line_from_the_cast(smollm: LlamaServer) -> None:
    config = with_brain(show_from_topic("is cereal a soup"), f"llama-server:{smollm.base_url}")
    sink = MemorySink()
    telemetry = Telemetry([sink])
    writer = make_writer(config.writer, Path("."), telemetry)
    request = WriteRequest(topic="is cereal a soup", cast=config.cast, turns=4, seed=3)

    async def write() -> list[Line]:
        async with contextlib.aclosing(writer.lines(request)) as lines:
            return [line async for line in lines]

    lines = asyncio.run(write())
    ids = {member.id for member in config.cast}
    assert len(lines) == 4 and all(line.speaker in ids and line.text.strip() for line in lines), lines
    assert sink.of_kind("llm_first_token"), "the model was asked, and streamed"


def test_the_talk_reply_on_a_real_model_streams_a_short_answer_that_uses_the_call(smollm: LlamaServer) -> None:
    config = with_brain(show_from_topic("moons"), f"llama-server:{smollm.base_url}")
    replier = make_replier(config.section(TalkSettings), config.writer, Telemetry())
    assert isinstance(replier, KnowledgeReply) and isinstance(replier.inner, OpenAIReply)  # facts go in its prompt
    duke = config.cast[0]
    history = (Exchange(CALLER, "My name is Sam."), Exchange(duke.id, "Welcome to the show, Sam!"))
    request = ReplyRequest(character=duke, topic="moons", heard="Can you say my name?", history=history)

    async def ask() -> list[str]:
        async with contextlib.aclosing(replier.reply(request)) as reply:
            return [sentence async for sentence in reply]

    sentences = asyncio.run(ask())
    assert 1 <= len(sentences) <= MAX_REPLY_SENTENCES, sentences
    assert all(s.strip() for s in sentences)


def test_a_chat_question_is_answered_on_air_by_the_real_model(
    smollm: LlamaServer, tmp_path: Path, shows_dir: Path
) -> None:
    """``talkshow serve --brain llama-server:URL``: a Twitch viewer's question is written by the model, judged,
    voiced and aired by the character it was asked of, and is in the transcript."""
    irc = TwitchIrcServer()
    # The one-thread model writes the show's lines too, and the answer queues behind them, on two cores the other
    # test workers share: the default 8 s for a reply's first words was missed once (seed 721789), and the
    # answer became the chat host's NO_ANSWER. This test is about the path, not the model's speed.
    show = twitch_chat_show(tmp_path, shows_dir, irc, more="[talk]\nreply_timeout_s = 40\n")
    trace = tmp_path / "trace.jsonl"
    args = [str(show), "--hls-dir", str(tmp_path / "hls"), "--db", str(tmp_path / "studio.sqlite3")]
    args += ["--trace", str(trace), "--turns", "20", "--twitch", "#Lambo", "--brain", f"llama-server:{smollm.base_url}"]
    served = Served(args, tmp_path / "serve.log", {}, ready_path="/api/status", also=irc.joined.is_set)
    try:
        irc.send(privmsg("!ask duke what colour is the sky on a clear day?", "11", "Sam", "sky-1"))
        deadline = time.monotonic() + 90  # the model also writes the show's lines on the same two cores
        while httpx.get(served.base + "/api/chat").json()["counts"].get("answered", 0) < 1:
            assert time.monotonic() < deadline, httpx.get(served.base + "/api/chat").json()
            time.sleep(0.3)
        lines = httpx.get(served.base + "/api/lines?limit=200").json()["lines"]
    finally:
        served.stop(timeout=20)
        irc.close()
    events = [json.loads(line) for line in trace.read_text().splitlines()]
    aired = [e for e in events if e["kind"] == "chat_question_aired"]
    assert [e["question"] for e in aired] == ["what colour is the sky on a clear day?"], aired
    answer = aired[0]["answer"]
    assert aired[0]["character"] == "duke" and answer.strip() and answer != NO_ANSWER, answer
    assert any(e["kind"] == "llm_first_token" for e in events), "the model was asked, and streamed"
    assert any(line["speaker"] == "duke" and line["text"] in answer for line in lines), (answer, lines[-5:])
    assert "could not warm" not in (tmp_path / "serve.log").read_text()  # llama-cpp-python's server has no /health


def test_the_gate_with_a_real_model_as_judge_airs_a_line_only_when_the_model_said_safe(smollm: LlamaServer) -> None:
    """Stage 1 and the check by meaning off, so the judge decides alone: each line's verdict at the gate
    follows the model's own answer, and an answer that is neither safe nor unsafe holds the line (fails closed)."""
    options = {"model": "local", "base_url": smollm.base_url, "timeout": 20.0}
    settings = ModerationSettings(classifier=False, builtin_blocklist=False, meaning=False, semantic="judge",
                                  semantic_options=options, timeout_s=20.0)  # fmt: skip
    judge = ChatJudge(Endpoint(smollm.base_url, "", 20.0), "local")
    lines = ("What a lovely day for a drive!", "I will hurt you after the show.", "Pineapple belongs on pizza.")
    with build_gate(settings, Telemetry()) as gate:
        for text in lines:
            try:
                said_safe = judge.check(text).allowed  # the same model, asked the same way (temperature 0)
            except ValueError:
                said_safe = False
            verdict = gate.review(text, "caller")
            assert verdict.allowed == said_safe, (text, verdict)
            assert verdict.allowed or verdict.stage == "judge", verdict
    judge.close()


def test_a_judge_held_to_the_verdict_schema_always_gives_a_verdict(smollm: LlamaServer) -> None:
    """Free text from this model is never a verdict (above); held to the JSON schema by the server's grammar,
    every answer is one, and the gate airs exactly the lines the model called safe."""
    import httpx

    from talkshow.moderation.judge import JUDGE_INSTRUCTIONS, VERDICT_SCHEMA

    options = {"model": "local", "base_url": smollm.base_url, "timeout": 20.0, "structured": True}
    settings = ModerationSettings(classifier=False, builtin_blocklist=False, meaning=False, semantic="judge",
                                  semantic_options=options, timeout_s=20.0)  # fmt: skip
    lines = ("What a lovely day for a drive!", "I will hurt you after the show.", "Pineapple belongs on pizza.")
    with build_gate(settings, Telemetry()) as gate, httpx.Client(base_url=smollm.base_url, timeout=20) as client:
        for text in lines:
            body = {"model": "local", "temperature": 0, "max_tokens": 40,
                    "messages": [{"role": "system", "content": JUDGE_INSTRUCTIONS}, {"role": "user", "content": text}],
                    "response_format": {"type": "json_object", "schema": VERDICT_SCHEMA}}  # fmt: skip
            raw = client.post("/chat/completions", json=body).json()["choices"][0]["message"]["content"]
            answer = json.loads(raw)  # the grammar allows nothing but the schema
            assert answer["verdict"] in ("safe", "unsafe") and answer["category"] in VERDICT_SCHEMA["properties"][
                "category"]["enum"], raw  # fmt: skip
            verdict = gate.review(text, "caller")
            assert verdict.stage == "judge" and verdict.allowed == (answer["verdict"] == "safe"), (text, raw, verdict)
