"""The overlay for OBS's browser source: ``/overlay`` (the cast) and ``/overlay/<character>``.

The page is transparent; it draws the characters from their own sprites and plays their voices
(``talkshow.overlay``). Watching is open, like HLS: the page, its sprites and its feed need no token
(an OBS browser source cannot send one), and the feed's socket still refuses another site's Origin.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from importlib import resources
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, WebSocket, WebSocketDisconnect
from fastapi.responses import HTMLResponse, Response

from talkshow.core.faces import ShowControl
from talkshow.overlay.stream import OverlayStream, UnknownCharacterError

__all__ = ["overlay_router"]

_SHEET_SCHEMA = {
    "application/json": {
        "schema": {
            "type": "object",
            "properties": {
                "sprites": {"type": "array", "items": {"type": "string", "pattern": "^data:image/png;base64,"}}
            },
            "required": ["sprites"],
        }
    }
}
CastId = Annotated[str, Path(pattern=r"^[a-z0-9_-]{1,40}$", description="a cast id")]
CharacterQuery = Annotated[str, Query(pattern=r"^[a-z0-9_-]{0,40}$", description="a cast id; empty for the cast")]


def overlay_router(show: ShowControl) -> APIRouter:
    """The overlay page, its greeting, its sprites and its frame feed."""
    router = APIRouter(tags=["overlay"])
    stream = OverlayStream(show.on_air.overlay, show.config)
    cast_ids = {member.id for member in show.config.cast}

    def page_text() -> str:
        return resources.files("talkshow.server").joinpath("static/overlay.html").read_text(encoding="utf-8")

    @router.get("/overlay", response_class=HTMLResponse, include_in_schema=False)
    def overlay_page() -> str:
        return page_text()

    @router.get("/overlay/{character}", response_class=HTMLResponse, include_in_schema=False)
    def character_page(character: str) -> str:
        if character not in cast_ids:
            raise HTTPException(404, f"no character {character[:40]!r} in this show's cast; it has {sorted(cast_ids)}")
        return page_text()

    @router.get("/api/overlay", responses={404: {"description": "no such character in the cast"}})
    async def overlay_greeting(character: CharacterQuery = "") -> dict[str, Any]:
        """What an overlay page is told first: the canvas, each character's box and mouth, the sprite count."""
        try:
            return await stream.greeting(character)
        except UnknownCharacterError as exc:
            raise HTTPException(404, str(exc)) from None

    @router.get("/api/overlay/sprites", response_class=Response, responses={200: {"content": _SHEET_SCHEMA}})
    async def sprites() -> Response:
        """Every sprite of the cast, by number, as PNG data URLs with their alpha (one request per page)."""
        cast = await stream.cast()
        return Response(cast.sheet(), media_type="application/json", headers={"Cache-Control": "max-age=86400"})

    @router.websocket("/api/overlay/feed")
    async def feed(socket: WebSocket, character: str = "") -> None:
        """The greeting, then one binary message per aired frame (``talkshow.overlay.stream``)."""
        try:
            greeting = await stream.greeting(character)
        except UnknownCharacterError as exc:
            await socket.close(code=1008, reason=str(exc)[:120])
            return
        await socket.accept()
        try:
            await socket.send_text(json.dumps(greeting))
            async with stream.page(character) as page:
                while not page.too_slow.is_set():
                    with contextlib.suppress(TimeoutError):
                        await socket.send_bytes(await asyncio.wait_for(page.queue.get(), timeout=1.0))
                await socket.close(code=1013, reason="too slow to keep up; reconnect")
        except WebSocketDisconnect:
            pass

    return router
