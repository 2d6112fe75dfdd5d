"""The broadcast delay: the public outputs run ``delay_s`` behind the show, and a dump takes the held span off.

The encoder hands the delay every packet once; a release thread hands each public output
(HLS, RTMP, a recording: each behind its own guard) its copy when the packet is
``delay_s`` old. A caller's return feed and the phone's PCM do not pass through here:
they stay live.

``dump()`` is the radio convention's button. Everything held is replaced, packet for
packet and timestamp for timestamp, by a still of the last picture the public saw and
encoded silence, and so is what follows until the next keyframe (later frames depend on
the dropped ones). The public timeline stays even: no gap, no jump, no broken segment,
and the delay stays ``delay_s``. The still is the last keyframe released (a repeated IDR,
sent every ``STILL_EVERY_FRAMES`` frames with a ``duration`` covering them), so the
rate stays low; the silence is one AAC frame encoded once at open.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import av
import numpy as np

from talkshow.broadcast.guard import OutputGuard
from talkshow.broadcast.types import clone_packet
from talkshow.core.kinds.output import EncodedStreams, Output, Packet
from talkshow.supervisor import Supervisor, Worker
from talkshow.telemetry.events import Telemetry

__all__ = ["STILL_EVERY_FRAMES", "BroadcastDelay", "DumpReport"]

STILL_EVERY_FRAMES = 15  # a filler keyframe every half second at 30 fps


@dataclass
class _Held:
    due: float  # time.monotonic() to release it
    packet: Packet
    is_video: bool


@dataclass(frozen=True)
class DumpReport:
    """What a dump took off: seconds of held programme, and packets replaced."""

    seconds: float
    video_packets: int
    audio_packets: int


class BroadcastDelay:
    """An ``Output`` that holds packets for ``delay_s`` and then fans them out to the public ``outputs``."""

    name = "delay"

    def __init__(
        self, delay_s: float, outputs: list[Output], fps: int, telemetry: Telemetry, supervisor: Supervisor
    ) -> None:
        if not 0 < delay_s <= 120:
            raise ValueError(f"the broadcast delay must be 0-120 s, got {delay_s}")
        self.delay_s = delay_s
        self.fps = fps
        self.telemetry = telemetry
        self.outputs = [OutputGuard(o, supervisor) for o in outputs]
        self.dumps = 0
        self._held: deque[_Held] = deque()
        self._lock = threading.Condition()
        self._still: Packet | None = None  # the last keyframe released (the first one seen, before any is)
        self._silence = b""
        self._filling = False  # after a dump, until the next keyframe: incoming packets become filler too
        self._fill_until_s = -1.0  # ... and audio stamped before that keyframe
        self._fill_from = 0  # the frame the current still was sent at
        self._closed = False
        self._worker = Worker("broadcast-delay", self._release_loop, supervisor)

    def open(self, streams: EncodedStreams) -> None:
        """Open the public outputs, make the silence packet, and start releasing."""
        self._silence = _silent_aac(streams.audio)
        for output in self.outputs:
            output.open(streams)
        self._worker.start()

    def send(self, packet: Packet, is_video: bool) -> None:
        """Hold ``packet`` (the encoder's thread; never blocks)."""
        with self._lock:
            if is_video and packet.is_keyframe and self._still is None:
                self._still = clone_packet(packet)
            if self._filling and is_video and packet.is_keyframe:
                self._filling = False  # the programme is whole again from this picture on
                self._fill_until_s = _seconds(packet)
            if self._filling or (not is_video and _seconds(packet) < self._fill_until_s):
                packet = self._filler(packet, is_video)  # audio lags video: what belongs before the cut goes too
            self._held.append(_Held(time.monotonic() + self.delay_s, packet, is_video))
            self._lock.notify()

    @property
    def held_seconds(self) -> float:
        """How much programme is held now."""
        with self._lock:
            return len([h for h in self._held if h.is_video]) / self.fps

    def dump(self) -> DumpReport:
        """Replace everything held (and what follows up to the next keyframe) with a still and silence."""
        with self._lock:
            video = audio = 0
            self._fill_from = -STILL_EVERY_FRAMES  # the first video packet replaced carries the still
            for held in self._held:
                held.packet = self._filler(held.packet, held.is_video)
                video += held.is_video
                audio += not held.is_video
            self._filling = True
            self.dumps += 1
        report = DumpReport(round(video / self.fps, 3), video, audio)
        self.telemetry.emit("delay_dumped", seconds=report.seconds, video_packets=video, audio_packets=audio)
        return report

    def _filler(self, packet: Packet, is_video: bool) -> Packet:
        """The safe stand-in for ``packet``: same timestamps; a still keyframe, an empty marker, or silence."""
        if not is_video:
            silent: Packet = av.Packet(self._silence)
            silent.pts, silent.dts, silent.time_base = packet.pts, packet.dts, packet.time_base
            return silent
        frame = round(float(packet.pts * packet.time_base) * self.fps) if packet.pts is not None else 0
        if self._still is None or frame - self._fill_from < STILL_EVERY_FRAMES:
            empty: Packet = av.Packet(b"")  # dropped at release: the still before it covers this frame
            empty.pts, empty.dts, empty.time_base = packet.pts, packet.dts, packet.time_base
            return empty
        self._fill_from = frame
        still = clone_packet(self._still)
        still.pts, still.dts, still.time_base = packet.pts, packet.dts, packet.time_base
        still.is_keyframe = True
        frames = Fraction(STILL_EVERY_FRAMES, self.fps) / packet.time_base
        still.duration = int(frames)
        return still

    def _release_loop(self, stop: threading.Event) -> None:
        while True:
            with self._lock:
                while not self._closed and (not self._held or self._held[0].due > time.monotonic()):
                    wait = self._held[0].due - time.monotonic() if self._held else None
                    self._lock.wait(timeout=wait)
                if self._closed and not self._held:
                    return
                held = self._held.popleft()
                if held.is_video and held.packet.is_keyframe and held.packet.size and not self._filling:
                    self._still = clone_packet(held.packet)
                if held.packet.duration:  # a still: it lasts until the next picture, which is held behind it
                    self._fit_still(held.packet)
            self._release(held)

    def _fit_still(self, still: Packet) -> None:
        """Shorten a still to end where the next picture begins (a real keyframe may come sooner than planned)."""
        following = next((h.packet for h in self._held if h.is_video and h.packet.size), None)
        if following is not None and following.pts is not None and still.pts is not None:
            still.duration = max(1, min(still.duration or STILL_EVERY_FRAMES, int(following.pts - still.pts)))

    def _release(self, held: _Held) -> None:
        if held.is_video and not held.packet.size:
            return
        *others, last = self.outputs
        for output in others:
            output.send(clone_packet(held.packet), held.is_video)
        last.send(held.packet, held.is_video)

    def close(self) -> None:
        """Release what is held at once (the show is over), then close the public outputs."""
        with self._lock:
            self._closed = True
            for held in self._held:
                held.due = 0.0
            self._lock.notify()
        self._worker.stop(timeout=10)
        for output in self.outputs:
            output.close()


def _seconds(packet: Packet) -> float:
    return float(packet.pts * packet.time_base) if packet.pts is not None and packet.time_base else 0.0


def _silent_aac(template: Any) -> bytes:
    """One AAC frame of silence in ``template``'s format (a steady-state one, not the encoder's priming)."""
    codec = av.CodecContext.create("aac", "w")
    codec.sample_rate = template.codec_context.sample_rate
    codec.layout = template.codec_context.layout.name
    codec.format = "fltp"
    codec.bit_rate = template.codec_context.bit_rate or 128_000
    codec.time_base = Fraction(1, codec.sample_rate)
    packets: list[bytes] = []
    channels = len(codec.layout.channels)
    for index in range(8):
        frame = av.AudioFrame.from_ndarray(
            np.zeros((channels, 1024), np.float32), format="fltp", layout=codec.layout.name
        )
        frame.sample_rate, frame.pts = codec.sample_rate, index * 1024
        packets += [bytes(p) for p in codec.encode(frame)]
    return packets[len(packets) // 2]
