"""A character's answer from a plain completion: the show as a transcript, the model writing the next line.

Small base models (the embedded Gemma 3 270M is pretrained, not tuned to chat) answer far
better when they continue a transcript than when they are given chat turns: the prompt is
who the character is, a few exchanges in its voice (its card's example dialogue, or ours),
the call so far, the caller's words, and the character's name with a colon. The line ends at
the next newline (a new speaker), so it is one turn, streamed sentence by sentence.

The examples never hold the answers of questions callers ask most (a model this small copies
its examples' numbers): they show the shape of an answer, a straight reply and then a quip.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncGenerator, Mapping
from typing import Any

from talkshow.core.errors import InputError
from talkshow.core.kinds.writer import CALLER, ReplyRequest
from talkshow.core.recall import Recollection
from talkshow.openai_api import ChatStream, Endpoint
from talkshow.telemetry.events import Telemetry
from talkshow.writer.reply import history_window, streamed_sentences

__all__ = ["TranscriptReply", "create", "transcript_prompt"]

MAX_SENTENCES = 3
MAX_TOKENS = 64  # two or three short sentences; a model that rambles is cut here and at the sentence limit
HISTORY_LINES = 8
MEMORY_WORDS = 12
CALLER_NAME = "Caller"
# The shape of an answer: what was asked, answered first (a number, a name, a yes or a no, a side
# taken, what the caller said before), then a quip. None holds an answer callers often ask for.
EXAMPLES = (
    ("How many sides does a triangle have?", "Three. Simple, like my rivals."),
    ("What's the capital of Italy?", "Rome. I've been twice, first class both times."),
    ("What color is grass?", "Green. Like my rivals, with envy."),
    ("Is fire hot?", "Yes, it is. Almost as hot as my ratings."),
    ("Can a horse fly?", "No, it can't. Only my career flies."),
    ("What do you call a baby sheep?", "A lamb. Cute, but not as cute as me."),
    ("Which is heavier, a truck or a bike?", "A truck, by a mile. Especially mine."),
    ("What do you think about rainy days?", "Rainy days? Perfect for polishing the car indoors."),
    ("Coffee or tea?", "Coffee, always. Tea is for people who lose debates."),
    ("My dog is called Rex.", "Rex! A strong name for a strong dog."),
    ("What's my dog called?", "Rex. I never forget a name."),
    ("And if I got two more dogs, how many would I have?", "Three dogs. A pack worthy of a champion."),
)


def transcript_prompt(request: ReplyRequest) -> str:
    """The transcript the model continues: the show, the character, examples, the call, and its cue."""
    me = request.character
    lines = [
        f"This is a transcript of a live cartoon talk show. Tonight's topic: {request.topic}.",
        f"{me.name} is the host. {me.persona}".strip(),
        f"{me.name} always answers the caller's question first, correctly and directly, then adds one short quip.",
        "",
    ]
    if me.examples:  # the character's own card: its voice
        lines += [line.replace(f"{CALLER}:", f"{CALLER_NAME}:") for line in me.examples]
    else:
        for asked, said in EXAMPLES:
            lines += [f"{CALLER_NAME}: {asked}", f"{me.name}: {said}"]
    for exchange in history_window(request.history, HISTORY_LINES):  # moved on in blocks: the prefix is reused
        who = CALLER_NAME if exchange.speaker == CALLER else me.name
        lines.append(f"{who}: {' '.join(exchange.text.split())}")
    heard = " ".join(request.heard.split()) or "(silence)"
    for fact in request.facts:  # the fact first, the question second: the model only has to say it
        lines.append(f"(Fact from the reference book: {fact}.)")
    lines.append(f"{CALLER_NAME}: {heard}")
    if request.memories:  # new with every question: last, so all before is reused; one, short: each token costs
        lines.append(f"(From an earlier show, for a callback if it fits: {_briefly(request.memories[0])})")
    lines.append(f"{me.name}:")
    return "\n".join(lines)


def _briefly(memory: Recollection) -> str:
    """``Sam asked "is a hot dog a sandwich"``: the closest memory in a dozen words (quoted: data, not orders)."""
    words = " ".join(memory.text.split()).replace('"', "'").split()
    said = " ".join(words[:MEMORY_WORDS]) + ("..." if len(words) > MEMORY_WORDS else "")
    return f'{memory.who} {"asked" if memory.kind == "question" else "said"} "{said}"'


class TranscriptReply:
    """Streams an answer from an OpenAI-compatible ``/completions`` endpoint, prompted as a transcript."""

    name = "transcript"

    def __init__(
        self, model: str, endpoint: Endpoint, telemetry: Telemetry, temperature: float = 0.0, top_k: int = 20
    ) -> None:
        self.model = model
        self.temperature = temperature
        self.top_k = top_k
        self.stream = ChatStream(endpoint, telemetry, connect_s=3.0)

    async def reply(self, request: ReplyRequest) -> AsyncGenerator[str, None]:
        """Sentences as they stream in; raises WriterError naming the endpoint if it fails."""
        body = {
            "model": self.model,
            "prompt": transcript_prompt(request),
            "max_tokens": MAX_TOKENS,
            "temperature": self.temperature,
            "top_k": self.top_k,
            "repeat_penalty": 1.15,
            "stop": ["\n", f"{CALLER_NAME}:"],
        }
        deltas = self.stream.deltas(body, "/completions")
        async with contextlib.aclosing(streamed_sentences(deltas, MAX_SENTENCES, drop_cut_tail=True)) as sentences:
            async for sentence in sentences:
                yield sentence

    async def aclose(self) -> None:
        """Close the connection to the endpoint."""
        await self.stream.aclose()


def create(options: Mapping[str, Any], telemetry: Telemetry) -> TranscriptReply:
    """The ``reply`` provider ``transcript``: a completions endpoint (``base_url``; ``model`` defaults to local)."""
    if "base_url" not in options:
        raise InputError("talk.reply = 'transcript' needs a base_url (an OpenAI-compatible server's /v1)")
    endpoint = Endpoint.from_options(options, timeout_s=10.0)
    return TranscriptReply(
        str(options.get("model", "local")),
        endpoint,
        telemetry,
        float(options.get("temperature", 0.0)),  # greedy: the likeliest answer is the best a small model has
        int(options.get("top_k", 20)),
    )
