"""The talk desk: the one line to the show, WebRTC sessions, and the ears kept warm.

One caller is on air at a time, whatever carries the call: a browser over WebRTC, or a
phone bridge (``talkshow.phone``). A transport ``reserve``s the line (BusyError if it is
taken), then ``open_call`` puts the caller on air; ``end_line`` frees it once the call
has closed, and wakes anyone waiting for it.

Loading the VAD and STT models holds the GIL; ``warm`` does it before the stream's
clock starts, and every call reuses them (one caller at a time), so a call never
makes a frame late by starting.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from typing import Any

from talkshow.core.errors import InputError
from talkshow.core.faces import OnAir
from talkshow.ears.silero import SileroVad
from talkshow.ears.stt import SpeechToText
from talkshow.ears.turn_end import TurnJudge
from talkshow.talk.gateway import BusyError, RtcGateway
from talkshow.talk.providers import make_replier, make_stt, make_turn_judge
from talkshow.talk.session import TalkSession
from talkshow.talk.settings import TalkSettings
from talkshow.tasks import TaskGroup

logger = logging.getLogger(__name__)

__all__ = ["BusyError", "CallInfo", "CallerLine", "TalkDesk"]

HangUp = Callable[[str], Awaitable[object]]


@dataclass(frozen=True)
class CallInfo:
    """What the API returns for a new session."""

    session_id: str
    answer_sdp: str
    character: str = ""


@dataclass(eq=False)
class CallerLine:
    """Who holds the line: the session id, the transport, the caller as shown on air, and how to hang up."""

    transport: str  # webrtc, twilio or audiosocket
    caller: str
    hang_up: HangUp  # ends the call from this side (the operator, a time limit); the transport then calls end_line
    id: str = ""
    call: TalkSession | None = None
    started: float = field(default_factory=time.perf_counter)
    timer: asyncio.Task[None] | None = None


async def _nobody(reason: str) -> None:
    return None


class TalkDesk:
    """Answers WebRTC offers: watchers get the show; one talker gets the show and a character to talk to."""

    def __init__(self, air: OnAir, settings: TalkSettings | None = None, max_viewers: int = 16) -> None:
        self.air = air
        self.settings = settings or air.config.talk
        timeout = self.settings.peer_timeout_s
        self.gateway = RtcGateway(air.webrtc, max_viewers=max_viewers, connect_timeout_s=timeout)
        self.line: CallerLine | None = None
        self.line_freed = asyncio.Event()  # set each time the line becomes free (a queued caller waits on it)
        self.mix_on = self.settings.mix_caller  # the operator's choice, kept across calls
        self._vad: SileroVad | None = None
        self._stt: SpeechToText | None = None
        self._judge: TurnJudge | None = None
        self._tasks = TaskGroup("talk desk")

    @property
    def call(self) -> TalkSession | None:
        """The call on air, if any."""
        line = self.line
        return line.call if line is not None and line.call is not None and not line.call.closed else None

    def warm(self) -> None:
        """Load the VAD, STT and turn model now (before the clock runs); errors surface here, naming the part."""
        self._vad = SileroVad()
        self._stt = make_stt(self.settings)
        self._judge = make_turn_judge(self.settings)
        make_replier(self.settings, self.air.config.writer, self.air.telemetry)  # a bad [talk] fails at start

    async def watch(self, offer_sdp: str) -> CallInfo:
        """A WHEP-style viewer: the show over WebRTC, sub-second behind."""
        session, answer = await self.gateway.watch(offer_sdp)
        return CallInfo(session.id, answer)

    async def talk(self, offer_sdp: str, character: str = "") -> CallInfo:
        """Put a caller on air with ``character`` (default: the configured one). BusyError if someone is on."""
        self.check_character(character)
        line = self.reserve("webrtc", self.settings.caller_name, _nobody)
        holder: list[TalkSession] = []
        try:
            await self.ensure_warm()
            session, answer = await self.gateway.talk(
                offer_sdp,
                on_audio=lambda samples, at: holder[0].feed(samples, at) if holder else None,
                on_end=lambda reason: self.end_line(line, reason),
                watch_audio=lambda packet: holder[0].packet_sent(packet.pts) if holder else None,
            )
        except BaseException:
            self.release(line)
            raise
        line.id = session.id
        line.hang_up = lambda reason: self.gateway.close(session.id, reason)
        settings = replace(self.settings, character=character or self.settings.character, mix_caller=self.mix_on)
        call = self.open_call(line, settings)
        holder.append(call)
        line.timer = self._tasks.spawn(self._limit(line, settings.max_call_s), "time limit")
        return CallInfo(session.id, answer, call.character)

    def check_character(self, character: str) -> None:
        """InputError unless ``character`` is "" (the default) or in the cast."""
        cast = {m.id for m in self.air.config.cast}
        if character and character not in cast:
            raise InputError(f"unknown character {character!r}; the cast is {', '.join(sorted(cast))}")

    def reserve(self, transport: str, caller: str, hang_up: HangUp) -> CallerLine:
        """Take the line for a caller about to be put on air (on the loop); BusyError if it is taken."""
        if self.line is not None:
            raise BusyError("someone is already talking to the show; one caller at a time. Try again soon")
        self.line = CallerLine(transport, caller, hang_up)
        self.line_freed.clear()
        return self.line

    def release(self, line: CallerLine) -> None:
        """Give back a reserved line whose call never went on air."""
        if self.line is line and line.call is None:
            self._free()

    async def ensure_warm(self) -> None:
        """Load the ears now if ``warm`` did not run (or failed) at start."""
        if self._vad is None or self._stt is None:
            await asyncio.to_thread(self.warm)

    def open_call(self, line: CallerLine, settings: TalkSettings, **hooks: Any) -> TalkSession:
        """Put the caller on ``line`` on air (on the loop, after ``ensure_warm``); ``hooks`` go to TalkSession."""
        assert self._vad is not None and self._stt is not None, "ensure_warm() first"
        if self.line is not line:  # the caller left while the call was being set up: end_line already freed it
            raise ConnectionError("the caller hung up before the call went on air")
        self._vad.reset()
        replier = make_replier(settings, self.air.config.writer, self.air.telemetry)
        line.call = TalkSession(
            self.air, settings, self._vad, self._stt, replier, line.id, self._judge, line.transport, **hooks
        )
        return line.call

    async def end_line(self, line: CallerLine, reason: str) -> None:
        """The call on ``line`` is over: close it (off the loop), then free the line and wake who waits."""
        timer, line.timer = line.timer, None
        if timer is not None and timer is not asyncio.current_task():  # the time limit itself may be ending it
            timer.cancel()
        call, line.call = line.call, None
        if call is not None:
            call.stop_replying()  # at once, on the loop: a greeting being voiced for a caller who left never airs
            await asyncio.to_thread(call.close, reason)  # joins the ears and reply threads: not on the loop
        if self.line is line:
            self._free()

    def _free(self) -> None:
        self.line = None
        self.line_freed.set()

    async def close(self) -> None:
        """End every session (the server is stopping)."""
        line = self.line
        if line is not None:
            await line.hang_up("the server is stopping")
        await self.gateway.close_all()
        if self.line is not None:
            await self.end_line(self.line, "the server is stopping")
        close_stt = getattr(self._stt, "close", None)
        if close_stt is not None:
            await asyncio.to_thread(close_stt)

    def mix_caller(self, on: bool) -> None:
        """The operator's switch: the caller's voice in the broadcast (their own return feed never has it)."""
        self.mix_on = on
        on_call = self.call is not None and not self.call.closed
        self.air.mix_guest(on and on_call)

    def status(self) -> dict[str, object]:
        """Who is on (the caller as shown on air, over what), the conversation so far, who waits, the viewers."""
        call = self.call
        history = [{"speaker": e.speaker, "text": e.text} for e in call.conversation.history] if call else []
        return {**self.summary(), "history": history}

    def summary(self) -> dict[str, object]:
        """Who is on and who waits, without the conversation (the studio page's live view)."""
        call = self.call
        line = self.line if call is not None else None
        return {
            "line": "free" if self.line is None else "taken",  # taken without a call: one being connected
            "on_call": call is not None,
            "character": call.character if call else None,
            "session": call.id if call else None,
            "transport": line.transport if line else None,
            "caller": line.caller if line else None,
            "seconds": round(time.perf_counter() - call.started_at, 1) if call else 0.0,
            "viewers": sum(1 for s in self.gateway.sessions.values() if s.kind == "watch"),
            "mix_caller": self.mix_on,
        }

    async def hang_up_line(self, reason: str = "hung up by the operator") -> bool:
        """Hang up whoever is on the line, whatever carries the call; False if nobody is."""
        line = self.line
        if line is None or line.call is None:
            return False
        await line.hang_up(reason)
        return True

    async def _limit(self, line: CallerLine, seconds: float) -> None:
        await asyncio.sleep(seconds)
        await line.hang_up(f"the call reached its {seconds:g} s limit")
