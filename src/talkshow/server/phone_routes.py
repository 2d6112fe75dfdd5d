"""Phone routes: the call list and hanging up (each caller transport mounts its own routes, if any).

``GET /api/phone`` lists the calls (numbers masked); ``DELETE /api/phone/calls/{id}`` hangs
one up, on air or holding.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, HTTPException

from talkshow.phone.switchboard import Switchboard
from talkshow.server.security import TokenGate, control_dependency

__all__ = ["phone_router"]


def phone_router(board: Switchboard, gate: TokenGate) -> APIRouter:
    """Routes under ``/api/phone``; hanging up is control (off loopback it needs the studio token)."""
    router = APIRouter(prefix="/api/phone", tags=["phone"])
    control = control_dependency(gate)

    @router.get("")
    def calls() -> dict[str, Any]:
        """Phone calls connected now (on air, holding, hearing busy), and how calls get in."""
        return board.status()

    @router.delete("/calls/{call_id}", status_code=204, dependencies=[Depends(control)])
    async def hang_up(call_id: str) -> None:
        """Hang up a phone call; the show resumes if it was on air."""
        if not await board.hang_up(call_id):
            raise HTTPException(404, "no such phone call (it may have ended already)")

    return router
