"""The switchboard: phone calls in, one on air at a time, the rest told busy or held in order.

It shares the talk desk's one line with WebRTC callers. A call that finds the line taken
hears the busy message and is hung up, or, with ``busy = "queue"``, holds (hearing the
hold message once) until the line is free and it is first in line, up to ``max_wait_s``.
It owns the AudioSocket listener and the media stream's shared secret, and lists every
call for the studio (numbers masked).
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import os
from collections import deque
from typing import Any

from talkshow.core.errors import BusyError
from talkshow.phone.audio import PHONE_RATE, PhoneAudio
from talkshow.phone.call import PhoneCall
from talkshow.phone.guests import GuestLimit
from talkshow.phone.prompts import Prompt, render_prompt
from talkshow.phone.settings import PhoneSettings, mask_number
from talkshow.phone.wire import Wire
from talkshow.supervisor import Supervisor
from talkshow.talk.desk import CallerLine, TalkDesk

logger = logging.getLogger(__name__)

__all__ = ["Switchboard"]

MAX_CONNECTIONS = 16  # calls connected at once (on air, holding, hearing busy); more are refused at once


class Switchboard:
    """Answers phone bridges for one talk desk (lives on the server's loop; ``warm`` before the clock)."""

    def __init__(self, desk: TalkDesk, settings: PhoneSettings | None = None, token: str | None = None) -> None:
        """``token``: the media stream's shared secret (default: from ``settings.token_env``; None: refused)."""
        self.desk = desk
        self.air = desk.air
        self.settings = settings or desk.air.config.section(PhoneSettings)
        self.token = token if token is not None else os.environ.get(self.settings.token_env) or None
        self.calls: dict[str, PhoneCall] = {}
        self._waiting: deque[PhoneCall] = deque()
        self._changed = asyncio.Event()  # replaced and set whenever the queue changes
        self._prompts: dict[str, Prompt] = {}
        self.guests = GuestLimit()

    def warm(self) -> None:
        """Speak the busy and hold messages now, in the answering character's voice (before the clock runs)."""
        cast = self.air.config.cast
        who = self.settings.character or self.desk.settings.character or cast[0].id
        voice = self.air.config.member(who).voice
        for name, text in (("busy", self.settings.busy_message), ("hold", self.settings.hold_message)):
            self._prompts[name] = render_prompt(self.air.speech, voice, text)

    def prompt(self, name: str, audio: PhoneAudio) -> list[bytes]:
        """The ``busy`` or ``hold`` message as frames for ``audio``'s line (none if ``warm`` could not make them)."""
        prompt = self._prompts.get(name)
        return prompt.frames(audio.encoding, audio.wire_rate) if prompt is not None else []

    @property
    def supervisor(self) -> Supervisor:
        """The show's supervisor: a transport's listener reports its state there."""
        return self.air.supervisor

    def token_ok(self, presented: str | None) -> bool:
        """True if ``presented`` is the media stream's secret (compared in constant time)."""
        if not self.token or not presented:
            return False
        return hmac.compare_digest(presented.encode(), self.token.encode())

    def connect(self, wire: Wire, call_id: str, number: str, encoding: str, wire_rate: int = PHONE_RATE) -> PhoneCall:
        """A bridge has a new call: it runs from here (answered, held or told busy). ConnectionRefusedError if full.

        ``encoding`` (``mulaw`` or ``linear``) and ``wire_rate`` are the line's audio format.
        """
        if len(self.calls) >= MAX_CONNECTIONS:
            raise ConnectionRefusedError(f"{len(self.calls)} phone calls are connected already; the limit is 16")
        call = PhoneCall(
            self, wire, call_id or f"call-{len(self.calls)}", number, PhoneAudio(encoding, wire_rate=wire_rate)
        )
        if call.call_id in self.calls:
            call.call_id = f"{call.call_id}-{id(call):x}"
        self.calls[call.call_id] = call
        logger.info("call %s from %s over %s", call.call_id, mask_number(number), wire.transport)
        self.air.telemetry.emit("phone_call", call=call.call_id, transport=wire.transport, caller=call.masked)
        call.start()
        return call

    async def admit(self, call: PhoneCall) -> CallerLine | None:
        """The line for ``call``, once it is free and the call is first in line; None: busy (or it gave up)."""
        settings = self.settings
        if not self._waiting:
            try:
                return self.desk.reserve(call.wire.transport, call.label, call.hang_up)
            except BusyError:
                pass
        if settings.busy != "queue" or len(self._waiting) >= settings.max_queue:
            return None
        self._waiting.append(call)
        call.hold()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + settings.max_wait_s
        try:
            while not call.ended.is_set():
                if self._waiting[0] is call and self.desk.line is None:
                    self._waiting.popleft()
                    return self.desk.reserve(call.wire.transport, call.label, call.hang_up)
                changed = self._changed
                waits = [asyncio.ensure_future(e.wait()) for e in (changed, self.desk.line_freed, call.ended)]
                try:
                    await asyncio.wait(waits, timeout=deadline - loop.time(), return_when=asyncio.FIRST_COMPLETED)
                finally:
                    for wait in waits:
                        wait.cancel()
                if loop.time() >= deadline:
                    waited = settings.max_wait_s
                    logger.info("call %s held %g s without the line; it hears the busy message", call.masked, waited)
                    return None
            return None
        finally:
            if call in self._waiting:
                self._waiting.remove(call)
                self._pulse()

    def forget(self, call: PhoneCall) -> None:
        """A call has ended: out of the list and the queue."""
        self.calls.pop(call.call_id, None)
        if call in self._waiting:
            self._waiting.remove(call)
            self._pulse()

    def _pulse(self) -> None:
        changed, self._changed = self._changed, asyncio.Event()
        changed.set()

    def waiting(self) -> list[dict[str, Any]]:
        """The callers holding for the line, in order."""
        return [call.status() for call in self._waiting]

    def status(self) -> dict[str, Any]:
        """Every connected phone call and how calls get in (for the studio and ``GET /api/phone``)."""
        return {
            "media_stream": "on" if self.token else f"off: set ${self.settings.token_env}",
            "audiosocket": self.settings.audiosocket or "off",
            "calls": [call.status() for call in self.calls.values()],
            "waiting": self.waiting(),
        }

    async def hang_up(self, call_id: str) -> bool:
        """Hang up a phone call (on air, holding or hearing busy); False if there is none with that id."""
        call = self.calls.get(call_id)
        if call is None:
            return False
        await call.hang_up("hung up by the operator")
        return True

    async def close(self) -> None:
        """Hang up every call (the server is stopping)."""
        for call in list(self.calls.values()):
            await call.hang_up("the server is stopping")
