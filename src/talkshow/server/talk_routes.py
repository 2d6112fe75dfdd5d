"""WebRTC routes: watch the show (WHEP-style) and talk to a character (one caller at a time).

Both take an SDP offer as the request body (``Content-Type: application/sdp``) and
answer ``201 Created`` with the SDP answer and a ``Location`` to ``DELETE`` to hang up.
Talking is control: off loopback it needs the studio token. Watching is open, like HLS.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from pydantic import BaseModel, StrictBool

from talkshow.core.errors import BusyError, InputError
from talkshow.server.security import TokenGate, control_dependency
from talkshow.talk.desk import TalkDesk
from talkshow.webrtc.calls import CallInfo, WebRtcCalls

__all__ = ["talk_router"]

SDP_TYPE = "application/sdp"


class MixSwitch(BaseModel):
    """The operator's switch for the caller's voice on air."""

    on: StrictBool


MAX_OFFER_BYTES = 64 * 1024
_SDP = {SDP_TYPE: {"schema": {"type": "string", "minLength": 1, "maxLength": MAX_OFFER_BYTES}}}
SDP_BODY = {"requestBody": {"required": True, "description": "an SDP offer (RFC 8866), UTF-8", "content": _SDP}}
SDP_ANSWER: dict[int | str, dict[str, Any]] = {
    201: {"description": "the SDP answer; Location names the session", "content": _SDP},
}
BUSY_503: dict[int | str, dict[str, Any]] = {503: {"description": "the viewer limit is reached (Retry-After)"}}
LINE_TAKEN_409: dict[int | str, dict[str, Any]] = {409: {"description": "someone is on the line (Retry-After)"}}
NOBODY_404: dict[int | str, dict[str, Any]] = {404: {"description": "nobody is on the line"}}


def talk_router(
    desk: TalkDesk,
    webrtc: WebRtcCalls,
    gate: TokenGate,
    line_status: Callable[[], dict[str, Any]],
    sfu_player: str = "",
) -> APIRouter:
    """Routes under ``/api/rtc``; ``line_status``: the line as the station sees it (callers holding too);
    ``sfu_player``: the SFU's player page, where viewers are sent when one is configured ("" for none)."""
    router = APIRouter(prefix="/api/rtc", tags=["webrtc"])

    control = control_dependency(gate)

    @router.get("/watch")
    def where_to_watch() -> dict[str, Any]:
        """Where "Just watch" goes: the SFU's player when the show publishes to one (it fans out to any
        audience), else null for WebRTC from this server (up to its viewer limit)."""
        return {"player": sfu_player or None}

    @router.post(
        "/watch", status_code=201, response_class=Response, openapi_extra=SDP_BODY, responses=SDP_ANSWER | BUSY_503
    )
    async def watch(request: Request) -> Response:
        """Watch the show over WebRTC (sub-second behind the show clock): POST an SDP offer, get the answer."""
        offer = await _offer(request)
        try:
            info = await webrtc.watch(offer)
        except BusyError as exc:
            reason = f"{exc}; or watch through the SFU at {sfu_player}" if sfu_player else str(exc)
            raise HTTPException(503, reason, headers={"Retry-After": str(round(exc.retry_after_s))}) from exc
        except InputError as exc:
            raise HTTPException(400, str(exc)) from exc
        return _answer(info)

    @router.post(
        "/talk",
        status_code=201,
        response_class=Response,
        dependencies=[Depends(control)],
        openapi_extra=SDP_BODY,
        responses=SDP_ANSWER | LINE_TAKEN_409,
    )
    async def talk(
        request: Request,
        character: Annotated[str, Query(max_length=40, description="a cast id")] = "",
        level: Annotated[str, Query(pattern="^(A2|B1|B2|C1)?$", description="a lesson's CEFR level")] = "",
        topic: Annotated[str, Query(max_length=80, description="a lesson's topic")] = "",
        learner: Annotated[str, Query(max_length=40, description="the learner's name")] = "",
    ) -> Response:
        """Talk to a character, on air: POST an SDP offer with a microphone track; 409 if someone is talking.
        On a tutor show, ``level``, ``topic`` and ``learner`` start the lesson the learner chose."""
        offer = await _offer(request)
        try:
            info = await webrtc.talk(offer, character, desk.lesson_settings(level, topic, learner))
        except BusyError as exc:
            raise HTTPException(409, str(exc), headers={"Retry-After": str(round(exc.retry_after_s))}) from exc
        except InputError as exc:
            raise HTTPException(400, str(exc)) from exc
        return _answer(info)

    @router.delete(
        "/call", status_code=204, response_class=Response, dependencies=[Depends(control)], responses=NOBODY_404
    )
    async def hang_up_line() -> Response:
        """Hang up whoever is talking to the show (WebRTC or phone); the show resumes."""
        if not await desk.hang_up_line():
            raise HTTPException(404, "nobody is on the line")
        return Response(status_code=204)

    @router.delete("/{session_id}", status_code=204, response_class=Response)
    async def hang_up(session_id: str) -> Response:
        """End a WebRTC session by the id only its peer was given (the caller's ends the call: the show resumes)."""
        if not await webrtc.hang_up(session_id):
            raise HTTPException(404, "no such WebRTC session (it may have ended already)")
        return Response(status_code=204)

    @router.put("/call/mix", dependencies=[Depends(control)])
    def mix(body: MixSwitch) -> dict[str, Any]:
        """Put the caller's voice in the broadcast, or take it out (off by default, for privacy).

        The caller's own return audio never carries their voice (mix-minus).
        """
        desk.mix_caller(body.on)
        return line_status()

    @router.get("/call", dependencies=[Depends(control)])
    def call() -> dict[str, Any]:
        """Who is on the line, what was said so far, and how many WebRTC viewers watch (the caller's words:
        off loopback, only with the token)."""
        return line_status()

    return router


async def _offer(request: Request) -> str:
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != SDP_TYPE:
        raise HTTPException(415, f"send the SDP offer as {SDP_TYPE}, not {kind or 'no content type'}")
    body = await request.body()
    if len(body) > MAX_OFFER_BYTES:
        raise HTTPException(413, f"the SDP offer is {len(body)} bytes; the limit is {MAX_OFFER_BYTES}")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise HTTPException(400, "the SDP offer is not UTF-8 text") from exc


def _answer(info: CallInfo) -> Response:
    headers = {"Location": f"/api/rtc/{info.session_id}"}
    if info.character:
        headers["X-Talkshow-Character"] = info.character
    return Response(info.answer_sdp, status_code=201, media_type=SDP_TYPE, headers=headers)
