"""The brain: one setting points both writers (the show's and the reply's) at an LLM, and keeps it warm.

    talkshow serve --brain ollama:llama3.2                  # Ollama on this machine
    talkshow serve --brain ollama:qwen2.5:3b@http://gpu:11434
    talkshow serve --brain llama-server:http://127.0.0.1:8080   # llama.cpp's server
    talkshow serve --brain openai:gpt-4o-mini               # OPENAI_API_KEY from the environment
    talkshow serve --brain embedded                         # the pinned GGUF, on llama.cpp in a child process
    talkshow serve --brain gguf:~/models/my-model.gguf      # any GGUF of yours, the same way

Each is the ``openai`` writer (OpenAI-compatible streaming chat) with a ``server`` option
saying what is behind it, so the station can keep the model loaded: Ollama unloads a model
5 minutes after its last request unless told otherwise, and ``keep_alive`` is honoured only
through its native API, so the station loads it at start and repeats that while it runs. A
llama.cpp server holds its one model for its lifetime; its ``/health`` says when it is ready.
The brain's first-token time is in the metrics (``talkshow_llm_first_token_seconds``).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from pathlib import Path
from typing import Any

from talkshow.config import ShowConfig, WriterSettings
from talkshow.core.errors import InputError
from talkshow.openai_api import Endpoint
from talkshow.talk.settings import TalkSettings

__all__ = ["KEEP_WARM_EVERY_S", "brain_writer", "embedded_reply", "keep_warm", "warm_once", "with_brain"]

logger = logging.getLogger(__name__)

OLLAMA_URL = "http://127.0.0.1:11434"
KEEP_ALIVE = "30m"  # what Ollama is asked to hold the model for, from each warm-up
KEEP_WARM_EVERY_S = 240.0  # under Ollama's 5-minute default, which an OpenAI-API request resets the timer to
FORMS = "embedded[:NAME], gguf:PATH, ollama:MODEL[@URL], llama-server:URL or openai:MODEL"


def brain_writer(spec: str) -> WriterSettings:
    """The writer settings for ``--brain`` ``spec``; InputError naming the accepted forms otherwise."""
    kind, _, rest = spec.partition(":")
    if not rest:
        raise InputError(f"--brain {spec!r}: use {FORMS}")
    if kind == "ollama":
        model, _, url = rest.partition("@")
        base = (url or OLLAMA_URL).rstrip("/")
        options: dict[str, Any] = {"model": model, "base_url": f"{base}/v1", "server": "ollama"}
    elif kind == "llama-server":
        base = rest.rstrip("/").removesuffix("/v1")
        options = {"model": "local", "base_url": f"{base}/v1", "server": "llama.cpp"}
    elif kind == "openai":
        options = {"model": rest}
    else:
        raise InputError(f"--brain {spec!r}: unknown kind {kind!r}; use {FORMS}")
    if not options["model"] or not str(options.get("base_url", "https://")).startswith(("http://", "https://")):
        raise InputError(f"--brain {spec!r}: use {FORMS}")
    return WriterSettings(kind="openai", options=options)


def embedded_reply(spec: str) -> dict[str, Any] | None:
    """The reply options for an embedded ``spec`` (``embedded``, ``embedded:NAME``, ``gguf:PATH``), else None."""
    kind, _, rest = spec.partition(":")
    if kind == "embedded":
        return {"server": "embedded", **({"brain": rest} if rest else {})}
    if kind == "gguf":
        path = Path(rest).expanduser()
        if not rest or path.suffix.lower() != ".gguf" or not path.is_file():
            raise InputError(f"--brain {spec!r}: gguf:PATH needs an existing .gguf file")
        return {"server": "embedded", "gguf": str(path.resolve())}
    return None


def with_brain(config: ShowConfig, spec: str) -> ShowConfig:
    """``config`` with its writers on the brain ``spec``.

    A server brain writes both the show's lines and the replies (the reply follows the show's
    writer). The embedded brain answers callers (the ``hybrid`` reply: rules where they answer
    best, the model for the rest); the show's lines stay with the show's writer.
    """
    embedded = embedded_reply(spec)
    talk = config.section(TalkSettings)
    if talk.reply == "tutor":  # the tutor keeps its own reply writer and asks a server brain for its chunks
        if embedded is not None:  # the pinned models are too small to teach (docs/tutor.md): it stays offline
            logger.warning("the tutor stays offline with %s: point --brain at a server model for model replies", spec)
            return config
        return config.with_sections(replace(talk, reply_options={**talk.reply_options, **brain_writer(spec).options}))
    if embedded is not None:
        return config.with_sections(replace(config.section(TalkSettings), reply="hybrid", reply_options=embedded))
    talk = replace(config.section(TalkSettings), reply="", reply_options={})
    return replace(config, writer=brain_writer(spec)).with_sections(talk)


async def warm_once(options: dict[str, Any]) -> str:
    """Load the model now (Ollama: its native API, with ``keep_alive``); what happened, for the log."""
    import httpx

    server = options.get("server")
    endpoint = Endpoint.from_options(options, 120.0, "warm_timeout")  # a first load from disk can take a while
    root = endpoint.base_url.removesuffix("/v1")
    async with httpx.AsyncClient(headers=endpoint.headers, timeout=endpoint.timeout_s) as client:
        if server == "ollama":
            keep = options.get("keep_alive", KEEP_ALIVE)
            response = await client.post(f"{root}/api/generate", json={"model": options["model"], "keep_alive": keep})
        elif server == "llama.cpp":
            response = await client.get(f"{root}/health")
            if response.status_code == 404:  # llama-cpp-python's server has no /health; its model list answers
                response = await client.get(f"{endpoint.base_url}/models")
        else:
            return "nothing to warm"
    response.raise_for_status()
    return f"{server} model {options['model']!r} loaded"


async def keep_warm(writer: WriterSettings, every_s: float = KEEP_WARM_EVERY_S) -> None:
    """Warm the brain at start and, for Ollama, again every ``every_s`` until cancelled; failures are logged."""
    options = writer.options
    if writer.kind != "openai" or options.get("server") not in ("ollama", "llama.cpp"):
        return
    while True:
        try:
            logger.info("brain: %s", await warm_once(dict(options)))
        except Exception as exc:  # the writers fall back to their offline lines; the next try may succeed
            shown = Endpoint.from_options(options, timeout_s=0.0).shown  # the URL as logs may show it
            logger.warning("brain: could not warm %s at %s: %s", options["model"], shown, exc)
        if options.get("server") != "ollama":
            return
        await asyncio.sleep(every_s)
