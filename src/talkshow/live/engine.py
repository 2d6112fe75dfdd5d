"""The live engine: programme -> renderer -> frame queue -> pacer -> encoder -> outputs.

Four threads, each behind a bounded queue: turn preparation (writer, TTS, lip sync),
rendering ahead of the clock, pacing on the clock, encoding. The stream exists from
its first frame: before, between and after shows the idle scene plays.

Every thread runs as a supervised ``Worker`` and every output behind a guard, all
reporting to one ``Supervisor`` (``engine.supervisor``): a part that fails is
restarted or falls back alone. Only if the pacer or the encoder cannot run does the
engine end the stream, cleanly (ENDLIST), with ``exit_code`` non-zero.

The engine runs its parts and builds none: ``talkshow.station.engine.build_engine`` does.
"""

from __future__ import annotations

import gc
import itertools
import logging
import sys
import time
from concurrent.futures import Future

from talkshow.audio import decode_audio
from talkshow.broadcast.encoder import EncoderError
from talkshow.core.air import Interruption
from talkshow.core.errors import InputError, UnknownCharacterError
from talkshow.core.faces import OnAir, ShowControl
from talkshow.core.kinds.writer import MAX_LINE_CHARS, Line
from talkshow.core.lines import EMOTIONS
from talkshow.core.turn import PreparedTurn
from talkshow.live.pacer import PacerStats
from talkshow.live.parts import LiveParts

logger = logging.getLogger(__name__)

__all__ = ["LiveEngine"]

SAY_INDEX_BASE = 100_000  # pushed lines are numbered apart from the writer's turns
MAX_SAY_SECONDS = 120.0
PACER_SWITCH_INTERVAL_S = 0.001
HEALTHY_WITHIN_S = 2.0  # /healthz: a frame went out at most this long ago
EXIT_STREAM_FAILED = 3  # the process's exit status when the stream could not go on


class LiveEngine:
    """Runs shows continuously into HLS (and RTMP, and a recording) from one encode."""

    def __init__(self, parts: LiveParts) -> None:
        """Run ``parts`` (built by ``talkshow.station.engine.build_engine``); ``stop`` closes what they own."""
        self.config = parts.config
        self.settings = parts.settings
        self.telemetry = parts.telemetry
        self.clock = parts.clock
        self.supervisor = parts.supervisor
        self.resources = parts.resources
        self.speech = parts.speech
        self.stage = parts.stage
        self.lipsync = parts.lipsync
        self.gate = parts.gate  # every line this engine voices passes it: the writer's, the operator's, each reply's
        self.builder = parts.builder
        self.programme = parts.programme
        self.director = parts.director
        self.frames = parts.frames
        self.renderer = parts.renderer
        self.hls = parts.hls
        self.ll_hls = parts.ll_hls
        self.webrtc = parts.webrtc
        self.delay = parts.delay
        self.pcm_feed = parts.pcm_feed
        self.encoder = parts.encoder
        self.pacer = parts.pacer
        self.guest_mix = parts.guest_mix
        self.air_log = parts.pacer.air_log
        self.overlay = parts.pacer.overlay
        self._cleanup = parts.owned
        self._running = False
        self._closed = False
        self._switch_interval = sys.getswitchinterval()
        self._said = itertools.count(SAY_INDEX_BASE + 1)
        self._faces: tuple[OnAir, ShowControl] | None = None  # the station attaches them (``attach_faces``)

    def attach_faces(self, on_air: OnAir, control: ShowControl) -> None:
        """The engine's two faces, made over it by the station (``talkshow.live.on_air``, ``talkshow.live.control``);
        they know the engine, and the engine knows them only by their ``core.faces`` Protocols."""
        self._faces = (on_air, control)

    @property
    def on_air(self) -> OnAir:
        """All that talk mode and the phone may use."""
        assert self._faces is not None, "the station attaches the engine's faces (build_engine)"
        return self._faces[0]

    @property
    def control(self) -> ShowControl:
        """All that the studio's server may use."""
        assert self._faces is not None, "the station attaches the engine's faces (build_engine)"
        return self._faces[1]

    def __enter__(self) -> LiveEngine:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def exit_code(self) -> int:
        """0 if the stream ran as asked; ``EXIT_STREAM_FAILED`` if it had to end because the pacer could not run."""
        return EXIT_STREAM_FAILED if self.supervisor.fatal.is_set() else 0

    def healthy(self) -> bool:
        """True while frames are actually going out (a liveness probe's answer)."""
        if not self._running or self.supervisor.fatal.is_set():
            return False
        return time.monotonic() - self.pacer.last_sent <= HEALTHY_WITHIN_S

    @property
    def stats(self) -> PacerStats:
        """Frames sent, late, repeated and dropped so far."""
        return self.pacer.stats

    def say(
        self, character: str, text: str = "", audio: bytes | None = None, emotion: str = "neutral", source: str = "say"
    ) -> PreparedTurn:
        """Put a line on air next: ``text`` in the character's voice, or an ``audio`` clip (text optional).

        Runs on the caller's thread (the studio uses a worker thread), never the frame loop.
        Raises InputError, UnknownCharacterError or AudioDecodeError naming what was wrong.
        """
        cast = {m.id: m for m in self.config.cast}
        if character not in cast:
            raise UnknownCharacterError(character, list(cast))
        text = " ".join(text.split())
        if len(text) > MAX_LINE_CHARS:
            raise InputError(f"text is {len(text)} characters; the limit is {MAX_LINE_CHARS}")
        if emotion not in EMOTIONS:
            raise InputError(f"unknown emotion {emotion!r}; choose from {', '.join(EMOTIONS)}")
        line = Line(character, text, emotion)
        index = self.next_pushed_index()
        if audio is not None:
            started = time.perf_counter()
            samples = decode_audio(audio, self.clock.sample_rate, max_seconds=MAX_SAY_SECONDS)
            decode_ms = (time.perf_counter() - started) * 1000
            turn = self.builder.from_audio(index, line, samples)
            turn.timings["decode_ms"] = decode_ms
        elif not text:
            raise InputError("nothing to say: give text, or an audio clip")
        else:
            return self._say_streamed(index, line, source)
        self.programme.push_next(turn)
        self.frames.interrupt()  # the renderer may be waiting for room: it has a cut to make
        return turn

    def show_guest_caption(self, name: str, text: str) -> None:
        """Put a caller's words on screen (top left) until replaced; empty ``text`` takes them off (any thread).

        The card is drawn here, on the caller's thread; it airs with the next frames rendered.
        """
        if not text:
            if self.director.guest is not None:
                self.director.guest = None
                self.telemetry.emit("guest_card", name="", shown=False)
            return
        key = f"guest-{self.next_pushed_index()}"
        self.director.guest = self.stage.guest_caption(name, " ".join(text.split())[:MAX_LINE_CHARS], key)
        self.telemetry.emit("guest_card", name=name, shown=True)

    def next_pushed_index(self) -> int:
        """A turn number for a line pushed from outside the writer (thread-safe: ``itertools.count``)."""
        return next(self._said)

    def interrupt(self, finish_on_air: bool = False) -> Future[Interruption]:
        """Barge-in: stop the pushed line on air at the next frame and drop those waiting (thread-safe).

        ``finish_on_air``: the part on air ends first; only what follows it is cut.
        """
        future = self.programme.interrupt(finish_on_air)
        self.frames.interrupt()  # a renderer waiting for room must make the cut now
        return future

    def _say_streamed(self, index: int, line: Line, source: str = "say") -> PreparedTurn:
        """Voice ``line`` sentence by sentence; the first airs while the rest is synthesized.

        Returns the first part; its ``timings`` gain the whole line's ``line_audio_s`` and ``parts``.
        """
        parts = self.builder.stream_line(index, line, source=source)
        first = next(parts)
        token = self.programme.begin_streamed_line()
        try:
            self.programme.push_next(first)
            self.frames.interrupt()
            audio_s, count = len(first.audio) / self.clock.sample_rate, 1
            for part in parts:
                if not self.programme.push_part(part, token):
                    parts.close()  # skipped mid-line: the rest is not voiced
                    break
                self.frames.interrupt()
                audio_s, count = audio_s + len(part.audio) / self.clock.sample_rate, count + 1
        finally:
            self.programme.end_streamed_line()
        first.timings.update(line_audio_s=audio_s, parts=float(count))
        return first

    def start(self, prefill_timeout_s: float = 10.0) -> None:
        """Render ahead, then start the clock; the stream exists from here on."""
        # Loading a neural voice builds an ONNX session while holding the GIL for about half a
        # second; done here, before the clock runs, it can never make a frame late.
        self.speech.warm([m.voice for m in self.config.cast])
        # A full garbage collection holds the GIL for as long as the heap is big; in a
        # long-lived process that can exceed a frame. Freezing what exists now makes later
        # collections scan only new objects, so they cannot stall the pacer.
        gc.collect()
        gc.freeze()
        # A thread waiting for the GIL asks for it after one switch interval (5 ms by default)
        # and can lose the race to another busy thread several times in a row; at 1 ms the
        # pacer's waits stay a few ms even with the renderer, encoder and preparer all busy.
        self._switch_interval = sys.getswitchinterval()
        sys.setswitchinterval(PACER_SWITCH_INTERVAL_S)
        self.resources.start()
        self.renderer.start()
        target = min(self.frames.capacity, max(1, self.clock.fps // 2))
        deadline = time.perf_counter() + prefill_timeout_s
        while self.frames.depth < target and time.perf_counter() < deadline and self.renderer.error is None:
            time.sleep(0.005)
        self.pacer.start()
        self.renderer.armed = self.settings.paced  # unpaced runs drain the queue on purpose
        self._running = True
        self.telemetry.emit("stream_started", fps=self.clock.fps, ahead_frames=self.frames.depth)
        logger.info("live: streaming HLS to %s", self.settings.hls_dir)

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the frame limit is reached (True) or ``timeout`` passes (False)."""
        return self.pacer.done.wait(timeout)

    def stop(self) -> None:
        """Stop cleanly: last segment published, playlist ended (ENDLIST), recording finished.

        Never raises: if the encoder failed, that is in ``supervisor`` and ``exit_code``.
        """
        if self._closed:
            return
        self._closed = True
        was_running, self._running = self._running, False
        if was_running:
            self.pacer.stop()
            self.renderer.stop()
        try:
            self._cleanup.close()  # the programme's writer, the encoder and its outputs, the stage
        except EncoderError as exc:
            self.supervisor.end_stream(f"the encoder failed: {exc}")
        if was_running:
            self.resources.stop()
            gc.unfreeze()
            sys.setswitchinterval(self._switch_interval)
            stats = self.pacer.stats
            self.telemetry.emit(
                "stream_stopped",
                frames=stats.frames,
                late=stats.late,
                repeated=stats.repeated,
                encoder_drops=stats.encoder_drops,
                max_lateness_ms=round(stats.max_lateness_ms, 3),
                samples=self.encoder.samples_encoded,
                mean_cpu_cores=round(self.resources.mean_cores, 3),
            )
