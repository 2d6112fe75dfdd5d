"""The brain: one setting puts both writers on a local LLM server, keeps it warm, and keeps the prompt's prefix."""

from __future__ import annotations

import asyncio
import contextlib

import pytest

from support.chat_server import ScriptedChat
from talkshow.brain import brain_writer, keep_warm, with_brain
from talkshow.config import show_from_topic
from talkshow.core.errors import InputError
from talkshow.core.kinds.writer import CALLER, Exchange, ReplyRequest
from talkshow.talk.providers import make_replier, reply_kind
from talkshow.talk.settings import TalkSettings
from talkshow.telemetry.events import Telemetry
from talkshow.writer.knowledge_reply import KnowledgeReply
from talkshow.writer.reply import OpenAIReply, conversation_messages

# times nothing: make test runs it beside the solo tier, on the CPU those two workers leave idle
pytestmark = pytest.mark.beside


def test_each_form_names_its_server_and_a_bad_one_lists_the_forms() -> None:
    ollama = brain_writer("ollama:qwen2.5:3b@http://gpu:11434/")
    assert ollama.kind == "openai"
    assert ollama.options == {"model": "qwen2.5:3b", "base_url": "http://gpu:11434/v1", "server": "ollama"}
    assert brain_writer("ollama:llama3.2").options["base_url"] == "http://127.0.0.1:11434/v1"
    llama = brain_writer("llama-server:http://127.0.0.1:8080/v1").options
    assert (llama["base_url"], llama["server"]) == ("http://127.0.0.1:8080/v1", "llama.cpp")
    assert brain_writer("openai:gpt-4o-mini").options == {"model": "gpt-4o-mini"}
    for bad in ("ollama", "ollama:", "gemini:pro", "llama-server:127.0.0.1:8080"):
        with pytest.raises(InputError, match="ollama:MODEL"):
            brain_writer(bad)


def test_both_writers_follow_the_brain() -> None:
    config = with_brain(show_from_topic("moons"), "ollama:tiny@http://127.0.0.1:9")
    assert (
        config.writer.options["model"] == "tiny" and reply_kind(config.section(TalkSettings), config.writer) == "openai"
    )
    replier = make_replier(config.section(TalkSettings), config.writer, Telemetry())
    assert isinstance(replier, KnowledgeReply) and replier.guesses  # the facts found go in the server's prompt
    assert isinstance(replier.inner, OpenAIReply) and replier.inner.model == "tiny"


def test_ollama_is_loaded_at_start_through_its_native_api_and_kept_loaded() -> None:
    chat = ScriptedChat(lambda n: [(0.0, "Hi.")])
    writer = brain_writer(f"ollama:tiny@{chat.url.removesuffix('/v1')}")

    async def run() -> None:
        task = asyncio.ensure_future(keep_warm(writer, every_s=0.1))
        while len(chat.native) < 3:
            await asyncio.sleep(0.02)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    try:
        asyncio.run(asyncio.wait_for(run(), 10))
    finally:
        chat.close()
    assert chat.native[:3] == [("/api/generate", {"model": "tiny", "keep_alive": "30m"})] * 3


def test_a_llama_server_is_asked_once_whether_it_is_ready_and_a_dead_one_is_only_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    chat = ScriptedChat(lambda n: [(0.0, "Hi.")])
    try:
        asyncio.run(asyncio.wait_for(keep_warm(brain_writer(f"llama-server:{chat.url}")), 10))
    finally:
        chat.close()
    assert chat.native == [("/health", {})]
    asyncio.run(asyncio.wait_for(keep_warm(brain_writer("llama-server:http://127.0.0.1:9")), 10))
    assert "could not warm local at http://127.0.0.1:9/v1" in caplog.text


def test_the_prompt_keeps_its_prefix_from_reply_to_reply() -> None:
    config = show_from_topic("why there's a lambo in the room")
    duke = config.cast[0]
    history: list[Exchange] = []
    prompts = []
    for turn in range(30):
        request = ReplyRequest(duke, config.topic, f"question {turn}", tuple(history))
        prompts.append(conversation_messages(request))
        history += [Exchange(CALLER, f"question {turn}"), Exchange(duke.id, f"answer {turn}")]
    assert duke.persona in prompts[0][0]["content"] and "lambo" in prompts[0][0]["content"]
    kept = sum(prompts[n][:-1] == prompts[n + 1][: len(prompts[n]) - 1] for n in range(len(prompts) - 1))
    assert kept >= 26, f"the prefix changed in {29 - kept} of 29 replies"
    assert max(len(p) for p in prompts) <= 1 + 24 + 1, "the history stays bounded"
