"""The AudioSocket bridge: Asterisk connects over TCP for each call (``AudioSocket()`` in a dial plan).

The first message names the call (its UUID); then 20 ms frames of signed linear 8 kHz
audio flow both ways, with DTMF keys (Asterisk 20+) and a hangup at the end. AudioSocket
has no authentication, so the listener is on loopback unless the dial plan says
otherwise, and it reports no playback: what a caller heard is what was sent (paced at
real time, so that is within Asterisk's own 20-40 ms).

A bad message is read whole and skipped (the stream stays in step); audio at a rate
other than 8 kHz ends the call after a few frames of it; a reset or a cut-off stream ends
the call; the show never notices.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Mapping
from typing import Any

from talkshow.core.errors import InputError
from talkshow.phone.audio import MediaFormatError
from talkshow.phone.audiosocket import AudioSocketMessage, BadMessageError, caller_digits, read_message
from talkshow.phone.settings import DTMF_KEYS, listen_address
from talkshow.phone.transport import Call, CallLines
from talkshow.phone.wire import WireClosedError
from talkshow.supervisor import Backoff, Policy, Supervisor
from talkshow.tasks import TaskGroup

logger = logging.getLogger(__name__)

__all__ = ["AudioSocketServer", "AudioSocketWire", "create"]

UUID_WITHIN_S = 5.0  # Asterisk sends the call's UUID first, at once
PART = "audiosocket"
RETRY = Backoff(1.0, 30.0)  # an address that is taken at start is tried again, then every 30 s at most
SEND_TIMEOUT_S = 5.0
MAX_BAD_MESSAGES = 200
MAX_WRONG_FORMAT = 25  # half a second of audio nobody can hear: the call ends, saying why
_HANGUP = AudioSocketMessage("hangup").encode()
HUNG_UP = "the caller hung up"


class AudioSocketWire:
    """The call's way out over the AudioSocket TCP stream."""

    transport = "audiosocket"
    marks = False

    def __init__(self, writer: asyncio.StreamWriter) -> None:
        self.writer = writer
        self.closed = False

    async def send_audio(self, frame: bytes) -> None:
        """A 20 ms frame of signed linear 8 kHz audio for the caller."""
        if self.closed or self.writer.is_closing():
            raise WireClosedError("the AudioSocket connection is closed")
        try:
            self.writer.write(AudioSocketMessage("audio", frame).encode())
            await asyncio.wait_for(self.writer.drain(), SEND_TIMEOUT_S)
        except (OSError, TimeoutError) as exc:  # ConnectionResetError is an OSError
            self.closed = True
            raise WireClosedError(f"the AudioSocket connection could not be written: {exc!r}") from exc

    async def send_mark(self, name: str) -> None:
        """AudioSocket has no marks."""

    async def send_clear(self) -> None:
        """Asterisk holds no more than the frame it is playing: nothing to clear."""

    async def close(self, reason: str) -> None:
        """Send the hangup message and close the connection (never raises)."""
        if self.closed:
            return
        self.closed = True
        with contextlib.suppress(Exception):
            self.writer.write(_HANGUP)
            await asyncio.wait_for(self.writer.drain(), 1.0)
        self.writer.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.writer.wait_closed(), 1.0)


class AudioSocketServer:
    """Listens for Asterisk's AudioSocket connections (an async context manager), as a supervised part.

    If its address cannot be had (taken, not this machine's), the show goes on without it:
    the supervisor shows it restarting with the reason, and it keeps trying with backoff.
    """

    def __init__(self, lines: CallLines, host: str, port: int, supervisor: Supervisor | None = None) -> None:
        self.lines = lines
        self.host, self.port = host, port
        self.supervisor = supervisor or lines.supervisor
        self._server: asyncio.Server | None = None
        self._handlers: set[asyncio.Task[None]] = set()
        self._retry: asyncio.Task[None] | None = None
        self._tasks = TaskGroup("audiosocket")

    name = PART

    def routes(self) -> None:
        """AudioSocket is plain TCP: nothing is mounted on the studio's server."""
        return None

    async def __aenter__(self) -> AudioSocketServer:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def start(self) -> None:
        """Listen now, or (the address taken) report it and keep trying in the background."""
        self.supervisor.register(PART, Policy.RESTART)
        if not await self._listen():
            self._retry = self._tasks.spawn(self._keep_trying(), "listen again")

    async def _listen(self) -> bool:
        try:
            self._server = await asyncio.start_server(self._handle, self.host, self.port)
        except OSError as exc:
            reason = f"AudioSocket cannot listen on {self.host}:{self.port}: {exc.strerror or exc}"
            self.supervisor.failed(PART, reason, restarting=True, lost="phone calls from Asterisk")
            return False
        self.port = self._server.sockets[0].getsockname()[1]  # the real one when 0 asked for any
        self.supervisor.running(PART)
        logger.info("AudioSocket listening on %s:%d", self.host, self.port)
        return True

    async def _keep_trying(self) -> None:
        attempt = 0
        while True:
            attempt += 1
            await asyncio.sleep(RETRY.delay(attempt))
            if await self._listen():
                return

    async def close(self) -> None:
        """Stop listening (or trying to) and end the connections still open."""
        if self._retry is not None:
            self._retry.cancel()
            self._retry = None
        self.supervisor.stopped(PART)
        if self._server is not None:
            self._server.close()
            for task in list(self._handlers):
                task.cancel()
            await asyncio.gather(*self._handlers, return_exceptions=True)
            await self._server.wait_closed()
            self._server = None

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._handlers.add(task)
        wire = AudioSocketWire(writer)
        call: Call | None = None
        reason = "the bridge closed the connection without a hangup message"
        try:
            first = await asyncio.wait_for(read_message(reader), UUID_WITHIN_S)
            if first is None or first.kind != "uuid":
                got = first.kind if first else "nothing"
                reason = f"the first AudioSocket message must be the call's uuid, not {got}"
                logger.warning("AudioSocket connection refused: %s", reason)
                return
            call_id = first.call_id
            digits = caller_digits(call_id)
            if digits:  # the id carries the caller's number: it is logged, so only its last 4 digits stay
                call_id = call_id[:-12] + "x" * 8 + call_id[-4:]
            call = self.lines.connect(wire, call_id, digits, "linear")
            reason = await _listen(reader, call)
        except (InputError, TimeoutError) as exc:  # cut-off stream, a bad uuid, no uuid in time
            reason = f"the AudioSocket stream broke: {exc or 'no uuid within 5 s'}"
            logger.warning("AudioSocket: %s", reason)
        except ConnectionRefusedError as exc:
            reason = str(exc)
            logger.warning("AudioSocket call refused: %s", exc)
        except OSError as exc:
            reason = f"the connection was lost: {exc!r}"
        except asyncio.CancelledError:
            reason = "the server is stopping"
        finally:
            if call is not None:
                await call.end(reason, fault=reason != HUNG_UP)
            await wire.close(reason)
            if task is not None:
                self._handlers.discard(task)


async def _listen(reader: asyncio.StreamReader, call: Call) -> str:
    """Hand the call what Asterisk sends until it ends; returns why it ended."""
    bad = wrong_format = 0
    while True:
        try:
            message = await read_message(reader)
        except MediaFormatError as exc:
            wrong_format += 1
            if wrong_format == 1:
                logger.warning("call %s: %s", call.masked, exc)
            if wrong_format >= MAX_WRONG_FORMAT:
                await call.hang_up(f"unsupported media format: {exc}")
                return f"unsupported media format: {exc}"
            continue
        except BadMessageError as exc:
            bad += 1
            if bad <= 3 or bad % 50 == 0:
                logger.warning("call %s: bad AudioSocket message %d skipped: %s", call.masked, bad, exc)
            if bad >= MAX_BAD_MESSAGES:
                await call.hang_up(f"{bad} malformed messages: not an AudioSocket bridge")
                return "malformed messages"
            continue
        if message is None:
            return "the bridge closed the connection without a hangup message"
        if not call.admit():
            continue  # flooding: dropped (the call counts and logs it)
        if message.kind == "audio":
            try:
                call.audio_in(message.payload)
            except InputError as exc:  # an odd byte count cannot be 16-bit audio
                bad += 1
                logger.warning("call %s: audio skipped: %s", call.masked, exc)
        elif message.kind == "dtmf":
            digit = message.payload.decode("ascii", "replace")[:1]
            if digit and digit in DTMF_KEYS:
                call.dtmf(digit)
        elif message.kind == "hangup":
            return HUNG_UP
        elif message.kind == "error":
            return f"Asterisk reported an error (code 0x{message.payload.hex() or '00'})"


def create(options: Mapping[str, Any], lines: CallLines) -> AudioSocketServer:
    """The ``audiosocket`` transport; ``options``: ``listen`` = "host:port" or "port" (loopback)."""
    host, port = listen_address(str(options.get("listen", "")))
    return AudioSocketServer(lines, host, port)
