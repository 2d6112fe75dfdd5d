"""A WebRTC caller for tests and ``talkshow bench talk``: speaks recorded audio, records what comes back.

It behaves like a browser on the talk page: it offers a microphone track (sent in real
time, 20 ms frames) and receives the show's video and audio. It notes when the last
loud sample of each utterance was sent, and when each frame of the show arrived, so
voice-to-voice latency is measured where a caller would feel it.
"""

from __future__ import annotations

import asyncio
import fractions
import time
from dataclasses import dataclass, field

import av
import httpx
import numpy as np
import numpy.typing as npt
from aiortc import MediaStreamTrack, RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import MediaStreamError

__all__ = ["CallerClip", "Heard", "TalkClient", "loud_span"]

RATE = 48_000
FRAME = 960  # 20 ms
LOUD = 500  # int16 peak that counts as sound (speech peaks are ~10000)


def loud_span(samples: npt.NDArray[np.int16], threshold: int = LOUD) -> tuple[int, int]:
    """First and last sample louder than ``threshold`` (0, 0 if none)."""
    loud = np.flatnonzero(np.abs(samples.astype(np.int32)) > threshold)
    return (int(loud[0]), int(loud[-1])) if len(loud) else (0, 0)


@dataclass(frozen=True)
class CallerClip:
    """What a caller says: 48 kHz mono audio, and the samples where the voice in it begins and ends.

    The span comes from the speech before room noise is added: in noise, "the first loud
    sample" is the noise's, not the voice's, and latencies measured from it would be wrong.
    """

    samples: npt.NDArray[np.int16]
    voice_start: int
    voice_end: int

    @classmethod
    def in_noise(cls, speech: npt.NDArray[np.int16], snr_db: float, seed: int = 0, pad_s: float = 0.1) -> CallerClip:
        """``speech`` (48 kHz, clean) padded with ``pad_s`` of quiet each side, white noise ``snr_db`` below it."""
        pad = np.zeros(round(pad_s * RATE))
        audio = np.concatenate([pad, speech.astype(np.float64), pad])
        voiced = speech[np.abs(speech.astype(np.int32)) > 200].astype(np.float64)
        level = np.sqrt(np.mean(voiced**2) / 10 ** (snr_db / 10)) if len(voiced) else 0.0
        noisy = audio + np.random.default_rng(seed).normal(0, level, len(audio))
        start, end = loud_span(speech)
        return cls(np.clip(noisy, -32768, 32767).astype(np.int16), start + len(pad), end + len(pad))


@dataclass
class Heard:
    """What arrived from the show: per 20 ms audio frame its arrival time and peak; video frames with theirs."""

    audio: list[tuple[float, int, int]] = field(default_factory=list)  # (arrived, pts, peak)
    video: list[tuple[float, int, npt.NDArray[np.uint8]]] = field(default_factory=list)  # (arrived, pts, gray)
    keep_video: bool = False

    def audio_onset_after(self, t: float, min_peak: int = 2000, run: int = 2) -> float | None:
        """When sound (``run`` frames in a row over ``min_peak``) first arrived after ``t``."""
        streak = 0
        for arrived, _, peak in self.audio:
            if arrived <= t:
                continue
            streak = streak + 1 if peak >= min_peak else 0
            if streak == run:
                return arrived - (run - 1) * FRAME / RATE
        return None

    def silent_from(self, t: float, seconds: float = 0.4, max_peak: int = 1000) -> float | None:
        """When the show's audio went quiet (under ``max_peak`` for ``seconds``) after ``t``, by arrival."""
        frames = [(arrived, peak) for arrived, _, peak in self.audio if arrived >= t]
        for index, (arrived, _) in enumerate(frames):
            window = [peak for when, peak in frames[index:] if when < arrived + seconds]
            if frames[-1][0] >= arrived + seconds and max(window) < max_peak:
                return arrived
        return None

    def quiet_since(self, seconds: float, max_peak: int = 1000) -> bool:
        """True if the last ``seconds`` of show audio were silent."""
        now = time.perf_counter()
        recent = [peak for arrived, _, peak in self.audio if now - arrived <= seconds]
        return bool(recent) and max(recent) < max_peak and self.audio[0][0] < now - seconds


class _Microphone(MediaStreamTrack):
    """Plays queued audio in real time, silence in between (as a live microphone would)."""

    kind = "audio"

    def __init__(self) -> None:
        super().__init__()
        self._pending: list[tuple[CallerClip, asyncio.Future[float], asyncio.Future[float] | None]] = []
        self._current: npt.NDArray[np.int16] | None = None
        self._offset = 0
        self._loud = (0, 0)
        self._done: asyncio.Future[float] | None = None
        self._started: asyncio.Future[float] | None = None
        self._pts = 0
        self._start: float | None = None

    def speak(self, clip: CallerClip, started: asyncio.Future[float] | None = None) -> asyncio.Future[float]:
        """Queue an utterance; resolves to when the last sample of its voice was sent.

        ``started``, if given, resolves to when the first sample of its voice was sent.
        """
        done: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self._pending.append((clip, done, started))
        return done

    async def recv(self) -> av.AudioFrame:
        if self._start is None:
            self._start = time.perf_counter()
        due = self._start + self._pts / RATE
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        chunk = self._next_chunk()
        frame = av.AudioFrame.from_ndarray(chunk.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = RATE
        frame.pts = self._pts
        frame.time_base = fractions.Fraction(1, RATE)
        self._pts += FRAME
        return frame

    def _next_chunk(self) -> npt.NDArray[np.int16]:
        if self._current is None and self._pending:
            clip, self._done, self._started = self._pending.pop(0)
            self._current, self._offset = clip.samples, 0
            self._loud = (clip.voice_start, clip.voice_end)
        if self._current is None:
            return np.zeros(FRAME, np.int16)
        chunk = np.zeros(FRAME, np.int16)
        part = self._current[self._offset : self._offset + FRAME]
        chunk[: len(part)] = part
        # The frame goes out now; a sample inside it is that much later in the stream.
        now = time.perf_counter()
        if self._started is not None and self._offset <= self._loud[0] < self._offset + FRAME:
            self._started.set_result(now + (self._loud[0] - self._offset) / RATE)
            self._started = None
        if self._done is not None and self._offset <= self._loud[1] < self._offset + FRAME:
            self._done.set_result(now + (self._loud[1] - self._offset) / RATE)
            self._done = None
        self._offset += FRAME
        if self._offset >= len(self._current):
            self._current = None
        return chunk


class TalkClient:
    """One caller: ``connect``, ``speak`` utterances, read ``heard``; ``close`` hangs up."""

    def __init__(self, base_url: str, token: str = "", keep_video: bool = False) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.heard = Heard(keep_video=keep_video)
        self.microphone = _Microphone()
        self.pc = RTCPeerConnection()
        self.session_url = ""
        self.character = ""
        self._readers: list[asyncio.Task[None]] = []

    async def connect(self, character: str = "", path: str = "/api/rtc/talk") -> int:
        """Offer, post, answer; returns the HTTP status (201 when on air)."""
        self.pc.addTransceiver("video", direction="recvonly")
        self.pc.addTransceiver(self.microphone, direction="sendrecv")

        @self.pc.on("track")
        def on_track(track: MediaStreamTrack) -> None:
            self._readers.append(asyncio.ensure_future(self._read(track)))

        await self.pc.setLocalDescription(await self.pc.createOffer())
        headers = {"Content-Type": "application/sdp"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        url = f"{self.base_url}{path}" + (f"?character={character}" if character else "")
        async with httpx.AsyncClient(timeout=30) as client:
            reply = await client.post(url, content=self.pc.localDescription.sdp, headers=headers)
        if reply.status_code != 201:
            await self.pc.close()
            self.error = reply.text
            return reply.status_code
        self.session_url = self.base_url + reply.headers["location"]
        self.character = reply.headers.get("x-talkshow-character", "")
        await self.pc.setRemoteDescription(RTCSessionDescription(reply.text, "answer"))
        return reply.status_code

    async def wait_for_show(self, timeout: float = 15.0) -> None:
        """Until the first video and audio frames arrive."""
        deadline = time.perf_counter() + timeout
        while not (self.heard.video and self.heard.audio):
            if time.perf_counter() > deadline:
                raise TimeoutError(f"no media from the show within {timeout:g} s")
            await asyncio.sleep(0.05)

    async def wait_for_quiet(self, seconds: float = 0.6, timeout: float = 30.0) -> None:
        """Until the show has been silent for ``seconds`` (no line on air)."""
        deadline = time.perf_counter() + timeout
        while not self.heard.quiet_since(seconds):
            if time.perf_counter() > deadline:
                raise TimeoutError(f"the show did not go quiet within {timeout:g} s")
            await asyncio.sleep(0.05)

    def speak(self, clip: CallerClip, started: asyncio.Future[float] | None = None) -> asyncio.Future[float]:
        """Send an utterance; resolves to the time the last sample of its voice went out.

        ``started``, if given, resolves to the time the first sample of its voice went out.
        """
        return self.microphone.speak(clip, started)

    async def close(self) -> None:
        """Hang up (DELETE the session) and close the connection."""
        if self.session_url:
            async with httpx.AsyncClient(timeout=10) as client:
                headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
                await client.delete(self.session_url, headers=headers)
            self.session_url = ""
        for reader in self._readers:
            reader.cancel()
        await self.pc.close()

    async def _read(self, track: MediaStreamTrack) -> None:
        while True:
            try:
                frame = await track.recv()
            except MediaStreamError:
                return
            arrived = time.perf_counter()
            if isinstance(frame, av.AudioFrame):
                samples = frame.to_ndarray()
                self.heard.audio.append((arrived, int(frame.pts or 0), int(np.abs(samples.astype(np.int32)).max())))
            elif isinstance(frame, av.VideoFrame):
                gray: npt.NDArray[np.uint8] = np.zeros((0, 0), np.uint8)
                if self.heard.keep_video:
                    gray = np.asarray(frame.to_ndarray(format="gray"), np.uint8)
                self.heard.video.append((arrived, int(frame.pts or 0), gray))
