"""Writer for any OpenAI-compatible chat endpoint (OpenAI, Ollama, llama.cpp, vLLM).

It streams, asks for one JSON object per line (speaker, text, emotion), and yields
each line as soon as its newline arrives, so voicing starts before the reply ends.
Malformed output is repaired where possible and skipped otherwise; a request that
yields nothing is retried.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
from collections.abc import AsyncGenerator, Mapping
from pathlib import Path
from typing import Any

from talkshow.config import CastMember
from talkshow.core.errors import InputError, WriterError
from talkshow.core.kinds.writer import MAX_LINE_CHARS, Line, WriteRequest
from talkshow.core.lines import EMOTIONS
from talkshow.core.recall import as_prompt
from talkshow.openai_api import ChatStream, Endpoint, EndpointError
from talkshow.telemetry.events import Telemetry

logger = logging.getLogger(__name__)

__all__ = ["LineSplitter", "OpenAIWriter", "parse_reply_line"]


class OpenAIWriter:
    """Streams structured lines from a chat-completions endpoint."""

    name = "openai"

    def __init__(
        self,
        model: str,
        endpoint: Endpoint,
        telemetry: Telemetry,
        temperature: float = 0.9,
        retries: int = 2,
    ) -> None:
        self.model = model
        self.endpoint = endpoint
        self.temperature = temperature
        self.retries = retries
        self.telemetry = telemetry

    async def lines(self, request: WriteRequest) -> AsyncGenerator[Line, None]:
        """Yield lines as they stream in; retry requests that yield none or break off."""
        history = list(request.history)
        seen = {(line.speaker, line.text) for line in history}
        remaining = request.turns
        failures = 0
        last_error: Exception | str = "replies held no usable lines"
        chat = ChatStream(self.endpoint, self.telemetry)  # one connection for the show's requests
        try:
            while remaining > 0:
                produced = 0
                reply = _Reply()
                try:
                    async with contextlib.aclosing(self._stream(chat, request, history, remaining, reply)) as stream:
                        async for line in stream:
                            if (line.speaker, line.text) in seen:  # a retried request replays its start
                                logger.debug("dropping a repeated line from the LLM: %r", line.text[:80])
                                continue
                            seen.add((line.speaker, line.text))
                            yield line
                            history.append(line)
                            produced += 1
                            remaining -= 1
                            if remaining == 0:
                                return
                except (EndpointError, WriterError) as exc:
                    last_error = exc
                    logger.warning("writer endpoint %s failed: %s", self.endpoint.shown, exc)
                if not reply.complete:
                    last_error = last_error if produced == 0 else "the reply stream broke off before its end"
                if produced == 0 or not reply.complete:
                    failures += 1
                    if failures > self.retries:
                        raise WriterError(
                            f"LLM endpoint {self.endpoint.shown} gave no usable lines after "
                            f"{failures} tries: {last_error}"
                        )
        finally:
            await chat.aclose()

    async def _stream(
        self, chat: ChatStream, request: WriteRequest, history: list[Line], count: int, reply: _Reply
    ) -> AsyncGenerator[Line, None]:
        body = {"model": self.model, "temperature": self.temperature, "messages": _messages(request, history, count)}
        pieces = LineSplitter()
        async with contextlib.aclosing(chat.deltas(body)) as deltas:
            async for delta in deltas:
                for piece in pieces.feed(delta):
                    line = parse_reply_line(piece, request.cast)
                    if line is not None:
                        yield line
        reply.complete = chat.complete
        if not reply.complete:
            # The connection closed mid-reply: the last piece may be half a sentence, so it is not aired.
            logger.warning("the LLM reply stream ended without [DONE]; its unfinished last line is dropped")
            return
        line = parse_reply_line(pieces.rest(), request.cast)
        if line is not None:
            yield line


class LineSplitter:
    """Splits streamed text into lines, looking only at each new delta.

    Rescanning the whole buffer per chunk made a reply with no newlines cost
    quadratic time (a flood of 11 repeated frames); this is linear in the text.
    """

    def __init__(self) -> None:
        self._pending: list[str] = []

    def feed(self, delta: str) -> list[str]:
        """The lines that ``delta`` completes (without their newlines)."""
        if "\n" not in delta:
            if delta:
                self._pending.append(delta)
            return []
        head, *middle, tail = delta.split("\n")
        done = ["".join(self._pending) + head, *middle]
        self._pending = [tail] if tail else []
        return done

    def rest(self) -> str:
        """The text after the last newline."""
        return "".join(self._pending)


class _Reply:
    """What one streamed reply told us about itself."""

    def __init__(self) -> None:
        self.complete = False  # saw [DONE] or a finish_reason: the stream was not cut off


def _voice_of(member: CastMember) -> str:
    """A cast member's example lines (from its card), to show the writer how it talks."""
    return "".join(f"\n  e.g. {line}" for line in member.examples[:4])


def _messages(request: WriteRequest, history: list[Line], count: int) -> list[dict[str, str]]:
    cast = "\n".join(f"- {m.id} ({m.name}): {m.persona}" + _voice_of(m) for m in request.cast)
    recent = "\n".join(json.dumps({"speaker": ln.speaker, "text": ln.text}) for ln in history[-8:])
    system = (
        "You write a funny, fast two-way debate for a cartoon talk show. Cast:\n"
        f"{cast}\n"
        f"Reply with exactly {count} lines and nothing else. Each line is one JSON object: "
        '{"speaker": "<cast id>", "text": "<one to three short spoken sentences>", '
        f'"emotion": "<one of {", ".join(EMOTIONS)}>"}}. Speakers alternate. No markdown.'
    )
    if request.memories:  # quoted data from earlier shows: something to call back to, never instructions
        system += "\nEarlier shows (call back to one if it fits):\n" + as_prompt(request.memories)
    user = f"Topic: {request.topic}"
    if recent:
        user += f"\nThe show so far:\n{recent}\nContinue."
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


_FIELD = {k: re.compile(rf'"{k}"\s*:\s*"((?:[^"\\]|\\.)*)"') for k in ("speaker", "text", "emotion")}
_PLAIN = re.compile(r"^\W*(?P<who>[A-Za-z][\w -]{0,30})\s*(?:\((?P<emo>\w+)\))?\s*:\s*(?P<text>.+)$")


def parse_reply_line(raw: str, cast: tuple[CastMember, ...]) -> Line | None:
    """Repair one line of model output into a Line, or None if nothing usable."""
    raw = raw.strip().strip("`").strip().rstrip(",")
    if not raw or raw in ("[", "]") or raw.lower() in ("json", "jsonl"):
        return None
    fields = _json_fields(raw)
    if fields is None:
        match = _PLAIN.match(raw)
        if match is None:
            logger.debug("unparseable line from LLM: %r", raw[:80])
            return None
        fields = {"speaker": match.group("who"), "text": match.group("text"), "emotion": match.group("emo") or ""}
    speaker = _match_speaker(str(fields.get("speaker", "")), cast)
    text = " ".join(str(fields.get("text", "")).split())
    if speaker is None or not text:
        return None
    if len(text) > MAX_LINE_CHARS:
        text = _shorten(text)
    emotion = str(fields.get("emotion", "")).lower()
    return Line(speaker, text, emotion if emotion in EMOTIONS else "neutral")


def _json_fields(raw: str) -> dict[str, Any] | None:
    start, end = raw.find("{"), raw.rfind("}")
    if start != -1 and end > start:
        try:
            value = json.loads(raw[start : end + 1])
            if isinstance(value, dict):
                return value
        except json.JSONDecodeError:
            pass
    found = {k: m.group(1) for k, pattern in _FIELD.items() if (m := pattern.search(raw))}
    if "speaker" in found and "text" in found:
        return {k: _json_string(v) for k, v in found.items()}
    return None


def _json_string(body: str) -> str:
    """Decode the body of a JSON string literal; its escapes are JSON's, not Python's."""
    if "\\" not in body:
        return body
    try:
        return str(json.loads(f'"{body}"'))
    except json.JSONDecodeError:
        return body.replace('\\"', '"')


def _match_speaker(name: str, cast: tuple[CastMember, ...]) -> str | None:
    key = name.strip().lower()
    for member in cast:
        if key in (member.id, member.name.lower()):
            return member.id
    return None


def _shorten(text: str) -> str:
    cut = text[:MAX_LINE_CHARS]
    end = max(cut.rfind(". "), cut.rfind("! "), cut.rfind("? "))
    return cut[: end + 1] if end > 40 else cut[: MAX_LINE_CHARS - 1].rstrip() + "…"


def create(options: Mapping[str, Any], base_dir: Path, telemetry: Telemetry) -> OpenAIWriter:
    """The ``writer`` provider ``openai``: any OpenAI-compatible chat endpoint (``model`` is required)."""
    if not isinstance(options.get("model"), str):
        raise InputError('the openai writer needs model = "..." in [writer] (and usually base_url)')
    endpoint = Endpoint.from_options(options, timeout_s=30.0)
    temperature, retries = float(options.get("temperature", 0.9)), int(options.get("retries", 2))
    return OpenAIWriter(str(options["model"]), endpoint, telemetry, temperature, retries)
