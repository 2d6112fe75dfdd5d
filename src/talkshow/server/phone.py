"""Phone routes: the Media Streams WebSocket a telephony platform connects to, and the call list.

``/api/phone/twilio`` (or ``/api/phone/twilio/{token}``, for platforms that cannot send a
header or keep a query string) takes a Twilio Media Streams connection; the shared secret
is checked before any audio is taken. ``GET /api/phone`` lists the calls (numbers
masked); ``DELETE /api/phone/calls/{id}`` hangs one up, on air or holding.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, HTTPException, WebSocket

from talkshow.phone.media_stream import serve_media_stream
from talkshow.phone.switchboard import Switchboard
from talkshow.server.security import TokenGate, control_dependency

__all__ = ["phone_router"]


def phone_router(board: Switchboard, gate: TokenGate) -> APIRouter:
    """Routes under ``/api/phone``; hanging up is control (off loopback it needs the studio token)."""
    router = APIRouter(prefix="/api/phone", tags=["phone"])
    control = control_dependency(gate)

    @router.websocket("/twilio")
    async def media_stream(socket: WebSocket) -> None:
        """A Twilio Media Streams connection (bidirectional, μ-law 8 kHz)."""
        await serve_media_stream(socket, board)

    @router.websocket("/twilio/{token}")
    async def media_stream_with_token(socket: WebSocket, token: str) -> None:
        """The same, with the shared secret in the path."""
        await serve_media_stream(socket, board, token)

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
