"""Publish the show to an SFU over WHIP: the same H.264 packets and the one shared Opus encode, once.

WHIP (RFC 9725) is one HTTP exchange: POST an SDP offer (``application/sdp``, with a
Bearer token), get ``201 Created`` with the answer and a ``Location``; DELETE that
``Location`` to stop. The SFU (LiveKit Ingress, Cloudflare Stream, Janus behind
simple-whip-server, MediaMTX) fans the stream out, so talkshow's cost does not grow
with the audience.

The publisher is a subscriber of the engine's ``WebRtcFeed``, like a WebRTC viewer: no
encode of its own, only packetising. It offers only H.264 (the show's own packets) and
Opus, with every ICE candidate in the offer (no trickle: aiortc gathers them first).
A publish that fails, or a connection that drops, is retried with backoff (1 s doubling
to 30 s), each time as a new session: aiortc has no ICE restart, and WHIP allows a new
POST. A dead SFU is noticed by its silence: once it has sent RTCP receiver reports, none
for ``SFU_SILENCE_S`` ends the session (ICE consent alone takes about 30 s). Its state
is a supervised part (``whip:HOST``) in ``/api/status``. The token comes from the
environment or a file, never the command line, and is never logged.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from urllib.parse import urljoin

import httpx
from aiortc import RTCPeerConnection, RTCRtpCodecCapability, RTCRtpSender, RTCSessionDescription

from talkshow.broadcast.types import WhipTarget
from talkshow.broadcast.webrtc_feed import FeedSubscriber, WebRtcFeed
from talkshow.broadcast.webrtc_tracks import FeedAudioTrack, FeedVideoTrack
from talkshow.core.errors import ServiceError
from talkshow.redact import redact_url
from talkshow.supervisor import Backoff, Policy, Supervisor
from talkshow.telemetry.events import Telemetry

logger = logging.getLogger(__name__)

__all__ = ["WhipError", "WhipPublisher", "WhipTarget", "whip_target"]

CONNECT_TIMEOUT_S = 15.0
RETRY = Backoff(1.0, 30.0)  # after a failed publish or a lost connection: 1 s, doubling to 30 s
SFU_SILENCE_S = 5.0  # SFUs report about once a second; five missed in a row is a dead SFU, not a late packet


class WhipError(ServiceError):
    """The WHIP endpoint refused the offer or answered something unusable."""


class WhipPublisher:
    """Keeps the show published at one WHIP endpoint until ``close``."""

    def __init__(
        self,
        target: WhipTarget,
        feed: WebRtcFeed,
        telemetry: Telemetry,
        supervisor: Supervisor,
        backoff: Backoff = RETRY,
    ) -> None:
        self.target = target
        self.feed = feed
        self.telemetry = telemetry
        self.supervisor = supervisor
        self.backoff = backoff
        self.name = f"whip:{httpx.URL(target.url).host}"
        self.resource: str | None = None  # the session's Location, while published
        self.publishes = 0
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()
        supervisor.register(self.name, Policy.RESTART)

    def start(self) -> None:
        """Begin publishing (on the running loop)."""
        self._task = asyncio.get_running_loop().create_task(self._run(), name=self.name)

    async def close(self) -> None:
        """Stop publishing: the session is DELETEd at the endpoint."""
        self._stopping.set()
        if self._task is not None:
            await self._task
        self.supervisor.stopped(self.name)

    async def _run(self) -> None:
        failures = 0  # in a row: a session that connected starts the count again
        async with httpx.AsyncClient(timeout=10.0) as http:
            while not self._stopping.is_set():
                connected, reason = await self._session(http)
                if self._stopping.is_set():
                    return
                failures = 1 if connected else failures + 1
                wait = self.backoff.delay(failures)
                self.supervisor.failed(self.name, reason, restarting=True, lost=f"publishing again in {wait:g} s")
                self.telemetry.emit("whip_retry", endpoint=self.name, reason=reason, wait_s=wait)
                await _sleep_unless(self._stopping, wait)

    async def _session(self, http: httpx.AsyncClient) -> tuple[bool, str]:
        """One published session, until it fails or we stop: whether it connected, and why it ended."""
        subscriber = FeedSubscriber(asyncio.get_running_loop())
        pc = RTCPeerConnection()
        connected, ended = asyncio.Event(), asyncio.Event()

        @pc.on("connectionstatechange")
        async def on_state() -> None:
            if pc.connectionState == "connected":
                connected.set()
            elif pc.connectionState in ("failed", "closed"):
                ended.set()

        video = pc.addTransceiver(FeedVideoTrack(subscriber), direction="sendonly")
        video.setCodecPreferences(_codecs("video", "video/H264"))
        audio = pc.addTransceiver(FeedAudioTrack(subscriber), direction="sendonly")
        audio.setCodecPreferences(_codecs("audio", "audio/opus"))
        try:
            await pc.setLocalDescription(await pc.createOffer())
            answer = await self._post(http, pc.localDescription.sdp)
            await pc.setRemoteDescription(RTCSessionDescription(answer, "answer"))
        except (httpx.HTTPError, WhipError, ValueError) as exc:
            await pc.close()
            return False, f"publish failed: {exc}"
        self.feed.subscribe(subscriber)
        try:
            await _first(CONNECT_TIMEOUT_S, connected, ended, self._stopping)
            if connected.is_set() and not ended.is_set():
                self.publishes += 1
                self.supervisor.running(self.name)
                self.telemetry.emit("whip_published", endpoint=self.name, publishes=self.publishes)
                logger.info("whip: publishing to %s", redact_url(self.target.url))
                watchdog = asyncio.ensure_future(_end_when_silent(video.sender, ended))
                try:
                    await _first(None, ended, self._stopping)
                finally:
                    watchdog.cancel()
            state = pc.connectionState
        finally:
            self.feed.unsubscribe(subscriber)
            await pc.close()
            await self._delete(http)
        if self._stopping.is_set():
            return connected.is_set(), "stopped"
        if not connected.is_set():
            return False, f"no media connection to the SFU within {CONNECT_TIMEOUT_S:g} s ({state})"
        if state == "connected":
            return True, f"the SFU sent no receiver report for {SFU_SILENCE_S:g} s"
        return True, f"the connection to the SFU was lost ({state})"

    async def _post(self, http: httpx.AsyncClient, offer: str) -> str:
        headers = {"Content-Type": "application/sdp"}
        if self.target.token:
            headers["Authorization"] = f"Bearer {self.target.token}"
        reply = await http.post(self.target.url, content=offer, headers=headers)
        if reply.status_code != 201:
            raise WhipError(f"the endpoint answered {reply.status_code} {reply.reason_phrase}: {reply.text[:200]}")
        if "application/sdp" not in reply.headers.get("content-type", ""):
            raise WhipError(f"the endpoint's answer is {reply.headers.get('content-type')!r}, not application/sdp")
        location = reply.headers.get("location")
        if not location:
            raise WhipError("the endpoint gave no Location for the session (needed to end it)")
        self.resource = urljoin(self.target.url, location)
        return reply.text

    async def _delete(self, http: httpx.AsyncClient) -> None:
        """End the session at the endpoint (best effort: it may be gone with the SFU)."""
        if self.resource is None:
            return
        resource, self.resource = self.resource, None
        headers = {"Authorization": f"Bearer {self.target.token}"} if self.target.token else {}
        try:
            await http.delete(resource, headers=headers)
        except httpx.HTTPError as exc:
            logger.info("whip: could not DELETE the old session at %s: %s", redact_url(resource), exc)


async def _end_when_silent(sender: RTCRtpSender, ended: asyncio.Event) -> None:
    """Set ``ended`` once the SFU, having sent receiver reports, sends none for ``SFU_SILENCE_S``."""
    while True:
        await asyncio.sleep(1.0)
        reports = [s for s in (await sender.getStats()).values() if s.type == "remote-inbound-rtp"]
        if reports and (time.time() - reports[0].timestamp.timestamp()) > SFU_SILENCE_S:
            ended.set()
            return


def _codecs(kind: str, mime: str) -> list[RTCRtpCodecCapability]:
    return [c for c in RTCRtpSender.getCapabilities(kind).codecs if c.mimeType.lower() == mime.lower()]


async def _first(timeout: float | None, *events: asyncio.Event) -> None:
    """Until any of ``events`` is set (or ``timeout`` passes)."""
    waits = [asyncio.ensure_future(event.wait()) for event in events]
    try:
        await asyncio.wait(waits, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for wait in waits:
            wait.cancel()


async def _sleep_unless(stopping: asyncio.Event, seconds: float) -> None:
    await _first(seconds, stopping)


def whip_target(spec: str, token_env: str = "TALKSHOW_WHIP_TOKEN") -> WhipTarget:
    """``--whip`` as given: a URL, or ``env:VAR`` / ``file:PATH`` holding one (a URL may carry a key);
    the Bearer token from ``$token_env`` (empty: the endpoint needs none). InputError if it is no http(s) URL."""
    from talkshow.broadcast.rtmp import read_url
    from talkshow.core.errors import InputError

    url = read_url(spec, "WHIP URL")
    if not url.startswith(("http://", "https://")):
        raise InputError(f"--whip takes an http(s) URL of a WHIP endpoint, not {redact_url(url)[:80]!r}")
    return WhipTarget(url, os.environ.get(token_env, "").strip())
