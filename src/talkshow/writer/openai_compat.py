"""Writer for any OpenAI-compatible chat endpoint (OpenAI, Ollama, llama.cpp, vLLM).

It streams, asks for one JSON object per line (speaker, text, emotion), and yields
each line as soon as its newline arrives, so voicing starts before the reply ends.
Malformed output is repaired where possible and skipped otherwise; a request that
yields nothing is retried.
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx

from talkshow.acting.performance import EMOTIONS
from talkshow.config import CastMember
from talkshow.errors import WriterError
from talkshow.telemetry import Telemetry
from talkshow.writer.types import MAX_LINE_CHARS, Line, WriteRequest

logger = logging.getLogger(__name__)

__all__ = ["OpenAIWriter", "parse_reply_line"]


class OpenAIWriter:
    """Streams structured lines from a chat-completions endpoint."""

    name = "openai"

    def __init__(
        self,
        model: str,
        base_url: str = "https://api.openai.com/v1",
        api_key_env: str = "OPENAI_API_KEY",
        temperature: float = 0.9,
        timeout: float = 30.0,
        retries: int = 2,
        telemetry: Telemetry | None = None,
    ) -> None:
        self.model = model
        self.base_url = base_url.rstrip("/")
        self.api_key = os.environ.get(api_key_env, "")
        self.temperature = temperature
        self.timeout = timeout
        self.retries = retries
        self.first_token_ms: list[float] = []
        self.telemetry = telemetry or Telemetry()

    async def lines(self, request: WriteRequest) -> AsyncIterator[Line]:
        """Yield lines as they stream in; retry requests that yield none."""
        history = list(request.history)
        remaining = request.turns
        failures = 0
        last_error: Exception | None = None
        async with httpx.AsyncClient(timeout=httpx.Timeout(self.timeout, connect=5.0)) as client:
            while remaining > 0:
                produced = 0
                try:
                    async for line in self._stream(client, request, history, remaining):
                        yield line
                        history.append(line)
                        produced += 1
                        remaining -= 1
                        if remaining == 0:
                            break
                except (httpx.HTTPError, WriterError) as exc:
                    last_error = exc
                    logger.warning("writer endpoint %s failed: %s", self.base_url, exc)
                if produced == 0:
                    failures += 1
                    if failures > self.retries:
                        reason = last_error or "replies held no usable lines"
                        raise WriterError(
                            f"LLM endpoint {self.base_url} gave no usable lines after {failures} tries: {reason}"
                        )

    async def _stream(
        self, client: httpx.AsyncClient, request: WriteRequest, history: list[Line], count: int
    ) -> AsyncIterator[Line]:
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        body = {
            "model": self.model,
            "stream": True,
            "temperature": self.temperature,
            "messages": _messages(request, history, count),
        }
        started = time.perf_counter()
        first = True
        buffer = ""
        async with client.stream("POST", f"{self.base_url}/chat/completions", json=body, headers=headers) as response:
            if response.status_code != 200:
                detail = (await response.aread())[:200].decode(errors="replace")
                raise WriterError(f"LLM endpoint returned HTTP {response.status_code}: {detail}")
            async for raw in response.aiter_lines():
                if not raw.startswith("data:"):
                    continue
                payload = raw[5:].strip()
                if payload == "[DONE]":
                    break
                delta = _delta(payload)
                if delta and first:
                    ttft_ms = (time.perf_counter() - started) * 1000
                    self.first_token_ms.append(ttft_ms)
                    self.telemetry.emit("llm_first_token", model=self.model, ms=round(ttft_ms, 3))
                    first = False
                buffer += delta
                while "\n" in buffer:
                    piece, buffer = buffer.split("\n", 1)
                    line = parse_reply_line(piece, request.cast)
                    if line is not None:
                        yield line
        line = parse_reply_line(buffer, request.cast)
        if line is not None:
            yield line


def _delta(payload: str) -> str:
    try:
        chunk = json.loads(payload)
        content = chunk["choices"][0].get("delta", {}).get("content") or ""
    except (json.JSONDecodeError, KeyError, IndexError, TypeError, AttributeError):
        logger.debug("ignoring malformed stream chunk %r", payload[:80])
        return ""
    return str(content)


def _messages(request: WriteRequest, history: list[Line], count: int) -> list[dict[str, str]]:
    cast = "\n".join(f"- {m.id} ({m.name}): {m.persona}" for m in request.cast)
    recent = "\n".join(json.dumps({"speaker": ln.speaker, "text": ln.text}) for ln in history[-8:])
    system = (
        "You write a funny, fast two-way debate for a cartoon talk show. Cast:\n"
        f"{cast}\n"
        f"Reply with exactly {count} lines and nothing else. Each line is one JSON object: "
        '{"speaker": "<cast id>", "text": "<one to three short spoken sentences>", '
        f'"emotion": "<one of {", ".join(EMOTIONS)}>"}}. Speakers alternate. No markdown.'
    )
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
        return {k: v.encode().decode("unicode_escape", "ignore") if "\\" in v else v for k, v in found.items()}
    return None


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
