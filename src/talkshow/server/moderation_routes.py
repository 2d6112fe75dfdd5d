"""The studio's held lines: what moderation held and why, and the operator's approve or reject.

Approving a character's line (from the writer, a reply or the operator) airs it next in
that character's voice: the operator's decision is its check, for that text once. Approving
a caller's words or a chat message records the decision; the moment they were said in has
passed. Every decision is an event (``held_line_decided``, in the trace) and a row in SQLite.
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Path

from talkshow.core.errors import InputError, LineHeldError, QueueFullError
from talkshow.server.openapi_truth import CONFLICT
from talkshow.server.security import TokenGate, control_dependency
from talkshow.studio.held import HeldLineNotFoundError
from talkshow.studio.studio import Studio

__all__ = ["held_router"]

Json = dict[str, Any]
HeldId = Annotated[int, Path(ge=1, le=2**62)]
_AIRABLE = ("writer", "reply", "operator")  # sources whose text a character says


def held_router(studio: Studio, gate: TokenGate) -> APIRouter:
    """``GET /api/held``, ``POST /api/held/{id}/approve`` and ``/reject`` (both need the control token)."""
    router = APIRouter(prefix="/api/held")
    show, held, hub = studio.show, studio.recorder.held, studio.hub
    controlled = [Depends(control_dependency(gate))]
    cast = {member.id for member in show.config.cast}

    @router.get("")
    def recent(status: Literal["held", "approved", "rejected"] | None = None, limit: int = 100) -> Json:
        return {"held": [line.as_dict() for line in held.recent(status, limit)]}

    @router.post("/{line_id}/reject", dependencies=controlled, responses=CONFLICT)
    def reject(line_id: HeldId) -> Json:
        return _decided(line_id, "rejected", aired=None)

    @router.post("/{line_id}/approve", dependencies=controlled, responses=CONFLICT)
    async def approve(line_id: HeldId) -> Json:
        line = next((h for h in held.recent("held", 500) if h.id == line_id), None)
        aired: Json | None = None
        if line is not None and line.source in _AIRABLE and line.who in cast:
            show.gate.approve(line.text)
            try:
                turn = await asyncio.to_thread(show.say, line.who, line.text)
            except (LineHeldError, QueueFullError) as exc:  # not decided: it stays held, to try again
                raise HTTPException(409, f"could not air it now: {exc}") from exc
            except InputError as exc:
                raise HTTPException(400, str(exc)) from exc
            aired = {"turn": turn.index, "character": line.who}
        return _decided(line_id, "approved", aired)

    def _decided(line_id: int, decision: str, aired: Json | None) -> Json:
        try:
            line = held.decide(line_id, decision)
        except HeldLineNotFoundError as exc:
            raise HTTPException(404, str(exc)) from exc
        show.telemetry.emit(
            "held_line_decided", id=line.id, decision=decision, source=line.source, aired=aired is not None
        )
        hub.publish("held", line.as_dict())
        return {**line.as_dict(), "aired": aired}

    return router
