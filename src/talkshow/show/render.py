"""Offline render: a show, start to finish, into an MP4 file, as fast as the machine allows.

The same pieces run live: a preparer thread works ahead, the director steps the one
clock, the compositor draws raw frames, the encoder thread encodes them. They are built
by ``talkshow.station.render``; this module only runs them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from talkshow.broadcast.encoder import Encoder
from talkshow.config import ShowConfig
from talkshow.core.clock import ShowClock
from talkshow.show.director import Director
from talkshow.show.prepare import TurnPreparer
from talkshow.stage.builder import Stage
from talkshow.telemetry.events import Telemetry

logger = logging.getLogger(__name__)

__all__ = ["TAIL_SECONDS", "OfflineShow", "RenderResult", "play_offline"]

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


@dataclass(frozen=True)
class OfflineShow:
    """The parts an offline render runs, built and started by the station."""

    config: ShowConfig
    clock: ShowClock
    stage: Stage
    preparer: TurnPreparer
    director: Director
    encoder: Encoder


def play_offline(show: OfflineShow, telemetry: Telemetry, progress: Progress | None = None) -> list[float]:
    """Step the show to its end (and a short tail), encoding every frame; returns each frame's compose time."""
    clock, stage, preparer, director = show.clock, show.stage, show.preparer, show.director
    compose_ms: list[float] = []
    tail_until: int | None = None
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
        show.encoder.submit(frame.data, audio, director.frame - 1)
        telemetry.emit(
            "frame",
            frame=director.frame - 1,
            compose_ms=round(stage.compositor.stats.ms, 3),
            dirty_px=stage.compositor.stats.dirty_pixels,
        )
        if progress is not None:
            progress(director.frame, director.turns_done, show.config.turns)
    return compose_ms
