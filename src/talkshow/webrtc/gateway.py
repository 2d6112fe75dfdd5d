"""WebRTC sessions: viewers (WHEP-style, watch only) and the talker (microphone in, the show out).

An offer comes in as SDP and the answer goes back, with every ICE candidate in it (no
trickle), as WHIP and WHEP do. The answer offers only H.264 for video and Opus for
audio, since the peer gets the show's own packets. Sessions run on the server's event
loop; a session whose connection fails or closes is cleaned up, and the talker's
``on_end`` says why.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import av
import numpy as np
import numpy.typing as npt
from aiortc import RTCPeerConnection, RTCRtpCodecCapability, RTCRtpReceiver, RTCRtpSender, RTCSessionDescription
from aiortc.jitterbuffer import JitterBuffer
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack
from aiortc.sdp import SessionDescription

from talkshow.broadcast.webrtc_feed import FeedSubscriber, WebRtcFeed
from talkshow.broadcast.webrtc_tracks import FeedAudioTrack, FeedVideoTrack, PacketWatch
from talkshow.core.errors import BusyError, InputError
from talkshow.tasks import TaskGroup

logger = logging.getLogger(__name__)

__all__ = ["RtcGateway", "RtcSession"]

MAX_SDP_BYTES = 64 * 1024
AudioSink = Callable[[npt.NDArray[np.int16], float], None]  # 48 kHz mono int16, arrival time
EndHandler = Callable[[str], Awaitable[None]]


@dataclass
class RtcSession:
    """One peer: its connection, what it is (``watch`` or ``talk``) and its feed subscription."""

    id: str
    kind: str
    pc: RTCPeerConnection
    subscriber: FeedSubscriber
    created: float = field(default_factory=time.monotonic)
    state: str = "new"
    ended: str = ""  # why it ended, once it has
    audio_frames_in: int = 0
    on_end: EndHandler | None = None  # the talker's: runs once, with the reason


class RtcGateway:
    """Creates and tracks WebRTC sessions on one event loop."""

    def __init__(self, feed: WebRtcFeed, max_viewers: int = 16, connect_timeout_s: float = 20.0) -> None:
        self.feed = feed
        self.max_viewers = max_viewers
        self.connect_timeout_s = connect_timeout_s
        self.sessions: dict[str, RtcSession] = {}
        self._tasks = TaskGroup("webrtc gateway")

    @property
    def talker(self) -> RtcSession | None:
        """The talk session, if someone is on the line."""
        return next((s for s in self.sessions.values() if s.kind == "talk"), None)

    async def watch(self, offer_sdp: str) -> tuple[RtcSession, str]:
        """A watch-only session for ``offer_sdp``; returns it and the answer SDP."""
        if self.feed.watch_refusal:  # the broadcast delay: this feed is live, viewers must see the delayed one
            raise BusyError(self.feed.watch_refusal)
        viewers = sum(1 for s in self.sessions.values() if s.kind == "watch")
        if viewers >= self.max_viewers:
            raise BusyError(f"{viewers} WebRTC viewers already watch; the limit is {self.max_viewers}. Use HLS")
        return await self._open("watch", offer_sdp, None, None)

    async def talk(
        self, offer_sdp: str, on_audio: AudioSink, on_end: EndHandler, watch_audio: PacketWatch | None = None
    ) -> tuple[RtcSession, str]:
        """The talk session: the peer's microphone goes to ``on_audio``; ``on_end(reason)`` runs once when it ends."""
        if self.talker is not None:
            raise BusyError("someone is already talking to the show; one caller at a time. Try again soon")
        return await self._open("talk", offer_sdp, (on_audio, on_end), watch_audio)

    async def close(self, session_id: str, reason: str = "closed by the peer") -> bool:
        """End a session (False if there is no such session)."""
        session = self.sessions.get(session_id)
        if session is None:
            return False
        await self._end(session, reason)
        return True

    async def close_all(self) -> None:
        """End every session (the server is stopping)."""
        for session in list(self.sessions.values()):
            await self._end(session, "the server is stopping")

    async def _open(
        self, kind: str, offer_sdp: str, talk: tuple[AudioSink, EndHandler] | None, watch_audio: PacketWatch | None
    ) -> tuple[RtcSession, str]:
        offer = _parse_offer(offer_sdp)
        media = _offered_media(offer_sdp, needs_microphone=talk is not None)
        pc = RTCPeerConnection()
        subscriber = FeedSubscriber(asyncio.get_running_loop(), mix_minus=talk is not None)
        session = RtcSession(secrets.token_urlsafe(12), kind, pc, subscriber, on_end=talk[1] if talk else None)
        for offered in media:  # in the offer's order, only what it asks for (an audio-only viewer gets audio)
            if offered == "video":
                video = pc.addTransceiver(FeedVideoTrack(subscriber), direction="sendonly")
                video.setCodecPreferences(_codecs("video", "video/H264"))
            else:
                track = FeedAudioTrack(subscriber, watch_audio)
                audio = pc.addTransceiver(track, direction="sendrecv" if talk else "sendonly")
                audio.setCodecPreferences(_codecs("audio", "audio/opus"))
                if talk is not None:
                    _hear_without_playout_delay(audio.receiver)
        self.sessions[session.id] = session

        @pc.on("connectionstatechange")
        async def on_state() -> None:
            session.state = pc.connectionState
            if pc.connectionState == "failed":
                await self._end(session, "the connection failed (ICE or DTLS): no media path to the peer")
            elif pc.connectionState == "closed":
                await self._end(session, "the peer closed the connection")

        if talk is not None:

            @pc.on("track")
            def on_track(track: MediaStreamTrack) -> None:
                if track.kind == "audio":
                    self._tasks.spawn(self._read_audio(session, track, talk[0]), f"{session.id} audio")

        try:
            await pc.setRemoteDescription(offer)
            await pc.setLocalDescription(await pc.createAnswer())
        except (ValueError, KeyError, TypeError) as exc:
            await self._end(session, "bad offer")
            raise InputError(f"the SDP offer could not be used: {exc}") from exc
        except Exception as exc:  # aiortc raises OperationError and friends for offers it cannot answer
            await self._end(session, "bad offer")
            raise InputError(f"the SDP offer could not be answered: {exc}") from exc
        self.feed.subscribe(subscriber)
        self._tasks.spawn(self._expire_if_unconnected(session), f"{session.id} connect timeout")
        logger.info("webrtc %s session %s opened", kind, session.id)
        return session, pc.localDescription.sdp

    async def _read_audio(self, session: RtcSession, track: MediaStreamTrack, sink: AudioSink) -> None:
        """The peer's microphone, as 48 kHz mono int16, to ``sink`` (never blocks: the sink queues)."""
        resampler = av.AudioResampler(format="s16", layout="mono", rate=48_000)
        while session.ended == "":
            try:
                async with asyncio.timeout(self.connect_timeout_s):
                    frame = await track.recv()
            except MediaStreamError:
                return
            except TimeoutError:  # the peer vanished without closing: the show must not wait for it
                await self._end(session, f"no audio from the peer for {self.connect_timeout_s:g} s")
                return
            arrived = time.perf_counter()
            if not isinstance(frame, av.AudioFrame):
                continue
            for mono in resampler.resample(frame):
                session.audio_frames_in += 1
                sink(mono.to_ndarray().reshape(-1).astype(np.int16), arrived)

    async def _expire_if_unconnected(self, session: RtcSession) -> None:
        await asyncio.sleep(self.connect_timeout_s)
        if session.ended == "" and session.pc.connectionState != "connected":
            await self._end(session, f"no connection within {self.connect_timeout_s:g} s (ICE failed?)")

    async def _end(self, session: RtcSession, reason: str) -> None:
        if session.ended:
            return
        session.ended = reason
        self.sessions.pop(session.id, None)
        self.feed.unsubscribe(session.subscriber)
        logger.info("webrtc %s session %s ended: %s", session.kind, session.id, reason)
        try:
            await session.pc.close()
        finally:
            if session.on_end is not None:
                await session.on_end(reason)


def _hear_without_playout_delay(receiver: RTCRtpReceiver) -> None:
    """The caller's audio feeds ears, not a loudspeaker: no 80 ms of jitter prefetch before the VAD hears it.

    aiortc buffers 4 packets of received audio before decoding, for smooth playout.
    Measured here, that was most of the 60-100 ms between the caller's first sound and
    the VAD hearing it. The VAD and STT need no smoothness, so one packet is enough.
    """
    name = "_RTCRtpReceiver__jitter_buffer"  # aiortc has no option for it; its default is set in __init__
    if isinstance(getattr(receiver, name, None), JitterBuffer):
        setattr(receiver, name, JitterBuffer(capacity=16, prefetch=1))


def _parse_offer(sdp: str) -> RTCSessionDescription:
    if not sdp.strip():
        raise InputError("the request body must be an SDP offer (Content-Type: application/sdp); it was empty")
    if len(sdp) > MAX_SDP_BYTES:
        raise InputError(f"the SDP offer is {len(sdp)} bytes; the limit is {MAX_SDP_BYTES}")
    if not sdp.startswith("v=0") or "m=" not in sdp:
        raise InputError("the body is not an SDP offer: it must start with 'v=0' and have media ('m=') lines")
    return RTCSessionDescription(sdp=sdp, type="offer")


def _offered_media(sdp: str, needs_microphone: bool) -> list[str]:
    """The kinds of media the offer asks for (audio, video), in order; InputError naming what it lacks.

    Every media section must carry a DTLS fingerprint (WebRTC media is always encrypted); to talk,
    the offer must send audio (a microphone), and it may or may not take the show's picture.
    """
    try:
        sections = SessionDescription.parse(sdp).media
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        raise InputError(f"the SDP offer could not be read: {exc}") from exc
    kinds = [m.kind for m in sections if m.kind in ("audio", "video")]
    if not kinds:
        raise InputError("the SDP offer has no audio or video section to answer")
    if any(m.dtls is None or not m.dtls.fingerprints for m in sections):
        raise InputError("the SDP offer has no DTLS fingerprint (a=fingerprint): WebRTC media must be encrypted")
    if needs_microphone and not any(m.kind == "audio" and m.direction in ("sendrecv", "sendonly") for m in sections):
        raise InputError("to talk, the SDP offer must send audio (a microphone track: a=sendrecv on its audio)")
    if len(kinds) != len(set(kinds)):
        raise InputError("the SDP offer has more than one audio or video section; the show sends one of each")
    return kinds


def _codecs(kind: str, mime: str) -> list[RTCRtpCodecCapability]:
    return [c for c in RTCRtpSender.getCapabilities(kind).codecs if c.mimeType.lower() == mime.lower()]
