"""An offline render, assembled: the voice, the stage, the preparer, the director and an MP4 encoder.

``offline_parts``, ``offline_stage`` and ``mp4_encoder`` hand the same parts to the benchmark
(``talkshow.bench.measure``), which times them one at a time: it builds none itself.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
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
from talkshow.stage.builder import Stage, build_stage
from talkshow.telemetry.events import Telemetry
from talkshow.telemetry.resources import ResourceSampler
from talkshow.voice.cache import SpeechCache, default_cache_dir
from talkshow.voice.service import SpeechService

__all__ = ["OfflineParts", "mp4_encoder", "offline_parts", "offline_stage", "render_show"]


@dataclass(frozen=True)
class OfflineParts:
    """A show's parts with no wall clock: the stage, the director and the preparer (None if nobody speaks)."""

    clock: ShowClock
    stage: Stage
    director: Director
    preparer: TurnPreparer | None


def offline_stage(config: ShowConfig) -> AbstractContextManager[Stage]:
    """The stage as an offline render draws it (the TV decoded in step with the frames), to be closed after."""
    return build_stage(config, blocking_tv=True)


def mp4_encoder(config: ShowConfig, clock: ShowClock, output: Path, telemetry: Telemetry) -> Encoder:
    """The one encoder writing ``output`` (an offline render's: an output that fails fails the render)."""
    return Encoder(config.video, clock, [Mp4Output(output)], telemetry, isolate_outputs=False)


@contextlib.contextmanager
def offline_parts(config: ShowConfig, telemetry: Telemetry, speaks: bool = True) -> Iterator[OfflineParts]:
    """The stage, the director and (if ``speaks``) a started preparer, as a render builds them; all closed after.

    An unknown voice fails here, before any work.
    """
    started = time.perf_counter()
    clock = ShowClock(config.video.fps, config.video.sample_rate)
    speech = SpeechService(clock.sample_rate, SpeechCache(config.cache_dir or default_cache_dir()), telemetry)
    for member in config.cast:
        speech.check(member.voice)
    with contextlib.ExitStack() as owned:  # whatever was opened is closed, even if a later step fails
        stage = owned.enter_context(offline_stage(config))
        telemetry.emit("stage_ready", ms=round((time.perf_counter() - started) * 1000, 3))
        preparer = owned.enter_context(TurnPreparer(config, stage, speech, LipSync(), telemetry)) if speaks else None
        director = Director(config, clock, {rig.cast_id: rig.origin[0] for rig in stage.rigs}, telemetry)
        if preparer is not None:
            preparer.start()
        yield OfflineParts(clock, stage, director, preparer)


def render_show(
    config: ShowConfig, output: Path, telemetry: Telemetry, progress: Progress | None = None
) -> RenderResult:
    """Render ``config`` to ``output``; writer and TTS failures never abort it."""
    with contextlib.ExitStack() as owned:
        parts = owned.enter_context(offline_parts(config, telemetry))
        clock, stage, director, preparer = parts.clock, parts.stage, parts.director, parts.preparer
        assert preparer is not None  # a render speaks
        encoder = owned.enter_context(mp4_encoder(config, clock, output, telemetry))
        owned.enter_context(ResourceSampler(telemetry))
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
