"""The writer's conversation mode: a character answers what a person just said, sentence by sentence.

Each sentence is yielded the moment it is complete, so the voice starts on it while
the rest is still being written. ``ImprovReply`` (offline) is templated: it answers in
character and repeats back what it heard, but it does not understand it.
``OpenAIReply`` asks any OpenAI-compatible chat endpoint (Ollama, llama.cpp, vLLM,
OpenAI) and streams.
"""

from __future__ import annotations

import json
import os
import random
import re
import time
from collections.abc import AsyncGenerator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx

from talkshow.config import CastMember
from talkshow.errors import InputError, WriterError
from talkshow.redact import redact_url
from talkshow.telemetry import Telemetry
from talkshow.writer.improv import topic_subject

__all__ = ["CALLER", "Exchange", "ImprovReply", "OpenAIReply", "ReplyRequest", "ReplyWriter", "SentenceSplitter"]

CALLER = "caller"  # the speaker of the person's lines in a conversation's history
MAX_REPLY_SENTENCES = 4
_SENTENCE_END = re.compile(r"[.!?…]+[\"')\]]*(?=\s)")


@dataclass(frozen=True)
class Exchange:
    """One line of a conversation: ``speaker`` is a cast id or ``CALLER``."""

    speaker: str
    text: str


@dataclass(frozen=True)
class ReplyRequest:
    """What the character answers: who it is, the show's topic, the talk so far and the person's words."""

    character: CastMember
    topic: str
    heard: str
    history: tuple[Exchange, ...] = field(default_factory=tuple)


class ReplyWriter(Protocol):
    """Writes one character's answer, streaming."""

    name: str

    def reply(self, request: ReplyRequest) -> AsyncGenerator[str, None]:
        """Yield the answer's sentences in order as each is complete."""


class SentenceSplitter:
    """Cuts streamed text into sentences as soon as each one's end has arrived."""

    def __init__(self) -> None:
        self._buffer = ""

    def feed(self, delta: str) -> list[str]:
        """Sentences completed by ``delta`` (a sentence ends at . ! ? … followed by a space)."""
        self._buffer += delta
        sentences, start = [], 0
        for end in _SENTENCE_END.finditer(self._buffer):
            sentences.append(self._buffer[start : end.end()].strip())
            start = end.end()
        self._buffer = self._buffer[start:]
        return [s for s in sentences if s]

    def rest(self) -> str:
        """What is left after the last complete sentence."""
        rest, self._buffer = self._buffer.strip(), ""
        return rest


# Each opens with a word or two on its own: the first sentence is voiced alone, so a short
# one is on air sooner (measured: the first part's synthesis was most of the wait once the
# caller's text was ready).
_OPENERS = (
    "Ha! {heard}? Now that is what I call a question.",
    "Oh! You said {heard}. I heard every word of it.",
    "Wow. {heard}! The phones are on fire tonight.",
    "Hold on. {heard}? Let me think about that for one second.",
)
_NOTHING = (
    "I did not quite catch that, caller. Say it again, a bit louder?",
    "Sorry, the line crackled. One more time?",
)
_TAKES = (
    "Here is my take: {subject} is the most important thing in this studio.",
    "If you ask me, {subject} deserves a whole show of its own.",
    "Between us, I have strong feelings about {subject}.",
    "And that brings us right back to {subject}, which I will defend to the end.",
)


class ImprovReply:
    """The offline answer: templated, in character, and it repeats back what it heard."""

    name = "improv"

    async def reply(self, request: ReplyRequest) -> AsyncGenerator[str, None]:
        """Two or three short sentences; the same words heard give the same answer."""
        pick = random.Random(f"{request.character.id}|{request.heard}|{len(request.history)}")
        heard = " ".join(request.heard.split()[:12]).strip(" .!?")
        if not heard:
            yield pick.choice(_NOTHING)
            return
        yield pick.choice(_OPENERS).format(heard=heard[0].upper() + heard[1:])
        yield pick.choice(_TAKES).format(subject=topic_subject(request.topic))
        yield f"What do you think, {pick.choice(('caller', 'friend', 'my friend'))}?"


class OpenAIReply:
    """Streams an answer from an OpenAI-compatible ``/chat/completions`` endpoint."""

    name = "openai"

    def __init__(
        self,
        model: str,
        base_url: str = "https://api.openai.com/v1",
        api_key_env: str = "OPENAI_API_KEY",
        temperature: float = 0.8,
        timeout: float = 10.0,
        telemetry: Telemetry | None = None,
    ) -> None:
        self.model = model
        self.base_url = base_url.rstrip("/")
        self.api_key = os.environ.get(api_key_env, "")
        self.temperature = temperature
        self.timeout = timeout
        self.telemetry = telemetry or Telemetry()

    async def reply(self, request: ReplyRequest) -> AsyncGenerator[str, None]:
        """Sentences as they stream in; raises WriterError naming the endpoint if it fails."""
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        body = {
            "model": self.model,
            "stream": True,
            "temperature": self.temperature,
            "max_tokens": 160,
            "messages": conversation_messages(request),
        }
        splitter = SentenceSplitter()
        started, sentences, first = time.perf_counter(), 0, True
        try:
            async with (
                httpx.AsyncClient(timeout=httpx.Timeout(self.timeout, connect=3.0)) as client,
                client.stream("POST", f"{self.base_url}/chat/completions", json=body, headers=headers) as response,
            ):
                if response.status_code != 200:
                    detail = (await response.aread())[:200].decode(errors="replace")
                    raise WriterError(f"LLM endpoint returned HTTP {response.status_code}: {detail}")
                async for raw in response.aiter_lines():
                    if not raw.startswith("data:") or raw[5:].strip() == "[DONE]":
                        continue
                    delta = _content(raw[5:])
                    if delta and first:
                        first = False
                        ms = (time.perf_counter() - started) * 1000
                        self.telemetry.emit("llm_first_token", model=self.model, ms=round(ms, 3))
                    for sentence in splitter.feed(delta):
                        yield sentence
                        sentences += 1
                        if sentences >= MAX_REPLY_SENTENCES:
                            return
        except httpx.HTTPError as exc:
            raise WriterError(f"LLM endpoint {redact_url(self.base_url)} failed: {exc!r}") from exc
        if rest := splitter.rest():
            yield rest


def conversation_messages(request: ReplyRequest) -> list[dict[str, str]]:
    """The chat messages for a reply: the persona and topic, the talk so far, the person's words."""
    me = request.character
    system = (
        f"You are {me.name}, a cartoon talk-show host. {me.persona} Tonight's topic: {request.topic}. "
        "A caller is on air with you. Answer what they said in one to three short spoken sentences, "
        "in character, funny and warm. No lists, no markdown, no stage directions."
    )
    messages = [{"role": "system", "content": system}]
    for line in request.history[-12:]:
        role = "user" if line.speaker == CALLER else "assistant"
        messages.append({"role": role, "content": line.text})
    messages.append({"role": "user", "content": request.heard or "(the caller said nothing we could hear)"})
    return messages


def _content(payload: str) -> str:
    try:
        choice = json.loads(payload)["choices"][0]
        return str(choice.get("delta", {}).get("content") or "")
    except (json.JSONDecodeError, KeyError, IndexError, TypeError, AttributeError):
        return ""


def create_improv(options: Mapping[str, Any], telemetry: Telemetry | None = None) -> ImprovReply:
    """The ``reply`` provider ``improv``: templated and offline (no options)."""
    return ImprovReply()


def create_openai(options: Mapping[str, Any], telemetry: Telemetry | None = None) -> OpenAIReply:
    """The ``reply`` provider ``openai``: any OpenAI-compatible chat endpoint (``model`` is required)."""
    if "model" not in options:
        raise InputError("talk.reply = 'openai' needs a model (talk.reply_options.model or the writer's model)")
    return OpenAIReply(
        model=str(options["model"]),
        base_url=str(options.get("base_url", "https://api.openai.com/v1")),
        api_key_env=str(options.get("api_key_env", "OPENAI_API_KEY")),
        temperature=float(options.get("temperature", 0.8)),
        timeout=float(options.get("timeout", 10.0)),
        telemetry=telemetry,
    )
