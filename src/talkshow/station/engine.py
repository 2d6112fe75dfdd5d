"""A live engine, assembled: every part built from the show's config and wired in clock order.

programme -> renderer -> frame queue -> pacer -> encoder -> outputs, with the stage, the voice,
lip sync and the moderation gate under the programme. A constructor that fails half way closes
what it opened.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import replace

from talkshow.broadcast.delay import BroadcastDelay
from talkshow.broadcast.encoder import Encoder
from talkshow.broadcast.hls import HlsOutput, prepare_private_dir
from talkshow.broadcast.llhls import LlHlsOutput
from talkshow.broadcast.pcm_feed import PcmFeed
from talkshow.broadcast.types import OutputContext
from talkshow.broadcast.webrtc_feed import WebRtcFeed
from talkshow.cohost.settings import CohostSettings
from talkshow.config import ShowConfig
from talkshow.core.clock import ShowClock
from talkshow.core.kinds.output import Output
from talkshow.core.recall import Recall, forget_everything
from talkshow.core.shows import ShowSource
from talkshow.lipsync.lip_sync import LipSync
from talkshow.lipsync.process_aligner import ProcessAligner
from talkshow.live.control import EngineControl
from talkshow.live.engine import LiveEngine
from talkshow.live.frames import FrameQueue
from talkshow.live.guest_mix import GuestMix
from talkshow.live.on_air import EngineOnAir
from talkshow.live.pacer import Pacer
from talkshow.live.parts import LiveParts, TurnFeed
from talkshow.live.programme import Programme
from talkshow.live.renderer import Renderer
from talkshow.live.settings import LiveSettings, build_outputs
from talkshow.live.shows import TopicCycle
from talkshow.moderation.build import build_gate
from talkshow.moderation.gate import ModerationGate
from talkshow.moderation.settings import ModerationSettings
from talkshow.show.director import Director
from talkshow.show.turn_builder import TurnBuilder
from talkshow.stage.builder import build_stage
from talkshow.supervisor import Supervisor
from talkshow.telemetry.events import Telemetry
from talkshow.telemetry.resources import ResourceSampler
from talkshow.voice.cache import SpeechCache, default_cache_dir
from talkshow.voice.service import SpeechService

__all__ = ["LIVE_MAXRATE_KBPS", "build_engine"]

LIVE_MAXRATE_KBPS = 6000  # a steady ceiling that Twitch and YouTube ingest accept at 1080p30


def _cohost_holds(config: ShowConfig) -> bool:
    """A co-host runs no topic of its own unless asked (``[cohost] debate = false``): its programme starts held."""
    cohost = config.section(CohostSettings)
    return cohost.enabled and not cohost.debate


def build_engine(
    config: ShowConfig,
    settings: LiveSettings,
    telemetry: Telemetry,
    speech: SpeechService | None = None,
    shows: ShowSource | None = None,
    gate: ModerationGate | None = None,
    recall: Recall | None = None,
) -> LiveEngine:
    """A live engine for ``config``, not yet started (``start`` or ``with`` runs it).

    ``speech`` is the caller's to close if given. ``shows`` supplies the programme (the studio's
    queue); by default ``settings.topics``. ``gate`` moderates every line that airs; by default
    one is built from the show's settings. ``recall`` finds what the show remembers for replies.
    """
    with contextlib.ExitStack() as owned:
        parts = _build_parts(config, settings, telemetry, speech, shows, gate, recall or forget_everything, owned)
        parts.owned = owned.pop_all()  # built whole: from here the engine closes them
    engine = LiveEngine(parts)
    on_air = EngineOnAir(engine, parts.recall)
    engine.attach_faces(on_air, EngineControl(engine, on_air))
    return engine


def _build_parts(
    config: ShowConfig,
    settings: LiveSettings,
    telemetry: Telemetry,
    speech: SpeechService | None,
    shows: ShowSource | None,
    gate: ModerationGate | None,
    recall: Recall,
    owned: contextlib.ExitStack,
) -> LiveParts:
    started = time.perf_counter()
    video = config.video if config.video.maxrate_kbps else replace(config.video, maxrate_kbps=LIVE_MAXRATE_KBPS)
    config = replace(config, video=video)
    clock = ShowClock(video.fps, video.sample_rate)
    fps = clock.fps
    supervisor = Supervisor(telemetry)
    if speech is None:  # the engine's own: it closes it (a given one is its giver's to close)
        cache = SpeechCache(config.cache_dir or default_cache_dir())
        speech = owned.enter_context(SpeechService(clock.sample_rate, cache, telemetry))
    for member in config.cast:
        speech.check(member.voice)
    stage = owned.enter_context(build_stage(config, blocking_tv=False, supervisor=supervisor))
    telemetry.emit("stage_ready", ms=round((time.perf_counter() - started) * 1000, 3))
    # Forced alignment (a clip pushed with its text; voices without phoneme times) holds the GIL: in a child.
    lipsync = LipSync(owned.enter_context(ProcessAligner()))
    gate = gate or owned.enter_context(build_gate(config.section(ModerationSettings), telemetry))
    programme = Programme(
        config,
        shows or TopicCycle(settings.topics, settings.repeat),
        stage,
        speech,
        lipsync,
        telemetry,
        gap_frames=round(settings.show_gap_s * fps),
        gate=gate,
        supervisor=supervisor,
        fps=fps,
        holding=_cohost_holds(config),
    )
    owned.callback(programme.stop)
    director = Director(config, clock, {rig.cast_id: rig.origin[0] for rig in stage.rigs}, telemetry)
    frames = FrameQueue(max(2, round(settings.ahead_s * fps)), video.width * video.height * 3 // 2)
    renderer = Renderer(
        director,
        stage,
        frames,
        TurnFeed(programme, director),
        telemetry,
        low_water=max(1, round(settings.low_water_s * fps)),
        pushed_waiting=lambda: programme.has_pushed,
        supervisor=supervisor,
        cut_pushed=programme.take_pushed_cut,
        take_interruption=programme.take_interruption,
    )
    prepare_private_dir(settings.hls_dir)  # an unsafe directory is a clear error now, not a failed output
    # The playlists date their segments by the pacer's first frame; the pacer is built last.
    hls = HlsOutput(settings.hls_dir, fps, lambda: pacer.epoch_wall, telemetry, supervisor=supervisor)
    # Low-Latency HLS: the same packets again as 200 ms fMP4 parts, beside the plain playlist.
    ll_hls = LlHlsOutput(settings.hls_dir, fps, lambda: pacer.epoch_wall, telemetry, supervisor=supervisor)
    outputs: list[Output] = [hls, ll_hls, *build_outputs(settings, OutputContext(telemetry, supervisor, fps))]
    outputs += settings.extra_outputs
    # WebRTC peers (viewers, the talker) get these same packets and one shared Opus encode.
    webrtc = WebRtcFeed(clock)
    delay: BroadcastDelay | None = None
    if settings.delay_s > 0:  # the public outputs run behind, and can be dumped; the caller's feed stays live
        delay = BroadcastDelay(settings.delay_s, outputs, fps, telemetry, supervisor)
        outputs = [delay]
        webrtc.watch_refusal = f"the broadcast delay ({settings.delay_s:g} s) is on: watch over HLS"
    outputs.append(webrtc)
    pcm_feed = PcmFeed()  # phone callers: the show's PCM, converted per call to G.711
    encoder = owned.enter_context(
        Encoder(video, clock, outputs, telemetry, queue_size=8, supervisor=supervisor, pcm_taps=(webrtc, pcm_feed))
    )
    pacer = Pacer(
        clock, frames, encoder, telemetry, settings.frame_limit, settings.paced, supervisor, settings.realtime_clock
    )
    pacer.guest_mix = guest_mix = GuestMix(clock.sample_rate, clock.samples_per_frame)
    return LiveParts(
        config=config,
        settings=settings,
        telemetry=telemetry,
        clock=clock,
        supervisor=supervisor,
        resources=ResourceSampler(telemetry),
        recall=recall,
        speech=speech,
        stage=stage,
        lipsync=lipsync,
        gate=gate,
        builder=TurnBuilder(config, stage, speech, lipsync, telemetry, gate),
        programme=programme,
        director=director,
        frames=frames,
        renderer=renderer,
        hls=hls,
        ll_hls=ll_hls,
        webrtc=webrtc,
        delay=delay,
        pcm_feed=pcm_feed,
        encoder=encoder,
        pacer=pacer,
        guest_mix=guest_mix,
        owned=owned,
    )
