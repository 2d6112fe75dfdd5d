"""The embedded default's answer: the rules where they answer best, the model for everything else.

The rules answerer (``answers``) knows who the character is, what the show is about and how
it is, every time and at once; a small model gets those wrong now and then. The model answers
what the rules cannot (a fact, a follow-up, an opinion on anything). Which kinds go to the
rules was measured (``talkshow bench brain``, docs/brain.md). If the model fails or says
nothing, the rules answer instead: never silence.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Mapping
from typing import Any

from talkshow.core.errors import WriterError
from talkshow.core.kinds.writer import ReplyRequest
from talkshow.telemetry.events import Telemetry
from talkshow.writer.answers import understand
from talkshow.writer.reply import ImprovReply
from talkshow.writer.transcript_reply import TranscriptReply
from talkshow.writer.transcript_reply import create as create_transcript

__all__ = ["RULE_KINDS", "HybridReply", "create"]

RULE_KINDS = frozenset({"name", "topic", "how_are_you", "greeting", "nothing"})


class HybridReply:
    """Rules for ``RULE_KINDS`` (and whenever the model fails), the model for the rest."""

    name = "hybrid"

    def __init__(self, model: TranscriptReply, rules: ImprovReply | None = None) -> None:
        self.model = model
        self.rules = rules or ImprovReply()

    async def reply(self, request: ReplyRequest) -> AsyncGenerator[str, None]:
        """The rules' sentences or the model's, as each is ready."""
        if understand(request.heard).kind not in RULE_KINDS:
            said = False
            try:
                async for sentence in self.model.reply(request):
                    said = True
                    yield sentence
            except WriterError:
                if said:
                    raise
            if said:
                return
        async for sentence in self.rules.reply(request):
            yield sentence

    async def aclose(self) -> None:
        """Close the model's connection."""
        await self.model.aclose()


def create(options: Mapping[str, Any], telemetry: Telemetry) -> HybridReply:
    """The ``reply`` provider ``hybrid``: the ``transcript`` model's options (``base_url``, ``model``...)."""
    return HybridReply(create_transcript(options, telemetry))
