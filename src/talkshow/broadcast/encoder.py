"""One encode, many outputs: raw I420 frames + audio in, H.264 + AAC packets fanned out.

The encoder runs on its own thread behind a bounded queue of pooled frames, so the
producer never allocates a 3 MB frame per step (that cost 2-3 ms of page faults) and
never waits on libx264. A failure on the thread is captured and re-raised to the
producer, and the supervisor ends the stream (there is no stream without it).
Outputs (MP4, HLS, RTMP) receive their own copy of every packet, each through an
``OutputGuard``, so one output's failure never reaches the encoder or the others.
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import time
from fractions import Fraction

import av
import numpy as np
import numpy.typing as npt

from talkshow.broadcast.guard import OutputGuard
from talkshow.broadcast.types import clone_packet
from talkshow.config import VideoSettings
from talkshow.core.clock import ShowClock
from talkshow.core.errors import TalkshowError
from talkshow.core.kinds.output import EncodedStreams, Output, Packet, PcmTap
from talkshow.supervisor import Policy, Supervisor, Worker
from talkshow.telemetry.events import Telemetry

logger = logging.getLogger(__name__)

__all__ = ["Encoder", "EncoderError"]

CLOSE_WITHIN_S = 30.0  # flushing the queued frames takes well under a second; longer is a hung encoder


class EncoderError(TalkshowError):
    """The encoder thread failed; carries the original exception as its cause."""


class _PooledFrame:
    """A reusable VideoFrame with numpy views onto its planes."""

    def __init__(self, width: int, height: int) -> None:
        self.frame = av.VideoFrame(width, height, "yuv420p")
        self.planes = [
            np.frombuffer(memoryview(plane), np.uint8).reshape(h, plane.line_size)[:, :w]
            for plane, (w, h) in zip(
                self.frame.planes, [(width, height), (width // 2, height // 2), (width // 2, height // 2)], strict=True
            )
        ]
        self.audio: npt.NDArray[np.int16] = np.zeros(0, np.int16)
        self.clean: npt.NDArray[np.int16] | None = None  # the audio before a caller was mixed in
        self.index = 0

    def fill(self, i420: npt.NDArray[np.uint8], width: int, height: int) -> None:
        luma, chroma = width * height, (width // 2) * (height // 2)
        i420 = i420.reshape(-1)
        self.planes[0][:] = i420[:luma].reshape(height, width)
        self.planes[1][:] = i420[luma : luma + chroma].reshape(height // 2, width // 2)
        self.planes[2][:] = i420[luma + chroma : luma + 2 * chroma].reshape(height // 2, width // 2)


def encoder_options(video: VideoSettings, fps: int) -> dict[str, object]:
    """libx264 options: a keyframe every second (1 s segments) and BT.709 tags."""
    options: dict[str, object] = {
        "preset": video.preset,
        "crf": str(video.crf),
        "g": str(fps),
        "keyint_min": str(fps),
        "sc_threshold": "0",  # no extra keyframes: segments stay exactly 1 s
        # Sliced threads (zerolatency's choice): a packet comes out for the frame that went in.
        # Frame threads held 2 frames (67 ms) inside libx264, which put a WebRTC peer's video
        # that far behind its audio; measured side by side (benchmarks/live_show.py --turns 4
        # --espeak, 1080p) both used 0.32 cores with 0 late frames.
        "x264-params": "colorprim=bt709:transfer=bt709:colormatrix=bt709",
    }
    if video.tune:
        options["tune"] = video.tune
    if video.maxrate_kbps:
        options["maxrate"] = f"{video.maxrate_kbps}k"
        options["bufsize"] = f"{video.maxrate_kbps * 2}k"
    return options


class Encoder:
    """Encodes frames on a thread and hands every packet to each output.

    ``submit`` copies the frame into a pooled VideoFrame; with ``block=False`` it
    returns False instead of waiting when the pool is exhausted (live pacing).
    """

    def __init__(
        self,
        video: VideoSettings,
        clock: ShowClock,
        outputs: list[Output],
        telemetry: Telemetry,
        queue_size: int = 16,
        supervisor: Supervisor | None = None,
        isolate_outputs: bool = True,
        pcm_taps: tuple[PcmTap, ...] = (),
    ) -> None:
        """``isolate_outputs``: an output's failure is contained and retried (live); False: it fails the encoder.

        ``pcm_taps`` get every frame's audio as it is encoded; one that raises is reported and dropped.
        """
        self.video = video
        self.clock = clock
        self.telemetry = telemetry
        self.supervisor = supervisor or Supervisor(self.telemetry)
        self.outputs = [OutputGuard(o, self.supervisor, contain=isolate_outputs) for o in outputs]
        self.pcm_taps = list(pcm_taps)
        self.frames_encoded = 0
        self.samples_encoded = 0
        self.last_encode_ms = 0.0
        self.encode_seconds = 0.0  # time spent encoding, for throughput figures
        self._error: BaseException | None = None
        self._free: queue.Queue[_PooledFrame] = queue.Queue()
        for _ in range(queue_size):
            self._free.put(_PooledFrame(video.width, video.height))
        self._work: queue.Queue[_PooledFrame | None] = queue.Queue()
        self._null = av.open(os.devnull, "w", format="null")
        try:
            self.streams = self._add_streams(video, clock)
        except BaseException:
            self._null.close()
            raise
        try:
            for output in self.outputs:
                output.open(self.streams)  # contained: a failed output is reported, not raised
        except BaseException:
            self._close_outputs_quietly()
            raise
        self._worker = Worker("encoder", self._run, self.supervisor, Policy.FATAL, on_failure=self._on_failure)
        self._worker.start()

    def __enter__(self) -> Encoder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _add_streams(self, video: VideoSettings, clock: ShowClock) -> EncodedStreams:
        vstream = self._null.add_stream("libx264", rate=clock.fps)
        vstream.width, vstream.height, vstream.pix_fmt = video.width, video.height, "yuv420p"
        vstream.time_base = Fraction(1, clock.fps)
        vstream.options = dict(encoder_options(video, clock.fps))
        # Global headers put SPS/PPS in extradata, which MP4 and FLV need; TS repeats them in-band.
        vstream.codec_context.flags |= av.codec.context.Flags.global_header
        astream = self._null.add_stream("aac", rate=clock.sample_rate, layout="mono")
        astream.time_base = Fraction(1, clock.sample_rate)
        astream.codec_context.flags |= av.codec.context.Flags.global_header
        self._null.start_encoding()
        return EncodedStreams(vstream, astream)

    @property
    def backlog(self) -> int:
        """Frames submitted but not yet encoded."""
        return self._work.qsize()

    def submit(
        self,
        i420: npt.NDArray[np.uint8],
        audio: npt.NDArray[np.int16],
        index: int,
        block: bool = True,
        clean: npt.NDArray[np.int16] | None = None,
    ) -> bool:
        """Queue stream frame ``index`` with exactly one frame of audio; False if dropped.

        ``clean`` is the frame's audio without a caller's voice (for the caller's own return feed).
        """
        self._raise_if_failed()
        if len(audio) != self.clock.samples_per_frame:
            raise ValueError(f"each frame carries {self.clock.samples_per_frame} samples, got {len(audio)}")
        pooled = self._take_free(block)
        if pooled is None:
            return False
        pooled.fill(i420, self.video.width, self.video.height)
        pooled.audio = np.array(audio, dtype=np.int16)
        pooled.clean = None if clean is None else np.array(clean, dtype=np.int16)
        pooled.index = index
        self._work.put(pooled)
        return True

    def submit_ready(self) -> bool:
        """True if ``submit(block=False)`` would be accepted now."""
        return not self._free.empty()

    def _take_free(self, block: bool) -> _PooledFrame | None:
        while True:
            self._raise_if_failed()
            try:
                return self._free.get(timeout=0.5) if block else self._free.get_nowait()
            except queue.Empty:
                if not block:
                    return None

    def _raise_if_failed(self) -> None:
        if self._error is not None:
            raise EncoderError(f"encoder failed: {self._error}") from self._error

    def _on_failure(self, exc: BaseException) -> None:
        self._error = exc  # a waiting producer sees it within 0.5 s
        self.supervisor.end_stream(f"the encoder failed: {exc}")

    def _run(self, _stop: object) -> None:
        vstream, astream = self.streams.video, self.streams.audio
        while (pooled := self._work.get()) is not None:
            started = time.perf_counter()
            pooled.frame.pts = pooled.index
            sound = av.AudioFrame.from_ndarray(pooled.audio.reshape(1, -1), format="s16", layout="mono")
            sound.sample_rate = self.clock.sample_rate
            sound.pts = pooled.index * self.clock.samples_per_frame
            video_packets = vstream.encode(pooled.frame)
            self._free.put(pooled)  # libx264 has copied the picture by now
            self._fan_out(video_packets, True)
            self._fan_out(astream.encode(sound), False)
            self._tap_audio(pooled.audio, pooled.index, pooled.clean)
            self.frames_encoded += 1
            self.samples_encoded += len(pooled.audio)
            elapsed = time.perf_counter() - started
            self.last_encode_ms = elapsed * 1000
            self.encode_seconds += elapsed
        self._fan_out(vstream.encode(None), True)
        self._fan_out(astream.encode(None), False)

    def _fan_out(self, packets: list[Packet], is_video: bool) -> None:
        # Muxing rewrites a packet's timestamps, so each output needs its own; the last takes the original.
        if not self.outputs:
            return
        *others, last = self.outputs
        for packet in packets:
            for output in others:
                output.send(clone_packet(packet), is_video)
            last.send(packet, is_video)

    def _tap_audio(self, samples: npt.NDArray[np.int16], index: int, clean: npt.NDArray[np.int16] | None) -> None:
        for tap in list(self.pcm_taps):
            try:
                tap.pcm(samples, index, clean)
            except Exception as exc:  # a tap is an output like any other: it fails alone
                self.pcm_taps.remove(tap)
                self.supervisor.failed(tap.name, exc, restarting=False, lost="its audio")

    @property
    def failed_outputs(self) -> list[str]:
        """Names of the outputs that are down now."""
        return [guard.name for guard in self.outputs if guard.failed]

    def close(self) -> None:
        """Encode what is queued, flush, and close every output (each alone: one failure loses no other file).

        Raises EncoderError if the encoder itself failed; output failures are reported, not raised.
        """
        if self._worker.alive:
            with contextlib.suppress(queue.Full):  # the thread is stuck: the wait below fails and says so
                self._work.put(None, timeout=CLOSE_WITHIN_S)
            if not self._worker.done.wait(CLOSE_WITHIN_S):  # a hung encode must not hang the shutdown
                self._close_outputs_quietly()
                raise EncoderError(f"the encoder did not finish its queue within {CLOSE_WITHIN_S:g} s")
        errors: list[tuple[str, Exception]] = []
        for output in self.outputs:
            try:
                output.close()  # contained outputs report their own failures; an offline file's raises
            except Exception as exc:  # one output's failure must not lose the others' files
                errors.append((output.name, exc))
        self._null.close()
        self._raise_if_failed()
        if errors:
            name, first = errors[0]
            raise EncoderError(f"closing {name} failed: {first}") from first

    def _close_outputs_quietly(self) -> None:
        """After a failure: release whatever is still open without raising over the first error."""
        for output in self.outputs:
            with contextlib.suppress(Exception):
                output.output.close()
        self._null.close()
