"""The media-stream bridge: a Twilio Media Streams WebSocket (Telnyx and others speak the same JSON).

The platform connects, says ``connected`` then ``start`` (stream and call ids, the media
format, the TwiML's custom parameters), and streams the caller's μ-law in ``media``
messages; it echoes our ``mark``s once played, reports keys as ``dtmf``, and ends with
``stop``. The shared secret comes in the URL path, the ``Authorization`` header, or a
``token`` custom parameter (Twilio drops a ``<Stream>`` URL's query string, so its TwiML
passes it as ``<Parameter name="token">``); a connection without the right one is closed
before any audio is taken.

Bad input never ends the stream, and rarely the call: a malformed message is logged and
skipped; a wrong media format ends that call (nothing in it can be heard); a socket that
goes quiet without ``stop`` is hung up by the call's watchdog.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from talkshow.core.errors import InputError
from talkshow.phone.audio import MediaFormatError
from talkshow.phone.transport import Call, CallLines
from talkshow.phone.twilio import StreamEvent, clear_message, mark_message, media_message, parse_message
from talkshow.phone.wire import WireClosedError

logger = logging.getLogger(__name__)

__all__ = ["MediaStreamTransport", "MediaStreamWire", "create", "serve_media_stream"]

START_WITHIN_S = 10.0  # the platform sends 'start' right after connecting
SEND_TIMEOUT_S = 5.0  # a platform that stops reading this long is gone
MAX_BAD_MESSAGES = 200  # a bridge that sends this many malformed messages is not a Media Streams bridge
CLOSE_POLICY = 1008  # WebSocket close code: policy violation (wrong or missing secret)
CLOSE_UNSUPPORTED = 1003  # WebSocket close code: data it cannot accept (wrong media format)
MAX_BEFORE_START = 20  # Twilio sends 'connected' then 'start' at once: anything else before it is not Twilio


class MediaStreamWire:
    """The call's way out over the Media Streams socket."""

    transport = "twilio"
    marks = True

    def __init__(self, socket: WebSocket) -> None:
        self.socket = socket
        self.stream_sid = ""
        self.closed = False

    async def send_audio(self, frame: bytes) -> None:
        """A 20 ms μ-law frame for the caller."""
        await self._send(media_message(self.stream_sid, frame))

    async def send_mark(self, name: str) -> None:
        """A mark after what was sent so far: the platform echoes it once the caller has heard that."""
        await self._send(mark_message(self.stream_sid, name))

    async def send_clear(self) -> None:
        """The platform drops the audio it holds for the caller (and returns its pending marks)."""
        await self._send(clear_message(self.stream_sid))

    async def _send(self, text: str) -> None:
        if self.closed:
            raise WireClosedError("the media stream is closed")
        try:
            await asyncio.wait_for(self.socket.send_text(text), SEND_TIMEOUT_S)
        except (WebSocketDisconnect, RuntimeError, OSError, TimeoutError) as exc:
            self.closed = True
            raise WireClosedError(f"the media stream could not be written: {exc!r}") from exc

    async def close(self, reason: str, code: int = 1000) -> None:
        """Close the socket: for a ``<Connect><Stream>`` the platform then goes on with the TwiML (hangs up)."""
        if self.closed:
            return
        self.closed = True
        if self.socket.application_state == WebSocketState.CONNECTED:
            with contextlib.suppress(Exception):
                await self.socket.close(code=code, reason=reason[:120])


async def _receive(socket: WebSocket) -> str | bytes:
    """The next message, text or binary (a binary one is still parsed: it may be JSON)."""
    message = await socket.receive()
    if message["type"] == "websocket.disconnect":
        raise WebSocketDisconnect(message.get("code", 1000))
    return message.get("text") or message.get("bytes") or b""


def presented_token(socket: WebSocket, path_token: str) -> str | None:
    """The secret the platform sent with the connection, if any: path, bearer header, or ``?token=``."""
    if path_token:
        return path_token
    scheme, _, value = socket.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return socket.query_params.get("token") or None


class _Unheard:
    """Counts what a connection sent that could not be used, and logs the first of each kind only."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}

    def skip(self, what: str, detail: str = "") -> int:
        count = self.counts[what] = self.counts.get(what, 0) + 1
        if count == 1:
            logger.warning("media stream: %s skipped%s (further ones are counted, not logged)", what, detail)
        return count

    def summary(self) -> str:
        return ", ".join(f"{n} {what}" for what, n in self.counts.items() if n > 1)


async def serve_media_stream(socket: WebSocket, lines: CallLines, path_token: str = "") -> None:
    """Run one Media Streams connection to its end (a FastAPI WebSocket route calls this).

    Until ``start`` proves the secret, a connection is a guest: at most ``MAX_GUESTS`` are
    held at once, each for at most ``START_WITHIN_S`` in all, and only ``connected`` is read from it.
    """
    presented = presented_token(socket, path_token)
    if not lines.token:
        await socket.close(code=CLOSE_POLICY, reason=f"phone calls are off: set ${lines.settings.token_env}")
        logger.warning("a media stream was refused: no phone token is set ($%s)", lines.settings.token_env)
        return
    if presented is not None and not lines.token_ok(presented):
        await socket.close(code=CLOSE_POLICY, reason="wrong phone token")
        logger.warning("a media stream was refused: wrong phone token")
        return
    guest = presented is None  # its secret, if it has one, comes in 'start'
    if guest and not lines.guests.take(socket):
        await socket.close(code=CLOSE_POLICY, reason="too many media streams are connecting; try again later")
        if lines.guests.refused_once():
            logger.warning("media streams refused: %d are connecting without a token already", lines.guests.limit)
        return
    try:
        await socket.accept()
        await _serve(socket, lines, guest)
    finally:
        if guest:
            lines.guests.give_back(socket)


async def _serve(socket: WebSocket, lines: CallLines, guest: bool) -> None:
    wire = MediaStreamWire(socket)
    call: Call | None = None
    unheard = _Unheard()
    reason = "the platform closed the media stream without 'stop'"
    fault = True  # until the platform says the call ended normally
    start_by = asyncio.get_running_loop().time() + START_WITHIN_S  # one deadline, whatever comes before 'start'
    try:
        while True:
            timeout = start_by - asyncio.get_running_loop().time() if call is None else None
            text = await asyncio.wait_for(_receive(socket), timeout)
            if call is not None and not call.admit():
                continue  # flooding: dropped unread (the call counts and logs it)
            try:
                event = parse_message(text)
            except MediaFormatError as exc:
                reason = f"unsupported media format: {exc}"
                logger.warning("media stream ended: %s", exc)
                await wire.close("media format not supported: send audio/x-mulaw 8000 Hz mono", CLOSE_UNSUPPORTED)
                return
            except InputError as exc:
                if unheard.skip("bad message", f": {exc}") >= MAX_BAD_MESSAGES:
                    reason = f"{MAX_BAD_MESSAGES} malformed messages: not a Media Streams bridge"
                    await wire.close(reason, CLOSE_UNSUPPORTED)
                    return
                continue
            if event.kind == "stop":
                reason, fault = "the caller hung up", False
                return
            if call is not None:
                _hand_over(call, event)
            elif event.kind == "start":
                if guest and not lines.token_ok(event.parameters.get("token")):
                    reason = "no phone token (URL path, Authorization header or a 'token' parameter)"
                    logger.warning("a media stream was refused: %s", reason)
                    await wire.close("wrong or missing phone token", CLOSE_POLICY)
                    return
                if guest:
                    lines.guests.give_back(socket)  # authenticated: a call now, counted by the switchboard
                wire.stream_sid = event.stream_sid
                number = event.parameters.get("caller") or event.parameters.get("from", "")
                call = lines.connect(wire, event.call_sid or event.stream_sid, number, "mulaw")
            elif event.kind != "connected" and unheard.skip(f"'{event.kind}' before 'start'") >= MAX_BEFORE_START:
                reason = f"{MAX_BEFORE_START} messages before 'start': not a Media Streams bridge"
                await wire.close(reason, CLOSE_POLICY)
                return
    except TimeoutError:
        reason = f"no 'start' within {START_WITHIN_S:g} s"
        logger.warning("media stream closed: %s", reason)
    except WebSocketDisconnect:
        pass
    except ConnectionRefusedError as exc:
        reason = str(exc)
        logger.warning("media stream refused: %s", exc)
    finally:
        if unheard.summary():
            logger.warning("media stream: skipped in all: %s", unheard.summary())
        if call is not None:
            await call.end(reason, fault)
        await wire.close(reason)


def _hand_over(call: Call, event: StreamEvent) -> None:
    """What the platform said about a call in progress, to the call."""
    if event.kind == "media" and event.track in ("inbound", "inbound_track", ""):
        call.audio_in(event.payload, event.timestamp_ms)
    elif event.kind == "mark":
        call.mark(event.mark)
    elif event.kind == "dtmf":
        call.dtmf(event.digit)


class MediaStreamTransport:
    """The ``transport`` provider ``twilio``: Media Streams WebSockets at ``path`` (and ``path/{token}``)."""

    name = "twilio"

    def __init__(self, lines: CallLines, path: str = "/api/phone/twilio") -> None:
        self.lines, self.path = lines, path

    def routes(self) -> APIRouter:
        """The WebSocket routes the platform connects to."""
        router = APIRouter(tags=["phone"])

        @router.websocket(self.path)
        async def media_stream(socket: WebSocket) -> None:
            """A Twilio Media Streams connection (bidirectional, μ-law 8 kHz)."""
            await serve_media_stream(socket, self.lines)

        @router.websocket(self.path + "/{token}")
        async def media_stream_with_token(socket: WebSocket, token: str) -> None:
            """The same, with the shared secret in the path."""
            await serve_media_stream(socket, self.lines, token)

        return router

    async def start(self) -> None:
        """Nothing to start: the studio's server accepts the connections."""

    async def close(self) -> None:
        """Nothing to stop: each connection ends with its call (the lines hang them up)."""


def create(options: Mapping[str, Any], lines: CallLines) -> MediaStreamTransport:
    """The ``twilio`` transport; ``options``: ``path`` (default ``/api/phone/twilio``)."""
    return MediaStreamTransport(lines, str(options.get("path", "/api/phone/twilio")))
