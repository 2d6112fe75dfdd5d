"""The encoded show for WebRTC peers: the same H.264 packets every output gets, and one shared Opus encode.

A WebRTC viewer costs packetising, not encoding. The encoder thread hands this output
its H.264 packets (SPS/PPS put in front of each keyframe, since the encoder keeps them
in its global header) and each frame's PCM, which is encoded to Opus once, only while
someone subscribes. Subscribers live on an asyncio loop; packets reach them with
``call_soon_threadsafe`` and wait in a bounded queue. A subscriber that falls behind
loses its oldest packets (video then waits for the next keyframe), never the encoder's time.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections import deque
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import av
import numpy as np
import numpy.typing as npt

from talkshow.core.clock import ShowClock
from talkshow.core.kinds.output import EncodedStreams, Packet

logger = logging.getLogger(__name__)

__all__ = ["FeedPacket", "FeedSubscriber", "WebRtcFeed"]

OPUS_FRAME_SAMPLES = 960  # 20 ms at 48 kHz: what WebRTC peers expect per packet
OPUS_BITRATE = 64_000
VIDEO_BACKLOG = 45  # 1.5 s of frames waiting for one peer; beyond it the peer is too slow
AUDIO_BACKLOG = 75  # 1.5 s of 20 ms packets


@dataclass(frozen=True)
class FeedPacket:
    """One encoded packet for a peer: its bytes and where it sits on the show clock."""

    data: bytes
    pts: int
    time_base: Fraction
    keyframe: bool = False
    sent_at: float = 0.0  # loop time it was handed on (for latency traces)

    def to_av(self) -> Packet:
        """A PyAV packet, the media type aiortc's senders pack without re-encoding."""
        packet: Packet = av.Packet(self.data)
        packet.pts = packet.dts = self.pts
        packet.time_base = self.time_base
        return packet


class FeedSubscriber:
    """One peer's view of the feed: two bounded queues read on its own asyncio loop."""

    def __init__(
        self, loop: asyncio.AbstractEventLoop, video: bool = True, audio: bool = True, mix_minus: bool = False
    ) -> None:
        """``mix_minus``: this peer is the caller; its audio never carries its own voice back."""
        self.loop = loop
        self.wants_video = video
        self.wants_audio = audio
        self.mix_minus = mix_minus
        self.video: deque[FeedPacket] = deque(maxlen=VIDEO_BACKLOG)
        self.audio: deque[FeedPacket] = deque(maxlen=AUDIO_BACKLOG)
        self._video_ready = asyncio.Event()
        self._audio_ready = asyncio.Event()
        self._waiting_for_keyframe = True  # a peer starts (and restarts after a loss) at a keyframe
        self.dropped = 0
        self.closed = False

    def _deliver(self, packet: FeedPacket, is_video: bool) -> None:
        """On the subscriber's loop: queue ``packet``; the oldest goes if the queue is full."""
        if self.closed:
            return
        if is_video:
            if self._waiting_for_keyframe and not packet.keyframe:
                return
            self._waiting_for_keyframe = False
            if len(self.video) == self.video.maxlen:
                self.dropped += len(self.video)
                self.video.clear()  # a gap in H.264 breaks every frame until the next keyframe
                self._waiting_for_keyframe = not packet.keyframe
                if self._waiting_for_keyframe:
                    return
            self.video.append(packet)
            self._video_ready.set()
        else:
            if len(self.audio) == self.audio.maxlen:
                self.dropped += 1
            self.audio.append(packet)
            self._audio_ready.set()

    async def next_video(self) -> FeedPacket:
        """The next video packet, waiting for it."""
        return await self._next(self.video, self._video_ready)

    async def next_audio(self) -> FeedPacket:
        """The next audio packet, waiting for it."""
        return await self._next(self.audio, self._audio_ready)

    async def _next(self, queue: deque[FeedPacket], ready: asyncio.Event) -> FeedPacket:
        while not queue:
            ready.clear()
            await ready.wait()
        return queue.popleft()


class WebRtcFeed:
    """An encoder output (video packets) and PCM tap (audio) that fans both out to WebRTC subscribers."""

    name = "webrtc"

    def __init__(self, clock: ShowClock) -> None:
        self.clock = clock
        self._subscribers: list[FeedSubscriber] = []
        self._lock = threading.Lock()
        self._extradata = b""
        self._opus: Any = None
        self._opus_minus: Any = None  # the caller's own encode: the show without their voice
        self.opus_packets = 0
        self.video_packets = 0
        self.watch_refusal = ""  # set: viewers may not watch this feed, and this says why (the caller still may)

    @property
    def subscribers(self) -> int:
        """Peers subscribed now."""
        with self._lock:
            return len(self._subscribers)

    def subscribe(self, subscriber: FeedSubscriber) -> None:
        """Start delivering packets to ``subscriber`` (from the next keyframe for video)."""
        with self._lock:
            self._subscribers.append(subscriber)

    def unsubscribe(self, subscriber: FeedSubscriber) -> None:
        """Stop delivering to ``subscriber``; the Opus encoder stops when nobody is left."""
        subscriber.closed = True
        with self._lock:
            if subscriber in self._subscribers:
                self._subscribers.remove(subscriber)

    def open(self, streams: EncodedStreams) -> None:
        """Keep the encoder's SPS/PPS (Annex B) to put in front of every keyframe."""
        self._extradata = bytes(streams.video.codec_context.extradata or b"")

    def send(self, packet: Packet, is_video: bool) -> None:
        """Hand a video packet to every subscriber; AAC packets are not for WebRTC (Opus comes from ``pcm``)."""
        if not is_video or packet.pts is None:
            return
        self.video_packets += 1
        with self._lock:
            targets = [s for s in self._subscribers if s.wants_video]
        if not targets:
            return
        data = bytes(packet)
        if packet.is_keyframe and self._extradata:
            data = self._extradata + data  # a peer joining here can decode from this packet alone
        fed = FeedPacket(data, int(packet.pts), Fraction(1, self.clock.fps), bool(packet.is_keyframe))
        self._fan_out(targets, fed, True)

    def pcm(self, samples: npt.NDArray[np.int16], frame_index: int, clean: npt.NDArray[np.int16] | None = None) -> None:
        """One frame of show audio, encoded to Opus once for all viewers (only while there are any).

        A caller (``mix_minus``) gets ``clean``, the frame without their voice mixed in, from an
        encode of its own; that second encode exists only while a caller is on.
        """
        with self._lock:
            viewers = [s for s in self._subscribers if s.wants_audio and not s.mix_minus]
            callers = [s for s in self._subscribers if s.wants_audio and s.mix_minus]
        self._opus = self._encode(self._opus, viewers, samples, frame_index)
        self._opus_minus = self._encode(self._opus_minus, callers, samples if clean is None else clean, frame_index)

    def _encode(
        self, encoder: Any, targets: list[FeedSubscriber], samples: npt.NDArray[np.int16], frame_index: int
    ) -> Any:
        """Encode one frame for ``targets``; returns the encoder to keep (None: nobody listens, none kept)."""
        if not targets:
            return None  # a later peer restarts from a fresh encoder
        encoder = encoder or _opus_encoder(self.clock.sample_rate)
        frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = self.clock.sample_rate
        frame.pts = frame_index * self.clock.samples_per_frame
        frame.time_base = Fraction(1, self.clock.sample_rate)
        for packet in encoder.encode(frame):
            self.opus_packets += 1
            fed = FeedPacket(bytes(packet), int(packet.pts), Fraction(1, self.clock.sample_rate))
            self._fan_out(targets, fed, False)
        return encoder

    def _fan_out(self, targets: list[FeedSubscriber], packet: FeedPacket, is_video: bool) -> None:
        for subscriber in targets:
            try:
                subscriber.loop.call_soon_threadsafe(subscriber._deliver, packet, is_video)
            except RuntimeError:  # its loop has closed: the peer is gone
                self.unsubscribe(subscriber)

    def close(self) -> None:
        """Forget every subscriber (their peers end with the server)."""
        with self._lock:
            for subscriber in self._subscribers:
                subscriber.closed = True
            self._subscribers.clear()
        self._opus = self._opus_minus = None


def _opus_encoder(sample_rate: int) -> Any:
    codec: Any = av.CodecContext.create("libopus", "w")
    codec.sample_rate = sample_rate
    codec.layout = "mono"
    codec.format = "s16"
    codec.bit_rate = OPUS_BITRATE
    codec.time_base = Fraction(1, sample_rate)
    codec.options = {"application": "audio", "frame_duration": "20"}
    codec.open()
    return codec
