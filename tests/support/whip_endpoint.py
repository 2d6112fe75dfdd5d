"""A WHIP endpoint for tests: the protocol exactly (RFC 9725), a real aiortc peer behind it that decodes what arrives.

POST ``/whip/endpoint/NAME`` with an SDP offer and ``Authorization: Bearer TOKEN`` answers
``201 Created`` with the SDP answer and a ``Location``; DELETE that location ends the session.
Each session's peer receives the tracks and decodes them (H.264 to frames, Opus to PCM), so
a test sees what a real SFU would get. ``drop_sessions()`` closes every peer from the
server's side, as an SFU that restarts does.
"""

from __future__ import annotations

import asyncio
import secrets
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import uvicorn
from aiortc import RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack
from fastapi import FastAPI, Header, Request, Response

__all__ = ["WhipEndpoint", "read_track"]


async def read_track(into: Any, track: MediaStreamTrack) -> None:
    """Decode ``track`` until it ends, counting into ``into``'s video_frames, video_size, audio_frames, audio_peak."""
    while True:
        try:
            frame: Any = await track.recv()
        except MediaStreamError:
            return
        if track.kind == "video":
            into.video_frames += 1
            into.video_size = (frame.width, frame.height)
        else:
            into.audio_frames += 1
            into.audio_peak = max(into.audio_peak, float(np.abs(frame.to_ndarray().astype(np.float64)).max()))


@dataclass
class Session:
    """One publish: its offer, and what its peer decoded."""

    id: str
    offer: str
    pc: RTCPeerConnection
    video_frames: int = 0
    video_size: tuple[int, int] = (0, 0)
    audio_peak: float = 0.0
    audio_frames: int = 0
    deleted: bool = False
    started: float = field(default_factory=time.monotonic)


class WhipEndpoint:
    """Runs on its own thread and loop, on a free loopback port, until ``close``."""

    def __init__(self, token: str) -> None:
        self.token = token
        self.sessions: list[Session] = []
        self.refused: list[str] = []  # Authorization headers that were wrong
        self.deletes: list[str] = []
        self._readers: set[asyncio.Future[None]] = set()
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = int(probe.getsockname()[1])
        self.url = f"http://127.0.0.1:{self.port}/whip/endpoint/show"
        self._loop: asyncio.AbstractEventLoop | None = None
        app = FastAPI()
        app.post("/whip/endpoint/{name}")(self._publish)
        app.delete("/whip/session/{session_id}")(self._delete)
        self._server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started and time.monotonic() < deadline:
            time.sleep(0.05)

    def _serve(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._loop.run_until_complete(self._server.serve())

    async def _publish(self, name: str, request: Request, authorization: str = Header(default="")) -> Response:
        if authorization != f"Bearer {self.token}":
            self.refused.append(authorization)
            return Response("bad token", status_code=401)
        if request.headers.get("content-type") != "application/sdp":
            return Response("WHIP takes application/sdp", status_code=415)
        offer = (await request.body()).decode()
        pc = RTCPeerConnection()
        session = Session(secrets.token_hex(6), offer, pc)

        @pc.on("track")
        def on_track(track: MediaStreamTrack) -> None:
            self._readers.add(asyncio.ensure_future(self._read(session, track)))  # kept: a task needs an owner

        await pc.setRemoteDescription(RTCSessionDescription(offer, "offer"))
        await pc.setLocalDescription(await pc.createAnswer())
        self.sessions.append(session)
        headers = {"Location": f"/whip/session/{session.id}"}
        return Response(pc.localDescription.sdp, status_code=201, media_type="application/sdp", headers=headers)

    async def _delete(self, session_id: str) -> Response:
        self.deletes.append(session_id)
        for session in self.sessions:
            if session.id == session_id:
                session.deleted = True
                await session.pc.close()
                return Response(status_code=200)
        return Response(status_code=404)

    async def _read(self, session: Session, track: MediaStreamTrack) -> None:
        await read_track(session, track)

    def drop_sessions(self) -> None:
        """Close every peer from this side (an SFU restarting)."""
        assert self._loop is not None
        futures = [asyncio.run_coroutine_threadsafe(s.pc.close(), self._loop) for s in self.sessions]
        for future in futures:
            future.result(10)

    def close(self) -> None:
        """Stop the server and its peers."""
        if self._loop is not None:
            for session in self.sessions:
                asyncio.run_coroutine_threadsafe(session.pc.close(), self._loop).result(10)
        self._server.should_exit = True
        self._thread.join(10)
