"""The live engine: programme -> renderer -> frame queue -> pacer -> encoder -> outputs.

Four threads, each behind a bounded queue: turn preparation (writer, TTS, lip sync),
rendering ahead of the clock, pacing on the clock, encoding. The stream exists from
its first frame: before, between and after shows the idle scene plays.

Every thread runs as a supervised ``Worker`` and every output behind a guard, all
reporting to one ``Supervisor`` (``engine.supervisor``): a part that fails is
restarted or falls back alone. Only if the pacer or the encoder cannot run does the
engine end the stream, cleanly (ENDLIST), with ``exit_code`` non-zero.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import logging
import sys
import time
from concurrent.futures import Future
from dataclasses import replace

from talkshow.audio import decode_audio
from talkshow.broadcast.delay import BroadcastDelay
from talkshow.broadcast.encoder import Encoder, EncoderError
from talkshow.broadcast.hls import HlsOutput, prepare_private_dir
from talkshow.broadcast.llhls import LlHlsOutput
from talkshow.broadcast.pcm_feed import PcmFeed
from talkshow.broadcast.types import Output, OutputContext
from talkshow.broadcast.webrtc_feed import WebRtcFeed
from talkshow.config import ShowConfig
from talkshow.core.air import Interruption
from talkshow.core.clock import ShowClock
from talkshow.core.errors import InputError, UnknownCharacterError
from talkshow.core.lines import EMOTIONS
from talkshow.core.recall import Recall, forget_everything
from talkshow.core.shows import ShowSource
from talkshow.core.turn import PreparedTurn
from talkshow.lipsync.lip_sync import LipSync
from talkshow.lipsync.process_aligner import ProcessAligner
from talkshow.live.control import EngineControl
from talkshow.live.frames import FrameQueue
from talkshow.live.guest_mix import GuestMix
from talkshow.live.on_air import EngineOnAir
from talkshow.live.pacer import Pacer, PacerStats
from talkshow.live.programme import Programme
from talkshow.live.renderer import Renderer
from talkshow.live.settings import LiveSettings, OutputSpec, build_outputs
from talkshow.live.shows import TopicCycle
from talkshow.moderation.build import build_gate
from talkshow.moderation.gate import ModerationGate
from talkshow.show.director import Director
from talkshow.show.turn_builder import TurnBuilder
from talkshow.stage.builder import build_stage
from talkshow.supervisor import Supervisor
from talkshow.telemetry.events import Telemetry
from talkshow.telemetry.resources import ResourceSampler
from talkshow.voice.cache import SpeechCache, default_cache_dir
from talkshow.voice.service import SpeechService
from talkshow.writer.types import MAX_LINE_CHARS, Line

logger = logging.getLogger(__name__)

__all__ = ["LiveEngine", "LiveSettings", "OutputSpec", "build_outputs"]  # the last three live in .settings

SAY_INDEX_BASE = 100_000  # pushed lines are numbered apart from the writer's turns
MAX_SAY_SECONDS = 120.0
PACER_SWITCH_INTERVAL_S = 0.001
LIVE_MAXRATE_KBPS = 6000  # a steady ceiling that Twitch and YouTube ingest accept at 1080p30
HEALTHY_WITHIN_S = 2.0  # /healthz: a frame went out at most this long ago
EXIT_STREAM_FAILED = 3  # the process's exit status when the stream could not go on


class LiveEngine:
    """Runs shows continuously into HLS (and RTMP, and a recording) from one encode."""

    def __init__(
        self,
        config: ShowConfig,
        settings: LiveSettings,
        telemetry: Telemetry,
        speech: SpeechService | None = None,
        shows: ShowSource | None = None,
        gate: ModerationGate | None = None,
        recall: Recall | None = None,
    ) -> None:
        """``shows`` supplies the programme (the studio's queue); by default ``settings.topics``.

        ``gate`` moderates every line that airs; by default the engine builds one from the show's settings.
        ``recall`` finds what the show remembers (the studio's memory) for a caller's replies.
        """
        video = config.video
        if not video.maxrate_kbps:
            video = replace(video, maxrate_kbps=LIVE_MAXRATE_KBPS)
        self.config = replace(config, video=video)
        self.settings = settings
        self.telemetry = telemetry
        self.clock = ShowClock(video.fps, video.sample_rate)
        self.resources = ResourceSampler(self.telemetry)
        self._running = False
        self._closed = False
        self._switch_interval = sys.getswitchinterval()
        self.supervisor = supervisor = Supervisor(self.telemetry)
        self._recall = recall or forget_everything
        with contextlib.ExitStack() as cleanup:  # a constructor that fails half way closes what it opened
            self._build(config, settings, speech, shows, gate, supervisor, cleanup)
            self._cleanup = cleanup.pop_all()

    def _build(
        self,
        config: ShowConfig,
        settings: LiveSettings,
        speech: SpeechService | None,
        shows: ShowSource | None,
        gate: ModerationGate | None,
        supervisor: Supervisor,
        cleanup: contextlib.ExitStack,
    ) -> None:
        video = self.config.video
        started = time.perf_counter()
        if speech is None:  # the engine's own: it closes it (a given one is its giver's to close)
            speech = cleanup.enter_context(
                SpeechService(
                    self.clock.sample_rate, SpeechCache(config.cache_dir or default_cache_dir()), self.telemetry
                )
            )
        self.speech = speech
        for member in config.cast:
            speech.check(member.voice)
        self.stage = cleanup.enter_context(build_stage(self.config, blocking_tv=False, supervisor=supervisor))
        self.telemetry.emit("stage_ready", ms=round((time.perf_counter() - started) * 1000, 3))
        fps = self.clock.fps
        # Forced alignment (a clip pushed with its text; voices without phoneme times) holds the GIL: in a child.
        self.lipsync = LipSync(cleanup.enter_context(ProcessAligner()))
        # Every line this engine voices passes this gate: the writer's, the operator's, each reply's.
        self.gate = gate or cleanup.enter_context(build_gate(self.config.moderation, self.telemetry))
        self.builder = TurnBuilder(self.config, self.stage, speech, self.lipsync, self.telemetry, self.gate)
        self._said = itertools.count(SAY_INDEX_BASE + 1)
        self.programme = Programme(
            self.config,
            shows or TopicCycle(settings.topics, settings.repeat),
            self.stage,
            speech,
            self.lipsync,
            self.telemetry,
            gap_frames=round(settings.show_gap_s * fps),
            gate=self.gate,
            supervisor=supervisor,
            fps=fps,
        )
        cleanup.callback(self.programme.stop)
        seats = {rig.cast_id: rig.origin[0] for rig in self.stage.rigs}
        self.director = Director(self.config, self.clock, seats, self.telemetry)
        capacity = max(2, round(settings.ahead_s * fps))
        self.frames = FrameQueue(capacity, video.width * video.height * 3 // 2)
        self.renderer = Renderer(
            self.director,
            self.stage,
            self.frames,
            self._next_turn,
            self.telemetry,
            low_water=max(1, round(settings.low_water_s * fps)),
            pushed_waiting=lambda: self.programme.has_pushed,
            supervisor=supervisor,
            cut_pushed=self.programme.take_pushed_cut,
            take_interruption=self.programme.take_interruption,
        )
        prepare_private_dir(settings.hls_dir)  # an unsafe directory is a clear error now, not a failed output
        self.hls = HlsOutput(
            settings.hls_dir, fps, lambda: self.pacer.epoch_wall, self.telemetry, supervisor=supervisor
        )
        # Low-Latency HLS: the same packets again as 200 ms fMP4 parts, beside the plain playlist.
        self.ll_hls = LlHlsOutput(
            settings.hls_dir, fps, lambda: self.pacer.epoch_wall, self.telemetry, supervisor=supervisor
        )
        outputs: list[Output] = [
            self.hls,
            self.ll_hls,
            *build_outputs(settings, OutputContext(self.telemetry, supervisor, fps)),
        ]
        outputs += settings.extra_outputs
        # WebRTC peers (viewers, the talker) get these same packets and one shared Opus encode.
        self.webrtc = WebRtcFeed(self.clock)
        self.delay: BroadcastDelay | None = None
        if settings.delay_s > 0:  # the public outputs run behind, and can be dumped; the caller's feed stays live
            self.delay = BroadcastDelay(settings.delay_s, outputs, fps, self.telemetry, supervisor)
            outputs = [self.delay]
            self.webrtc.watch_refusal = f"the broadcast delay ({settings.delay_s:g} s) is on: watch over HLS"
        outputs.append(self.webrtc)
        self.pcm_feed = PcmFeed()  # phone callers: the show's PCM, converted per call to G.711
        self.encoder = cleanup.enter_context(
            Encoder(
                video,
                self.clock,
                outputs,
                self.telemetry,
                queue_size=8,
                supervisor=supervisor,
                pcm_taps=(self.webrtc, self.pcm_feed),
            )
        )
        self.pacer = Pacer(
            self.clock, self.frames, self.encoder, self.telemetry, settings.frame_limit, settings.paced, supervisor
        )
        self.guest_mix = self.pacer.guest_mix = GuestMix(self.clock.sample_rate, self.clock.samples_per_frame)
        self.air_log = self.pacer.air_log
        self._shows_seen = 0
        self.on_air = EngineOnAir(self, self._recall)  # all that talk mode and the phone may use
        self.control = EngineControl(self, self.on_air)  # all that the studio's server may use

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

    def _next_turn(self, frame: int) -> PreparedTurn | None:
        turn = self.programme.next_turn(frame)
        if self.programme.shows_done != self._shows_seen:  # a show just ended: its caption goes
            self._shows_seen = self.programme.shows_done
            self.director.clear_caption()
        return turn

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

    def interrupt(self) -> Future[Interruption]:
        """Barge-in: stop the pushed line on air at the next frame and drop those waiting (thread-safe)."""
        future = self.programme.interrupt()
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
