"""An offline render, assembled: the voice, the stage, the preparer, the director and an MP4 encoder."""

from __future__ import annotations

import contextlib
import time
from pathlib import Path

from talkshow.broadcast.encoder import Encoder
from talkshow.broadcast.mp4 import Mp4Output
from talkshow.config import ShowConfig
from talkshow.core.clock import ShowClock
from talkshow.core.errors import TalkshowError
from talkshow.lipsync.lip_sync import LipSync
from talkshow.show.director import Director
from talkshow.show.prepare import TurnPreparer
from talkshow.show.render import OfflineShow, Progress, RenderResult, play_offline
from talkshow.stage.builder import build_stage
from talkshow.telemetry.events import Telemetry
from talkshow.telemetry.resources import ResourceSampler
from talkshow.voice.cache import SpeechCache, default_cache_dir
from talkshow.voice.service import SpeechService

__all__ = ["render_show"]


def render_show(
    config: ShowConfig, output: Path, telemetry: Telemetry, progress: Progress | None = None
) -> RenderResult:
    """Render ``config`` to ``output``; writer and TTS failures never abort it."""
    started = time.perf_counter()
    clock = ShowClock(config.video.fps, config.video.sample_rate)
    speech = SpeechService(clock.sample_rate, SpeechCache(config.cache_dir or default_cache_dir()), telemetry)
    for member in config.cast:
        speech.check(member.voice)  # an unknown voice fails now, before any work
    with contextlib.ExitStack() as owned:  # whatever was opened is closed, even if a later step fails
        stage = owned.enter_context(build_stage(config, blocking_tv=True))
        telemetry.emit("stage_ready", ms=round((time.perf_counter() - started) * 1000, 3))
        preparer = owned.enter_context(TurnPreparer(config, stage, speech, LipSync(), telemetry))
        director = Director(config, clock, {rig.cast_id: rig.origin[0] for rig in stage.rigs}, telemetry)
        encoder = owned.enter_context(
            Encoder(config.video, clock, [Mp4Output(output)], telemetry, isolate_outputs=False)
        )
        owned.enter_context(ResourceSampler(telemetry))
        preparer.start()
        render_start = time.perf_counter()
        compose_ms = play_offline(OfflineShow(config, clock, stage, preparer, director, encoder), telemetry, progress)
    if preparer.error is not None:
        raise TalkshowError(f"turn preparation failed: {preparer.error}") from preparer.error
    wall = time.perf_counter() - render_start  # the encoder's last frames are in: closing it waited for them
    result = RenderResult(
        output, director.frame, clock.seconds_at(director.frame), wall, director.turns_done, compose_ms
    )
    telemetry.emit(
        "render_done", frames=result.frames, turns=result.turns, wall_s=round(wall, 3), fps=round(result.fps, 2)
    )
    return result
