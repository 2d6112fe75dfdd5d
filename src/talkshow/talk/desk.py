"""The talk desk: WebRTC sessions, the one caller on air at a time, and their ears kept warm.

Loading the VAD and STT models holds the GIL; ``warm`` does it before the stream's
clock starts, and every call reuses them (one caller at a time), so a call never
makes a frame late by starting.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, replace

from talkshow.ears.silero import SileroVad
from talkshow.ears.stt import SpeechToText
from talkshow.ears.turns import TurnJudge
from talkshow.errors import InputError
from talkshow.live.engine import LiveEngine
from talkshow.talk.gateway import BusyError, RtcGateway, RtcSession
from talkshow.talk.providers import make_replier, make_stt, make_turn_judge
from talkshow.talk.session import TalkSession
from talkshow.talk.settings import TalkSettings

logger = logging.getLogger(__name__)

__all__ = ["BusyError", "CallInfo", "TalkDesk"]


@dataclass(frozen=True)
class CallInfo:
    """What the API returns for a new session."""

    session_id: str
    answer_sdp: str
    character: str = ""


class TalkDesk:
    """Answers WebRTC offers: watchers get the show; one talker gets the show and a character to talk to."""

    def __init__(self, engine: LiveEngine, settings: TalkSettings | None = None, max_viewers: int = 16) -> None:
        self.engine = engine
        self.settings = settings or engine.config.talk
        timeout = self.settings.peer_timeout_s
        self.gateway = RtcGateway(engine.webrtc, max_viewers=max_viewers, connect_timeout_s=timeout)
        self.call: TalkSession | None = None
        self.mix_on = self.settings.mix_caller  # the operator's choice, kept across calls
        self._vad: SileroVad | None = None
        self._stt: SpeechToText | None = None
        self._judge: TurnJudge | None = None
        self._call_timer: asyncio.Task[None] | None = None

    def warm(self) -> None:
        """Load the VAD, STT and turn model now (before the clock runs); errors surface here, naming the part."""
        self._vad = SileroVad()
        self._stt = make_stt(self.settings)
        self._judge = make_turn_judge(self.settings)
        make_replier(self.settings, self.engine.config.writer, self.engine.telemetry)  # a bad [talk] fails at start

    async def watch(self, offer_sdp: str) -> CallInfo:
        """A WHEP-style viewer: the show over WebRTC, sub-second behind."""
        session, answer = await self.gateway.watch(offer_sdp)
        return CallInfo(session.id, answer)

    async def talk(self, offer_sdp: str, character: str = "") -> CallInfo:
        """Put a caller on air with ``character`` (default: the configured one). BusyError if someone is on."""
        if self.call is not None and not self.call.closed:
            raise BusyError("someone is already talking to the show; one caller at a time. Try again soon")
        cast = {m.id for m in self.engine.config.cast}
        if character and character not in cast:
            raise InputError(f"unknown character {character!r}; the cast is {', '.join(sorted(cast))}")
        if self._vad is None or self._stt is None:
            await asyncio.to_thread(self.warm)
        assert self._vad is not None and self._stt is not None
        settings = replace(self.settings, character=character or self.settings.character, mix_caller=self.mix_on)
        holder: list[TalkSession] = []
        session, answer = await self.gateway.talk(
            offer_sdp,
            on_audio=lambda samples, at: holder[0].feed(samples, at) if holder else None,
            on_end=self._ended,
            watch_audio=lambda packet: holder[0].packet_sent(packet.pts) if holder else None,
        )
        self._vad.reset()
        replier = make_replier(settings, self.engine.config.writer, self.engine.telemetry)
        call = TalkSession(self.engine, settings, self._vad, self._stt, replier, session.id, self._judge)
        holder.append(call)
        self.call = call
        self._call_timer = asyncio.ensure_future(self._limit(session, settings.max_call_s))
        return CallInfo(session.id, answer, call.character)

    async def hang_up(self, session_id: str) -> bool:
        """End a session (the caller's or a viewer's); False if there is none with that id."""
        return await self.gateway.close(session_id, "hung up")

    async def close(self) -> None:
        """End every session (the server is stopping)."""
        await self.gateway.close_all()
        await self._ended("the server is stopping")
        close_stt = getattr(self._stt, "close", None)
        if close_stt is not None:
            await asyncio.to_thread(close_stt)

    def mix_caller(self, on: bool) -> None:
        """The operator's switch: the caller's voice in the broadcast (their own return feed never has it)."""
        self.mix_on = on
        on_call = self.call is not None and not self.call.closed
        self.engine.guest_mix.enabled = on and on_call
        if not on:
            self.engine.guest_mix.clear()

    def status(self) -> dict[str, object]:
        """Who is on: the caller (if any), the conversation so far, the viewers."""
        call = self.call if self.call is not None and not self.call.closed else None
        return {
            "on_call": call is not None,
            "character": call.character if call else None,
            "session": call.id if call else None,
            "seconds": round(time.perf_counter() - call.started_at, 1) if call else 0.0,
            "history": [{"speaker": e.speaker, "text": e.text} for e in call.conversation.history] if call else [],
            "viewers": sum(1 for s in self.gateway.sessions.values() if s.kind == "watch"),
            "mix_caller": self.mix_on,
        }

    async def _limit(self, session: RtcSession, seconds: float) -> None:
        await asyncio.sleep(seconds)
        await self.gateway.close(session.id, f"the call reached its {seconds:g} s limit")

    async def _ended(self, reason: str) -> None:
        call, self.call = self.call, None
        if self._call_timer is not None:
            self._call_timer.cancel()
            self._call_timer = None
        if call is not None:
            await asyncio.to_thread(call.close, reason)  # joins the ears and reply threads: not on the loop
