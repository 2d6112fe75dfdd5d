"""The talk desk: the one line to the show, and the ears kept warm. It carries no call itself.

One caller is on air at a time, whatever carries the call: a browser over WebRTC
(``talkshow.webrtc``), or a phone bridge (``talkshow.phone``). A transport ``reserve``s the line (BusyError if it is
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

from talkshow.core.errors import BusyError, InputError
from talkshow.core.faces import OnAir
from talkshow.core.kinds.hearing import SpeechToText
from talkshow.ears.silero import SileroVad
from talkshow.ears.turn_end import TurnJudge
from talkshow.talk.providers import make_replier, make_stt, make_turn_judge, reply_kind
from talkshow.talk.session import TalkSession
from talkshow.talk.settings import TalkSettings
from talkshow.tasks import TaskGroup

logger = logging.getLogger(__name__)

__all__ = ["CallerLine", "TalkDesk"]

HangUp = Callable[[str], Awaitable[object]]


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


class TalkDesk:
    """The one line to the show: a transport reserves it, puts its caller on air, and ends the call."""

    def __init__(self, air: OnAir, settings: TalkSettings | None = None) -> None:
        self.air = air
        self.settings = settings or air.config.section(TalkSettings)
        self.line: CallerLine | None = None
        self.line_freed = asyncio.Event()  # set each time the line becomes free (a queued caller waits on it)
        self.mix_on = self.settings.mix_caller  # the operator's choice, kept across calls
        self._vad: SileroVad | None = None
        self._stt: SpeechToText | None = None
        self._judge: TurnJudge | None = None
        self._tasks = TaskGroup("talk desk")
        self.last_call: TalkSession | None = None  # the call on air, or the one before (its reply writer's state)

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
        make_replier(
            self.settings, self.air.config.writer, self.air.telemetry, self.air.config.sections
        )  # fails at start if bad

    def check_character(self, character: str) -> None:
        """InputError unless ``character`` is "" (the default) or in the cast."""
        cast = {m.id for m in self.air.config.cast}
        if character and character not in cast:
            raise InputError(f"unknown character {character!r}; the cast is {', '.join(sorted(cast))}")

    def lesson_settings(self, level: str = "", topic: str = "", learner: str = "") -> TalkSettings:
        """The talk settings for a learner's lesson: the level and topic they chose go to the tutor, their name
        keys their lessons. InputError if this show's reply is not the tutor."""
        if not (level or topic or learner):
            return self.settings
        if reply_kind(self.settings, self.air.config.writer) != "tutor":
            raise InputError("level, topic and learner are a lesson's: this show's talk reply is not the tutor")
        options = dict(self.settings.reply_options)
        options.update({k: v for k, v in (("level", level), ("topic", topic)) if v})
        caller = " ".join(learner.split())[:40] or self.settings.caller_name
        return replace(self.settings, reply_options=options, caller_name=caller)

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
        replier = make_replier(settings, self.air.config.writer, self.air.telemetry, self.air.config.sections)
        line.call = TalkSession(
            self.air, settings, self._vad, self._stt, replier, line.id, self._judge, line.transport, **hooks
        )
        self.last_call = line.call
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
        """End the call on the line (the server is stopping) and let the ears go."""
        line = self.line
        if line is not None:
            await line.hang_up("the server is stopping")
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
        """Who is on (the caller as shown on air, over what) and the conversation so far."""
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
            "mix_caller": self.mix_on,
        }

    async def hang_up_line(self, reason: str = "hung up by the operator") -> bool:
        """Hang up whoever is on the line, whatever carries the call; False if nobody is."""
        line = self.line
        if line is None or line.call is None:
            return False
        await line.hang_up(reason)
        return True

    def limit_call(self, line: CallerLine, seconds: float) -> None:
        """Hang up the call on ``line`` once it has lasted ``seconds`` (``end_line`` stops the timer)."""
        line.timer = self._tasks.spawn(self._limit(line, seconds), "time limit")

    async def _limit(self, line: CallerLine, seconds: float) -> None:
        await asyncio.sleep(seconds)
        await line.hang_up(f"the call reached its {seconds:g} s limit")
