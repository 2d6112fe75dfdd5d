"""The writer's conversation mode: a character answers what a person just said, sentence by sentence.

Each sentence is yielded the moment it is complete, so the voice starts on it while
the rest is still being written. ``ImprovReply`` (offline) is templated: it answers in
character and repeats back what it heard, but it does not understand it.
``OpenAIReply`` asks any OpenAI-compatible chat endpoint (Ollama, llama.cpp, vLLM,
OpenAI) and streams.
"""

from __future__ import annotations

import contextlib
import random
from collections.abc import AsyncGenerator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from talkshow.config import CastMember
from talkshow.errors import InputError, WriterError
from talkshow.openai_api import ChatStream, Endpoint, EndpointError
from talkshow.sentences import SentenceSplitter
from talkshow.telemetry import Telemetry
from talkshow.writer.improv import topic_subject

__all__ = ["CALLER", "Exchange", "ImprovReply", "OpenAIReply", "ReplyRequest", "ReplyWriter", "SentenceSplitter"]

CALLER = "caller"  # the speaker of the person's lines in a conversation's history
MAX_REPLY_SENTENCES = 4


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
        self, model: str, endpoint: Endpoint, temperature: float = 0.8, telemetry: Telemetry | None = None
    ) -> None:
        self.model = model
        self.temperature = temperature
        self.chat = ChatStream(endpoint, telemetry, connect_s=3.0)  # one connection for the whole call

    async def reply(self, request: ReplyRequest) -> AsyncGenerator[str, None]:
        """Sentences as they stream in; raises WriterError naming the endpoint if it fails."""
        body = {
            "model": self.model,
            "temperature": self.temperature,
            "max_tokens": 160,
            "messages": conversation_messages(request),
        }
        splitter, sentences = SentenceSplitter(), 0
        try:
            async with contextlib.aclosing(self.chat.deltas(body)) as deltas:
                async for delta in deltas:
                    for sentence in splitter.feed(delta):
                        yield sentence
                        sentences += 1
                        if sentences >= MAX_REPLY_SENTENCES:
                            return
        except EndpointError as exc:
            raise WriterError(str(exc)) from exc
        if rest := splitter.rest():
            yield rest

    async def aclose(self) -> None:
        """Close the connection to the endpoint."""
        await self.chat.aclose()


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


def create_improv(options: Mapping[str, Any], telemetry: Telemetry | None = None) -> ImprovReply:
    """The ``reply`` provider ``improv``: templated and offline (no options)."""
    return ImprovReply()


def create_openai(options: Mapping[str, Any], telemetry: Telemetry | None = None) -> OpenAIReply:
    """The ``reply`` provider ``openai``: any OpenAI-compatible chat endpoint (``model`` is required)."""
    if "model" not in options:
        raise InputError("talk.reply = 'openai' needs a model (talk.reply_options.model or the writer's model)")
    endpoint = Endpoint.from_options(options, timeout_s=10.0)
    return OpenAIReply(str(options["model"]), endpoint, float(options.get("temperature", 0.8)), telemetry)
