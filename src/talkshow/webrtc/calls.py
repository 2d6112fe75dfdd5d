"""The show over WebRTC: viewers who watch (WHEP-style), and a caller with a microphone on the talk desk's line.

The gateway answers the SDP offers and runs the peer connections; the caller's call is the
talk desk's, like a phone caller's: this module only carries it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

from talkshow.core.faces import OnAir
from talkshow.talk.desk import TalkDesk
from talkshow.talk.session import TalkSession
from talkshow.talk.settings import TalkSettings
from talkshow.webrtc.gateway import RtcGateway

logger = logging.getLogger(__name__)

__all__ = ["CallInfo", "WebRtcCalls"]


@dataclass(frozen=True)
class CallInfo:
    """What the API returns for a new session."""

    session_id: str
    answer_sdp: str
    character: str = ""


async def _nobody(reason: str) -> None:
    return None


class WebRtcCalls:
    """Answers WebRTC offers: watchers get the show; one talker gets the show and a character to talk to."""

    def __init__(self, air: OnAir, desk: TalkDesk, max_viewers: int = 16) -> None:
        self.desk = desk
        self.gateway = RtcGateway(air.webrtc, max_viewers=max_viewers, connect_timeout_s=desk.settings.peer_timeout_s)

    async def watch(self, offer_sdp: str) -> CallInfo:
        """A WHEP-style viewer: the show over WebRTC, sub-second behind."""
        session, answer = await self.gateway.watch(offer_sdp)
        return CallInfo(session.id, answer)

    async def talk(self, offer_sdp: str, character: str = "", lesson: TalkSettings | None = None) -> CallInfo:
        """Put a caller on air with ``character`` (default: the configured one). BusyError if someone is on.
        ``lesson``: a learner's talk settings (``TalkDesk.lesson_settings``), on a tutor show."""
        desk = self.desk
        desk.check_character(character)
        chosen = lesson or desk.settings
        line = desk.reserve("webrtc", chosen.caller_name, _nobody)
        holder: list[TalkSession] = []
        try:
            await desk.ensure_warm()
            session, answer = await self.gateway.talk(
                offer_sdp,
                on_audio=lambda samples, at: holder[0].feed(samples, at) if holder else None,
                on_end=lambda reason: desk.end_line(line, reason),
                watch_audio=lambda packet: holder[0].packet_sent(packet.pts) if holder else None,
            )
        except BaseException:
            desk.release(line)
            raise
        line.id = session.id
        line.hang_up = lambda reason: self.gateway.close(session.id, reason)
        settings = replace(chosen, character=character or desk.settings.character, mix_caller=desk.mix_on)
        call = desk.open_call(line, settings)
        holder.append(call)
        desk.limit_call(line, settings.max_call_s)
        return CallInfo(session.id, answer, call.character)

    async def hang_up(self, session_id: str) -> bool:
        """End a session by its id (the caller's ends the call: the show resumes); False if there is none."""
        return await self.gateway.close(session_id, "hung up")

    def viewers(self) -> int:
        """How many watch over WebRTC from this server."""
        return sum(1 for session in self.gateway.sessions.values() if session.kind == "watch")

    async def close(self) -> None:
        """End every session (the server is stopping)."""
        await self.gateway.close_all()
