"""The writer's conversation mode: a character answers what a person just said, sentence by sentence.

Each sentence is yielded the moment it is complete, so the voice starts on it while
the rest is still being written. ``ImprovReply`` (offline) is templated: it finds what kind
of thing was said (a name, the topic, an opinion...) and answers that in character.
``OpenAIReply`` asks any OpenAI-compatible chat endpoint (Ollama, llama.cpp, vLLM,
OpenAI) and streams.
"""

from __future__ import annotations

import contextlib
import random
from collections.abc import AsyncGenerator, Mapping
from typing import Any

from talkshow.core.errors import InputError, WriterError
from talkshow.core.kinds.writer import CALLER, Exchange, ReplyRequest
from talkshow.core.recall import Recollection, as_prompt, when_said
from talkshow.openai_api import ChatStream, Endpoint, EndpointError
from talkshow.sentences import SentenceSplitter
from talkshow.telemetry.events import Telemetry
from talkshow.writer.answers import answer, understand
from talkshow.writer.improv import topic_subject

__all__ = ["ImprovReply", "OpenAIReply", "SentenceSplitter", "history_window", "streamed_sentences"]

MAX_REPLY_SENTENCES = 4
HISTORY_BLOCK = 12  # lines of the conversation the prompt keeps: 12 to 23, dropped 12 at a time


class ImprovReply:
    """The offline answer: it finds what kind of thing was said and answers that, in character (``answers``)."""

    name = "improv"

    async def reply(self, request: ReplyRequest) -> AsyncGenerator[str, None]:
        """One to three short sentences, the first answering what was heard; the same words, the same answer."""
        me = request.character
        pick = random.Random(f"{me.id}|{request.heard}|{len(request.history)}")
        heard = understand(request.heard)
        topic = request.topic.strip().rstrip("?.! ") or "everything"
        for sentence in answer(heard, me.name, me.temperament, topic, topic_subject(request.topic), pick):
            yield sentence
        # A callback to a viewer's or caller's earlier words; a character's own old line would only be repeated.
        people = [m for m in request.memories if m.kind in ("question", "caller")]
        if people and heard.kind != "nothing":
            yield callback(people[0], request.heard)


def callback(memory: Recollection, heard: str) -> str:
    """One sentence that calls back to what a viewer asked or a caller said ("Sam asked me that last week!")."""
    when = when_said(memory.at)
    if memory.kind == "question":
        same = memory.text.strip().lower().rstrip("?!. ") == heard.strip().lower().rstrip("?!. ")
        return (
            f"{memory.who} asked me that {when}, too!"
            if same
            else f"{memory.who} asked me about {memory.topic} {when}!"
        )
    return f"A caller brought this up {when}, too."


class OpenAIReply:
    """Streams an answer from an OpenAI-compatible ``/chat/completions`` endpoint."""

    name = "openai"

    def __init__(self, model: str, endpoint: Endpoint, telemetry: Telemetry, temperature: float = 0.8) -> None:
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
        async with contextlib.aclosing(streamed_sentences(self.chat.deltas(body), MAX_REPLY_SENTENCES)) as sentences:
            async for sentence in sentences:
                yield sentence

    async def aclose(self) -> None:
        """Close the connection to the endpoint."""
        await self.chat.aclose()


async def streamed_sentences(
    deltas: AsyncGenerator[str, None], limit: int, drop_cut_tail: bool = False
) -> AsyncGenerator[str, None]:
    """The sentences of a streamed reply as each completes, at most ``limit``; an endpoint's failure is a WriterError.

    The text after the last sentence end is yielded too, unless ``drop_cut_tail`` and a sentence came
    before it and it does not end like one (a reply cut off by its token limit).
    """
    splitter, count = SentenceSplitter(), 0
    try:
        async with contextlib.aclosing(deltas):
            async for delta in deltas:
                for sentence in splitter.feed(delta):
                    yield sentence
                    count += 1
                    if count >= limit:
                        return
    except EndpointError as exc:
        raise WriterError(str(exc)) from exc
    rest = splitter.rest().strip()
    if rest and not (drop_cut_tail and count and rest[-1] not in ".!?"):
        yield rest


def history_window(history: tuple[Exchange, ...], block: int) -> tuple[Exchange, ...]:
    """The last ``block`` to ``2 * block - 1`` lines of a conversation, its start moved on a whole block at a time.

    So the prompt's prefix (what comes before, then the oldest lines kept) stays the same from one reply
    to the next, and a local server reuses its evaluated tokens for it instead of evaluating them again.
    """
    start = max(0, len(history) - block) // block * block
    return history[start:]


def conversation_messages(request: ReplyRequest) -> list[dict[str, str]]:
    """The chat messages for a reply: the persona and topic, the talk so far, the person's words."""
    me = request.character
    system = (
        f"You are {me.name}, a cartoon talk-show host. {me.persona} Tonight's topic: {request.topic}. "
        "A caller is on air with you. First answer exactly what they asked or said, then add at most two short "
        "sentences, in character, funny and warm. Never make up facts about the caller. "
        "No lists, no markdown, no stage directions."
    )
    if me.examples:  # from the character's card: how it talks, to imitate, never to repeat
        system += "\nHow you talk (examples, do not repeat them):\n" + "\n".join(me.examples)
    if request.facts:  # retrieval: what the knowledge base holds that answers the caller, to be said, not doubted
        system += "\nFacts from the reference book that answer the caller (use them):\n" + "\n".join(request.facts)
    if request.memories:  # quoted data from earlier shows: something to call back to, never instructions
        system += "\nYou remember these from earlier shows; bring one up only if it fits:\n"
        system += as_prompt(request.memories)
    messages = [{"role": "system", "content": system}]
    for line in history_window(request.history, HISTORY_BLOCK):
        role = "user" if line.speaker == CALLER else "assistant"
        messages.append({"role": role, "content": line.text})
    messages.append({"role": "user", "content": request.heard or "(the caller said nothing we could hear)"})
    return messages


def create_improv(options: Mapping[str, Any], telemetry: Telemetry) -> ImprovReply:
    """The ``reply`` provider ``improv``: templated and offline (no options)."""
    return ImprovReply()


def create_openai(options: Mapping[str, Any], telemetry: Telemetry) -> OpenAIReply:
    """The ``reply`` provider ``openai``: any OpenAI-compatible chat endpoint (``model`` is required)."""
    if "model" not in options:
        raise InputError("talk.reply = 'openai' needs a model (talk.reply_options.model or the writer's model)")
    endpoint = Endpoint.from_options(options, timeout_s=10.0)
    return OpenAIReply(str(options["model"]), endpoint, telemetry, float(options.get("temperature", 0.8)))
