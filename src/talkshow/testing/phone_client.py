"""Phone platforms' side of a call, for tests and ``talkshow bench phone``: what Twilio or Asterisk would do.

``MediaStreamClient`` speaks Twilio Media Streams over a WebSocket: ``connected``,
``start`` (with the caller's number and the token as custom parameters), a ``media``
message every 20 ms with the caller's μ-law (silence between utterances, as a phone line
sends), ``dtmf``, ``stop``. ``AudioSocketClient`` speaks Asterisk's AudioSocket over TCP.

Both play what talkshow sends the way a platform does (``talkshow.testing.playout``), and
keep what was played, and when, with every sample decoded back, so tests can listen to it.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import time
import uuid
from collections import deque

import numpy as np

from talkshow.phone.audio import FRAME_MS, PhoneAudio
from talkshow.phone.audiosocket import AudioSocketMessage, read_message
from talkshow.testing.playout import Playout
from talkshow.testing.talk_client import CallerClip, Heard

__all__ = ["AudioSocketClient", "MediaStreamClient"]

PERIOD_S = FRAME_MS / 1000
SHOW_SAMPLES_PER_FRAME = 960  # a 20 ms frame at the show's 48 kHz (what CallerClip spans count in)


class _Microphone:
    """The caller's side of the line: a 20 ms frame every 20 ms, speech when queued, silence otherwise."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self._pending: deque[tuple[list[bytes], CallerClip, asyncio.Future[float], asyncio.Future[float] | None]]
        self._pending = deque()
        self._silence = PhoneAudio(encoding).encode(np.zeros(4 * SHOW_SAMPLES_PER_FRAME, np.int16))[0]
        self._current: tuple[list[bytes], CallerClip, asyncio.Future[float], asyncio.Future[float] | None] | None
        self._current = None
        self._offset = 0
        self.sent = 0

    def speak(self, clip: CallerClip, started: asyncio.Future[float] | None = None) -> asyncio.Future[float]:
        """Queue an utterance; resolves to when the last sample of its voice was sent."""
        done: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        padded = np.concatenate([clip.samples, np.zeros(SHOW_SAMPLES_PER_FRAME, np.int16)])
        frames = PhoneAudio(self.encoding).encode(padded)  # afresh: frame k starts at the clip's sample 960 k
        self._pending.append((frames, clip, done, started))
        return done

    def abandon(self, error: BaseException) -> None:
        """Fail every utterance not yet sent (the line is gone)."""
        queued = [self._current] if self._current is not None else []
        queued += list(self._pending)
        self._current = None
        self._pending.clear()
        for _, _, done, started in queued:
            for future in (done, started):
                if future is not None and not future.done():
                    future.set_exception(error)

    def next_frame(self) -> bytes:
        """The frame to send now (call at its send time: it stamps the voice's first and last samples)."""
        if self._current is None and self._pending:
            self._current, self._offset = self._pending.popleft(), 0
        if self._current is None:
            return self._silence
        frames, clip, done, started = self._current
        now = time.perf_counter()
        first = self._offset * SHOW_SAMPLES_PER_FRAME
        if started is not None and not started.done() and first <= clip.voice_start < first + SHOW_SAMPLES_PER_FRAME:
            started.set_result(now + (clip.voice_start - first) / 48_000)
        if not done.done() and first <= clip.voice_end < first + SHOW_SAMPLES_PER_FRAME:
            done.set_result(now + (clip.voice_end - first) / 48_000)
        frame = frames[self._offset]
        self._offset += 1
        if self._offset >= len(frames):
            self._current = None
        return frame


class _PhoneClient:
    """What both platforms' clients share: a microphone paced at real time, a playout, DTMF."""

    encoding = "mulaw"

    def __init__(self, buffer_ms: int) -> None:
        self.microphone = _Microphone(self.encoding)
        self.playout = Playout(self._echo_mark, buffer_ms)
        self.decoder = PhoneAudio(self.encoding, show_rate=8_000)
        self.closed = asyncio.Event()
        self.close_reason = ""
        self._tasks: list[asyncio.Task[None]] = []

    @property
    def heard(self) -> Heard:
        """What was played to the caller, frame by frame."""
        return self.playout.heard

    def speak(self, clip: CallerClip, started: asyncio.Future[float] | None = None) -> asyncio.Future[float]:
        """Say ``clip`` down the line; resolves to when its voice's last sample went out."""
        return self.microphone.speak(clip, started)

    async def wait_for_quiet(self, seconds: float = 0.6, timeout: float = 30.0) -> None:
        """Until the caller has heard ``seconds`` of silence."""
        deadline = time.perf_counter() + timeout
        while not self.heard.quiet_since(seconds):
            if time.perf_counter() > deadline or self.closed.is_set():
                raise TimeoutError(f"the line did not go quiet within {timeout:g} s ({self.close_reason})")
            await asyncio.sleep(0.05)

    def _start(self) -> None:
        self._tasks = [asyncio.ensure_future(self._send_loop()), asyncio.ensure_future(self.playout.run())]
        self._tasks.append(asyncio.ensure_future(self._receive_loop()))

    async def _send_loop(self) -> None:
        loop = asyncio.get_running_loop()
        due = loop.time()
        try:
            with contextlib.suppress(Exception):  # the line closed (websockets raises its own ConnectionClosed)
                while not self.closed.is_set():
                    await self._send_audio(self.microphone.next_frame(), self.microphone.sent)
                    self.microphone.sent += 1
                    due += PERIOD_S
                    await asyncio.sleep(max(0.0, due - loop.time()))
        finally:  # what was never said never will be: whoever awaits it hears so, rather than waiting forever
            self.microphone.abandon(ConnectionError(f"the line closed ({self.close_reason or 'by this side'})"))

    def trim(self, keep_s: float = 10.0) -> None:
        """Forget what was played more than ``keep_s`` ago (a long call keeps its memory flat)."""
        playout, cutoff = self.playout, time.perf_counter() - keep_s
        old = sum(1 for t, _, _ in playout.heard.audio if t < cutoff)
        del playout.heard.audio[:old], playout.played[:old]
        playout.received.audio[:] = [r for r in playout.received.audio if r[0] >= cutoff]

    def stop_sending(self) -> None:
        """The line goes dead one way: no more audio from the caller's side, the connection left open."""
        self._tasks[0].cancel()

    async def _stop_tasks(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    def _received_audio(self, wire: bytes) -> None:
        self.playout.audio(self.decoder.decode(wire))

    async def _send_audio(self, frame: bytes, index: int) -> None:
        raise NotImplementedError

    async def _receive_loop(self) -> None:
        raise NotImplementedError

    async def _echo_mark(self, name: str) -> None:
        """AudioSocket has no marks; Media Streams echoes them."""


class MediaStreamClient(_PhoneClient):
    """A Twilio Media Streams call to ``url`` (ws://.../api/phone/twilio[/token])."""

    def __init__(
        self,
        url: str,
        caller: str = "+15551231234",
        token_parameter: str = "",
        buffer_ms: int = 60,
        media_format: dict[str, object] | None = None,
    ) -> None:
        super().__init__(buffer_ms)
        self.url = url
        self.caller = caller
        self.token_parameter = token_parameter
        self.media_format = media_format or {"encoding": "audio/x-mulaw", "sampleRate": 8000, "channels": 1}
        self.stream_sid = "MZ" + uuid.uuid4().hex
        self.call_sid = "CA" + uuid.uuid4().hex
        self.received: list[dict[str, object]] = []  # every message from talkshow but media
        self._socket: object = None
        self._sequence = 0

    async def connect(self) -> None:
        """Open the socket and start the stream as Twilio does (``connected``, then ``start``)."""
        from websockets.asyncio.client import connect

        self._socket = await connect(self.url, open_timeout=10)
        await self.send({"event": "connected", "protocol": "Call", "version": "1.0.0"})
        parameters = {"caller": self.caller}
        if self.token_parameter:
            parameters["token"] = self.token_parameter
        start = {
            "accountSid": "AC" + "0" * 32,
            "streamSid": self.stream_sid,
            "callSid": self.call_sid,
            "tracks": ["inbound"],
            "mediaFormat": self.media_format,
            "customParameters": parameters,
        }
        await self.send({"event": "start", "start": start, "streamSid": self.stream_sid})
        self._start()

    async def send(self, message: dict[str, object] | str) -> None:
        """One message as it is (a dict is sent as JSON with the next sequence number)."""
        if isinstance(message, dict):
            self._sequence += 1
            message = json.dumps({"sequenceNumber": str(self._sequence), **message})
        await self._socket.send(message)  # type: ignore[attr-defined]

    async def press(self, digit: str) -> None:
        """A DTMF key."""
        dtmf = {"track": "inbound_track", "digit": digit}
        await self.send({"event": "dtmf", "streamSid": self.stream_sid, "dtmf": dtmf})

    async def hang_up(self) -> None:
        """Send ``stop`` and close, as Twilio does when the caller hangs up."""
        with contextlib.suppress(Exception):
            await self.send({"event": "stop", "streamSid": self.stream_sid, "stop": {"callSid": self.call_sid}})
        await self.close()

    async def close(self) -> None:
        """Close the socket (without ``stop``: a dropped connection)."""
        self.closed.set()
        await self._stop_tasks()
        with contextlib.suppress(Exception):
            await self._socket.close()  # type: ignore[attr-defined]

    async def _send_audio(self, frame: bytes, index: int) -> None:
        media = {"track": "inbound", "chunk": str(index + 1), "timestamp": str(index * FRAME_MS)}
        media["payload"] = base64.b64encode(frame).decode()
        await self.send({"event": "media", "streamSid": self.stream_sid, "media": media})

    async def _receive_loop(self) -> None:
        try:
            async for raw in self._socket:  # type: ignore[attr-defined]
                message = json.loads(raw)
                event = message.get("event")
                if event == "media":
                    self._received_audio(base64.b64decode(message["media"]["payload"]))
                    continue
                self.received.append(message)
                if event == "mark":
                    self.playout.mark(message["mark"]["name"])
                elif event == "clear":
                    await self.playout.clear()
        except Exception as exc:  # the server closed (or broke the protocol): keep why
            self.close_reason = repr(exc)
        finally:
            code = getattr(self._socket, "close_code", None)
            if code is not None:
                self.close_reason = f"closed {code}: {getattr(self._socket, 'close_reason', '')}"
            self.closed.set()

    async def _echo_mark(self, name: str) -> None:
        with contextlib.suppress(Exception):
            await self.send({"event": "mark", "streamSid": self.stream_sid, "mark": {"name": name}})


class AudioSocketClient(_PhoneClient):
    """An Asterisk AudioSocket call to ``host:port``; the call's UUID can carry the caller's number."""

    encoding = "linear"

    def __init__(self, host: str, port: int, caller_digits: str = "5551231234", buffer_ms: int = 40) -> None:
        super().__init__(buffer_ms)
        self.host, self.port = host, port
        self.call_id = uuid.UUID(f"00000000-0000-4000-8000-00{caller_digits.rjust(10, '0')[-10:]}")
        self._writer: asyncio.StreamWriter | None = None
        self._reader: asyncio.StreamReader | None = None
        self.hangup_received = False

    async def connect(self) -> None:
        """Connect and name the call, as Asterisk does."""
        self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
        await self.send(AudioSocketMessage("uuid", self.call_id.bytes).encode())
        self._start()

    async def send(self, data: bytes) -> None:
        """Raw bytes down the socket (tests send malformed ones)."""
        assert self._writer is not None
        self._writer.write(data)
        await self._writer.drain()

    async def press(self, digit: str) -> None:
        """A DTMF key (Asterisk 20+)."""
        await self.send(AudioSocketMessage("dtmf", digit.encode()).encode())

    async def hang_up(self) -> None:
        """The hangup message, then close."""
        with contextlib.suppress(Exception):
            await self.send(AudioSocketMessage("hangup").encode())
        await self.close()

    async def close(self, reset: bool = False) -> None:
        """Close the connection; ``reset``: abort it (a TCP RST, as when a machine or link dies)."""
        self.closed.set()
        await self._stop_tasks()
        if self._writer is not None:
            if reset:
                self._writer.transport.abort()
            else:
                self._writer.close()

    async def _send_audio(self, frame: bytes, index: int) -> None:
        await self.send(AudioSocketMessage("audio", frame).encode())

    async def _receive_loop(self) -> None:
        assert self._reader is not None
        try:
            while (message := await read_message(self._reader)) is not None:
                if message.kind == "audio":
                    self._received_audio(message.payload)
                elif message.kind == "hangup":
                    self.hangup_received = True
                    self.close_reason = "talkshow hung up"
                    break
        except Exception as exc:
            self.close_reason = repr(exc)
        finally:
            self.close_reason = self.close_reason or "the connection closed"
            self.closed.set()
