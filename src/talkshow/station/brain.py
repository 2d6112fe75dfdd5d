"""The embedded brain, started for a show that asks for it: llama.cpp's server on a pinned GGUF.

A show asks with ``talk.reply_options.server = "embedded"`` (what ``--brain embedded`` and
``--brain gguf:PATH`` set): ``brain`` names one of the pinned models (``talkshow.llm.models``),
or ``gguf`` a file of the user's. The server is started before the parts that talk to it are
built, and their options are given its address; the caller owns it and stops it with the show.
"""

from __future__ import annotations

from dataclasses import replace

from talkshow.config import ShowConfig
from talkshow.llm.models import embedded_model
from talkshow.llm.server import LlamaServer
from talkshow.talk.settings import TalkSettings

__all__ = ["start_embedded_brain"]


def start_embedded_brain(config: ShowConfig) -> tuple[ShowConfig, LlamaServer | None]:
    """``config`` pointed at a started embedded brain, and its server; unchanged and None if none is asked for."""
    talk = config.section(TalkSettings)
    options = talk.reply_options
    if options.get("server") != "embedded":
        return config, None
    server = LlamaServer(embedded_model(options), threads=int(options.get("threads", 2)))
    server.start()
    reply_options = {**options, "base_url": server.base_url, "model": "local"}
    return config.with_sections(replace(talk, reply_options=reply_options)), server
