"""The tutor's lesson for the page: each turn's chunks (say, correction, follow-up) and their audio states."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, HTTPException

from talkshow.server.security import TokenGate, control_dependency
from talkshow.talk.desk import TalkDesk
from talkshow.tutor.reply import TutorReply

__all__ = ["tutor_router"]


def tutor_router(desk: TalkDesk, gate: TokenGate) -> APIRouter:
    """``GET /api/tutor/lesson``: the lesson of the call on air, or of the last one (a learner's words: off
    loopback, only with the token)."""
    router = APIRouter(prefix="/api/tutor", tags=["tutor"])

    @router.get("/lesson", dependencies=[Depends(control_dependency(gate))])
    def lesson(last: int = 20) -> dict[str, Any]:
        """The last ``last`` turns (1-200), each with what was heard, the sentence put right and its chunks."""
        call = desk.last_call
        replier = call.conversation.replier if call is not None else None
        if not isinstance(replier, TutorReply):
            raise HTTPException(404, "no lesson: this show's talk reply is not the tutor, or nobody has called yet")
        return {
            "on_air": call is desk.call,
            "level": replier.settings.level,
            "turns": replier.lesson.snapshot(max(1, min(last, 200))),
        }

    return router
