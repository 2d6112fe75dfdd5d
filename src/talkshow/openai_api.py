"""One client for OpenAI-compatible HTTP APIs (OpenAI, Ollama, llama.cpp server, vLLM, whisper.cpp, speaches).

The show writer, the reply writer, the STT and the speech voice all speak the same
protocol to the same kinds of server: a base URL, a bearer key from an environment
variable (never from a show file or the command line), JSON bodies, and for chat a
server-sent-event stream of deltas. ``Endpoint`` holds the connection settings;
``ChatStream`` streams chat completions and keeps its connection open between requests
made on the same event loop (a conversation's replies reuse one connection).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import time
from collections.abc import AsyncGenerator, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from talkshow.core.errors import ServiceError
from talkshow.redact import redact_url
from talkshow.telemetry.events import Telemetry

__all__ = ["ChatStream", "Endpoint", "EndpointError", "chat_delta"]

logger = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://api.openai.com/v1"
DEFAULT_KEY_ENV = "OPENAI_API_KEY"


class EndpointError(ServiceError):
    """The endpoint could not be reached or answered with an error; ``status`` is its HTTP status, if any."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status

    @property
    def retryable(self) -> bool:
        """True if trying again may help (no answer, a 429, or a server error)."""
        return self.status is None or self.status == 429 or self.status >= 500


@dataclass(frozen=True)
class Endpoint:
    """Where an OpenAI-compatible API is and how to authenticate (the key is read from the environment)."""

    base_url: str = DEFAULT_BASE_URL
    api_key: str = field(default="", repr=False)
    timeout_s: float = 30.0

    @classmethod
    def from_options(cls, options: Mapping[str, Any], timeout_s: float, timeout_key: str = "timeout") -> Endpoint:
        """``base_url``, ``api_key_env`` (the variable holding the key) and ``timeout_key`` from a provider's table."""
        env = str(options.get("api_key_env", DEFAULT_KEY_ENV))
        return cls(
            base_url=str(options.get("base_url", DEFAULT_BASE_URL)).rstrip("/"),
            api_key=os.environ.get(env, ""),
            timeout_s=float(options.get(timeout_key, timeout_s)),
        )

    @property
    def headers(self) -> dict[str, str]:
        """The bearer header, if there is a key (a local server needs none)."""
        return {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}

    @property
    def shown(self) -> str:
        """The base URL as logs may show it (no credentials)."""
        return redact_url(self.base_url)

    def client(self) -> httpx.Client:
        """A blocking client for this endpoint (keeps its connections; close it when done)."""
        return httpx.Client(base_url=self.base_url, headers=self.headers, timeout=self.timeout_s)


def chat_delta(payload: str) -> tuple[str, bool]:
    """One streamed chunk's content, and whether it carries a ``finish_reason`` (malformed chunks: nothing)."""
    try:
        choice = json.loads(payload)["choices"][0]
        content = choice.get("delta", {}).get("content") or choice.get("text") or ""  # chat, or a plain completion
        finished = bool(choice.get("finish_reason"))
    except (json.JSONDecodeError, KeyError, IndexError, TypeError, AttributeError):
        logger.debug("ignoring a malformed stream chunk %r", payload[:80])
        return "", False
    return str(content), finished


class ChatStream:
    """Streams ``/chat/completions`` from one endpoint, reusing its connection for requests on the same loop."""

    def __init__(self, endpoint: Endpoint, telemetry: Telemetry, connect_s: float = 5.0) -> None:
        self.endpoint = endpoint
        self.telemetry = telemetry
        self.connect_s = connect_s
        self.complete = False  # the last stream ended with [DONE] or a finish_reason
        self._client: httpx.AsyncClient | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def _client_for_this_loop(self) -> httpx.AsyncClient:
        loop = asyncio.get_running_loop()
        if self._client is None or self._loop is not loop:  # a client's connections belong to one loop
            timeout = httpx.Timeout(self.endpoint.timeout_s, connect=self.connect_s)
            endpoint = self.endpoint
            self._client = httpx.AsyncClient(base_url=endpoint.base_url, headers=endpoint.headers, timeout=timeout)
            self._loop = loop
        return self._client

    async def deltas(self, body: dict[str, Any], path: str = "/chat/completions") -> AsyncGenerator[str, None]:
        """The streamed content of one completion, piece by piece (``body`` gets ``stream: true``).

        ``path`` is ``/chat/completions`` (messages) or ``/completions`` (a plain prompt).
        Raises EndpointError naming the endpoint and status if it fails; ``complete`` says afterwards
        whether the reply ended properly or the connection broke off.
        """
        self.complete = False
        started, first = time.perf_counter(), True
        try:
            async with self._client_for_this_loop().stream("POST", path, json={**body, "stream": True}) as response:
                if response.status_code != 200:
                    status, detail = response.status_code, (await response.aread())[:200].decode(errors="replace")
                    raise EndpointError(f"LLM endpoint returned HTTP {status}: {detail}", status)
                async for raw in response.aiter_lines():
                    if not raw.startswith("data:"):
                        continue
                    payload = raw[5:].strip()
                    if payload == "[DONE]":  # read on to the body's end: a connection read whole is kept for reuse
                        self.complete = True
                        continue
                    delta, finished = chat_delta(payload)
                    self.complete = self.complete or finished
                    if delta and first:
                        first = False
                        ms = (time.perf_counter() - started) * 1000
                        self.telemetry.emit("llm_first_token", model=str(body.get("model", "")), ms=round(ms, 3))
                    if delta:
                        yield delta
        except httpx.HTTPError as exc:
            raise EndpointError(f"LLM endpoint {self.endpoint.shown} failed: {exc!r}") from exc

    async def aclose(self) -> None:
        """Close the connection (on the loop that opened it; elsewhere it is only dropped)."""
        client, self._client = self._client, None
        if client is not None and self._loop is asyncio.get_running_loop():
            await client.aclose()
