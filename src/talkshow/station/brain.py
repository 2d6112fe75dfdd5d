"""The embedded brain, started for a show that asks for it: llama.cpp's server on a pinned GGUF.

A show asks with ``talk.reply_options.server = "embedded"`` (what ``--brain embedded`` and
``--brain gguf:PATH`` set): ``brain`` names one of the pinned models (``talkshow.llm.models``),
or ``gguf`` a file of the user's. The server is started before the parts that talk to it are
built, and their options are given its address; the caller owns it and stops it with the show.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from talkshow.config import ShowConfig
from talkshow.llm.models import BRAINS, brain_file
from talkshow.llm.server import LlamaServer
from talkshow.talk.settings import TalkSettings

__all__ = ["DEFAULT_BRAIN", "start_embedded_brain"]

DEFAULT_BRAIN = "smollm2-135m"  # measured best of the two, in the hybrid (docs/brain.md)


def start_embedded_brain(config: ShowConfig) -> tuple[ShowConfig, LlamaServer | None]:
    """``config`` pointed at a started embedded brain, and its server; unchanged and None if none is asked for."""
    talk = config.section(TalkSettings)
    options = talk.reply_options
    if options.get("server") != "embedded":
        return config, None
    if "gguf" in options:
        model = Path(str(options["gguf"])).expanduser()
    else:
        name = str(options.get("brain", DEFAULT_BRAIN))
        if name not in BRAINS:
            from talkshow.core.errors import InputError

            raise InputError(f"embedded brain {name!r} is not one of {', '.join(BRAINS)}")
        model = brain_file(name)
    server = LlamaServer(model, threads=int(options.get("threads", 2)))
    server.start()
    reply_options = {**options, "base_url": server.base_url, "model": "local"}
    return config.with_sections(replace(talk, reply_options=reply_options)), server
