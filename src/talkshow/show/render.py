"""Offline render: a show, start to finish, into an MP4 file.

The same pieces run live later: a preparer thread works ahead, the director steps
the one clock, the compositor draws raw frames, the encoder thread encodes them.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable
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
from talkshow.stage.builder import build_stage
from talkshow.telemetry.events import Telemetry
from talkshow.telemetry.resources import ResourceSampler
from talkshow.voice.cache import SpeechCache, default_cache_dir
from talkshow.voice.service import SpeechService

logger = logging.getLogger(__name__)

__all__ = ["RenderResult", "render_show"]

TAIL_SECONDS = 1.5
TURN_WAIT_SECONDS = 120.0

Progress = Callable[[int, int, int], None]  # frames rendered, turns done, turns planned


@dataclass(frozen=True)
class RenderResult:
    """What a render produced and how fast."""

    path: Path
    frames: int
    seconds: float
    wall_seconds: float
    turns: int
    compose_ms: list[float]

    @property
    def fps(self) -> float:
        """Frames rendered per wall-clock second."""
        return self.frames / self.wall_seconds if self.wall_seconds else 0.0

    @property
    def realtime_factor(self) -> float:
        """Show seconds rendered per wall-clock second."""
        return self.seconds / self.wall_seconds if self.wall_seconds else 0.0


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
        seats = {rig.cast_id: rig.origin[0] for rig in stage.rigs}
        director = Director(config, clock, seats, telemetry)
        encoder = owned.enter_context(
            Encoder(config.video, clock, [Mp4Output(output)], telemetry, isolate_outputs=False)
        )
        owned.enter_context(ResourceSampler(telemetry))
        compose_ms: list[float] = []
        tail_until: int | None = None
        preparer.start()
        render_start = time.perf_counter()
        while True:
            if tail_until is None and director.on_air is None and director.ready_for_turn() and preparer.finished:
                tail_until = director.frame + round(TAIL_SECONDS * clock.fps)
            if tail_until is not None and director.frame >= tail_until:
                break
            if tail_until is not None and director.frame >= tail_until - clock.fps // 2:
                director.clear_caption()
            # Offline, waiting for the next turn is fine: no wall clock is running.
            state, audio = director.step(
                lambda: preparer.next_turn(timeout=TURN_WAIT_SECONDS if not preparer.finished else 0)
            )
            frame = stage.compositor.compose(state)
            compose_ms.append(stage.compositor.stats.ms)
            encoder.submit(frame.data, audio, director.frame - 1)
            telemetry.emit(
                "frame",
                frame=director.frame - 1,
                compose_ms=round(stage.compositor.stats.ms, 3),
                dirty_px=stage.compositor.stats.dirty_pixels,
            )
            if progress is not None:
                progress(director.frame, director.turns_done, config.turns)
    if preparer.error is not None:
        raise TalkshowError(f"turn preparation failed: {preparer.error}") from preparer.error
    wall = time.perf_counter() - render_start
    result = RenderResult(
        output, director.frame, clock.seconds_at(director.frame), wall, director.turns_done, compose_ms
    )
    telemetry.emit(
        "render_done", frames=result.frames, turns=result.turns, wall_s=round(wall, 3), fps=round(result.fps, 2)
    )
    return result
