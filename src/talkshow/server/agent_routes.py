"""What an agent (an MCP client, a streamer's bot) asks of the studio beyond the operator's buttons.

- ``POST /api/react``: a character reacts to a moment ("I just lost the boss fight"): the moment is
  checked by moderation, the show's reply writer writes one or two sentences in character, and
  they air next, checked again as every line is (``ShowControl.say``).
- ``POST /api/chat/removals``: time a viewer out or ban them (or delete one message), as a
  platform's own removal would: it reaches every line of theirs not yet finished airing.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel, Field

from talkshow.core.errors import InputError, LineHeldError, QueueFullError
from talkshow.core.kinds.chat import ChatRemoval
from talkshow.core.kinds.writer import ReplyRequest
from talkshow.server.openapi_truth import NOT_FOUND, TOO_MANY
from talkshow.server.security import TokenGate, control_dependency
from talkshow.station.station import Station
from talkshow.talk.providers import make_replier
from talkshow.talk.settings import TalkSettings

__all__ = ["ReactRequest", "RemovalRequest", "agent_router"]

MAX_REACTION_SENTENCES = 2  # a reaction, not a monologue
REACTION_TIMEOUT_S = 10.0


class ReactRequest(BaseModel):
    """A moment for a character to react to, on air next."""

    character: str = Field(min_length=1, max_length=40, description="a cast id")
    moment: str = Field(min_length=1, max_length=300, description="what just happened, in a sentence")


class RemovalRequest(BaseModel):
    """A viewer timed out (``seconds`` > 0) or banned (0), or one message deleted (``message_id``)."""

    platform: str = Field(min_length=1, max_length=32, pattern=r"^[a-z0-9_-]+$")
    user_id: Annotated[str, Field(max_length=128)] = ""
    message_id: Annotated[str, Field(max_length=128)] = ""
    seconds: Annotated[float, Field(ge=0, le=1_209_600)] = 0.0


def agent_router(station: Station, gate: TokenGate) -> APIRouter:
    """``POST /api/react`` and ``POST /api/chat/removals`` (both need the control token)."""
    router = APIRouter(prefix="/api", tags=["agents"], dependencies=[Depends(control_dependency(gate))])
    show = station.studio.show
    config = station.engine.config
    writer = make_replier(config.section(TalkSettings), config.writer, station.engine.telemetry, config.sections)

    async def write_reaction(character: str, moment: str) -> str:
        member = config.member(character)
        request = ReplyRequest(member, config.topic, moment)  # the moment, as if said to the character
        sentences: list[str] = []
        async with contextlib.aclosing(writer.reply(request)) as lines:
            async for sentence in lines:
                # Sentence by sentence, as a reply airs: one that moderation holds is left out, not the reaction.
                verdict = await asyncio.to_thread(show.gate.review, sentence, "reply", character)
                if not verdict.held:
                    sentences.append(sentence)
                if len(sentences) >= MAX_REACTION_SENTENCES:
                    break
        return " ".join(" ".join(sentences).split())

    @router.post("/react", status_code=202, responses=NOT_FOUND | TOO_MANY)
    async def react(body: ReactRequest) -> dict[str, Any]:
        """A character reacts to a moment, on air next (the moment and the line both pass moderation)."""
        if body.character not in {m.id for m in config.cast}:
            raise HTTPException(404, f"no character {body.character!r}; the cast is {[m.id for m in config.cast]}")
        verdict = await asyncio.to_thread(show.gate.review, body.moment, "chat", "agent")
        if verdict.held:
            raise HTTPException(422, f"the moment was held by moderation ({verdict.stage}: {verdict.reason})")
        try:
            line = await asyncio.wait_for(write_reaction(body.character, body.moment), REACTION_TIMEOUT_S)
        except TimeoutError as exc:
            raise HTTPException(504, f"no reaction was written within {REACTION_TIMEOUT_S:g} s") from exc
        if not line:
            raise HTTPException(422, "every sentence written for the reaction was held by moderation")
        try:
            turn = await asyncio.to_thread(show.say, body.character, line)
        except LineHeldError as exc:
            raise HTTPException(422, f"the reaction was held by moderation ({exc.stage}: {exc.reason})") from exc
        except QueueFullError as exc:
            raise HTTPException(429, str(exc), headers={"Retry-After": str(round(exc.retry_after_s))}) from exc
        except InputError as exc:
            raise HTTPException(400, str(exc)) from exc
        return {"turn": turn.index, "character": body.character, "line": line}

    @router.post("/chat/removals", status_code=202, responses=NOT_FOUND)
    def remove(body: RemovalRequest) -> dict[str, Any]:
        """Time a viewer out (``seconds``) or ban them (0), or delete one message: their lines not yet finished
        airing are taken off, and nothing more of theirs is read while it lasts."""
        if station.chat is None:
            raise HTTPException(404, "this show reads no chat (it has no [chat] sources)")
        if not body.user_id and not body.message_id:
            raise HTTPException(400, "name the viewer (user_id) or the message (message_id)")
        reason = "deleted" if body.message_id else ("timeout" if body.seconds else "ban")
        station.chat.desk.remove(ChatRemoval(body.platform, body.message_id, body.user_id, body.seconds, reason))
        return {"removed": reason, "platform": body.platform, "user_id": body.user_id, "seconds": body.seconds}

    return router
