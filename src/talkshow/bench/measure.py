"""One benchmark scenario, measured in its own process (so peak RSS is the scenario's own).

Passes, all on the same recorded frame states:
1. record: the director plays the scenario (turns prepared as in a render);
2. compose: talkshow's compositor draws every state;
3. baseline: the seed-style libvips compositor draws the same states;
4. offline: compose + encode into an MP4, for times real time and encode fps;
5. live: the paced live engine runs the scenario, counting late frames and CPU.
The baseline pass runs in a process of its own, so libvips' memory is not counted
against talkshow's peak RSS.

    python -m talkshow.bench.measure tv_speech --clip tv.mp4 --quick
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from talkshow.bench.baseline import SeedCompositor
from talkshow.config import SceneSettings, ShowConfig, show_from_topic
from talkshow.core.clock import ShowClock
from talkshow.core.turn import PreparedTurn
from talkshow.live.settings import LiveSettings
from talkshow.process_memory import limit_malloc_arenas
from talkshow.show.prepare import TurnPreparer
from talkshow.stage.builder import Stage
from talkshow.stage.compositor import FrameState
from talkshow.station.engine import build_engine
from talkshow.station.render import mp4_encoder, offline_parts, offline_stage
from talkshow.telemetry.events import Telemetry

__all__ = ["SCENARIOS", "Scenario", "measure"]

TOPIC = "why there's a lambo in the room"


@dataclass(frozen=True)
class Scenario:
    """What a scenario shows: the TV on or off, and whether anyone speaks."""

    name: str
    tv_on: bool
    turns: int  # 0: nobody speaks
    show: bool = False  # a whole show: frames run until it ends


SCENARIOS = {
    s.name: s
    for s in (
        Scenario("idle", tv_on=False, turns=0),
        Scenario("speech", tv_on=False, turns=4),
        Scenario("tv", tv_on=True, turns=0),
        Scenario("tv_speech", tv_on=True, turns=4),
        Scenario("show", tv_on=True, turns=12, show=True),
    )
}


def scenario_config(scenario: Scenario, clip: Path, quick: bool) -> ShowConfig:
    """The default show at 1080p30 with the scenario's TV and turns."""
    turns = min(scenario.turns, 2) if quick else scenario.turns
    config = show_from_topic(TOPIC, turns=max(turns, 1), seed=7)
    return replace(config, scene=SceneSettings(tv=str(clip) if scenario.tv_on else "off"))


def _next_turn(preparer: TurnPreparer | None) -> PreparedTurn | None:
    if preparer is None:
        return None
    return preparer.next_turn(timeout=30.0 if not preparer.finished else 0.0)  # offline: waiting is fine


@dataclass(frozen=True)
class ScenarioConfig:
    """A scenario turned into a show config plus how to run it."""

    config: ShowConfig
    speaks: bool
    until_done: bool


def record(config: ScenarioConfig, frames: int) -> tuple[list[FrameState], list[npt.NDArray[np.int16]]]:
    """Play the scenario through the director; returns every frame state and its audio."""
    states: list[FrameState] = []
    audio: list[npt.NDArray[np.int16]] = []
    with offline_parts(config.config, Telemetry(), speaks=config.speaks) as parts:
        director, preparer = parts.director, parts.preparer
        while len(states) < frames:
            if config.until_done and preparer is not None and preparer.finished and director.on_air is None:
                break
            state, samples = director.step(lambda: _next_turn(preparer))
            states.append(state)
            audio.append(samples.copy())
    return states, audio


def _percentiles(values: list[float]) -> dict[str, float]:
    p50, p99 = np.percentile(values, [50, 99])
    return {"p50": round(float(p50), 3), "p99": round(float(p99), 3), "max": round(float(max(values)), 3)}


def _compose_times(stage: Stage, states: list[FrameState], draw: Callable[[FrameState], float]) -> list[float]:
    """Milliseconds per state; the TV frame is fetched first so decode waits are not counted."""
    times = []
    for state in states:
        stage.tv.frame_at(state.seconds)
        times.append(draw(state))
    return times


def measure(name: str, clip: Path, quick: bool, part: str) -> dict[str, Any]:
    """Scenario ``name``'s numbers for one ``part``: offline, live or baseline (a process each)."""
    scenario = SCENARIOS[name]
    config = scenario_config(scenario, clip, quick)
    plan = ScenarioConfig(config, speaks=scenario.turns > 0, until_done=scenario.show)
    frames = (300 if quick else 100_000) if scenario.show else (90 if quick else 300)
    if part == "live":
        return _live(config, plan, frames if scenario.show else (90 if quick else 600))
    states, audio = record(plan, frames)
    if part == "baseline":
        with offline_stage(config) as stage:
            seed = SeedCompositor(stage)
            seed.prepare(states)
            theirs = _compose_times(stage, states, lambda state: seed.compose(state)[1])
        return {"compose_ms": _percentiles(theirs), "cache": {"hits": seed.hits, "misses": seed.misses}}

    with offline_stage(config) as stage:

        def ours_ms(state: FrameState) -> float:
            stage.compositor.compose(state)
            return stage.compositor.stats.ms

        ours = _compose_times(stage, states, ours_ms)

    clock = ShowClock(config.video.fps, config.video.sample_rate)
    with offline_stage(config) as stage, tempfile.TemporaryDirectory() as work:
        encoder = mp4_encoder(config, clock, Path(work) / "offline.mp4", Telemetry())
        started = time.perf_counter()
        for index, (state, samples) in enumerate(zip(states, audio, strict=True)):
            encoder.submit(stage.compositor.compose(state).data, samples, index)
        encoder.close()
        offline_wall = time.perf_counter() - started

    return {
        "frames": len(states),
        "compose_ms": _percentiles(ours),
        "encode_fps": round(len(states) / encoder.encode_seconds, 1) if encoder.encode_seconds else 0.0,
        "realtime_factor": round(len(states) / clock.fps / offline_wall, 2),
        "peak_rss_mb": _peak_rss_mb(),
    }


def _live(config: ShowConfig, plan: ScenarioConfig, frames: int) -> dict[str, Any]:
    """The scenario on the paced live engine, in a process that did nothing heavier first.

    A whole-show scenario runs until its show is over (plus a second), or ``frames``.
    """
    with tempfile.TemporaryDirectory() as work:
        topics = (TOPIC,) if plan.speaks else ()
        settings = LiveSettings(hls_dir=Path(work), topics=topics, repeat=False, frame_limit=frames)
        engine = build_engine(config, settings, Telemetry())
        engine.start()
        while not engine.wait(timeout=0.5):
            if plan.until_done and engine.programme.shows_done:
                engine.wait(timeout=1.0)
                break
        engine.stop()
    return {
        "late_frames": engine.stats.late,
        "repeated_frames": engine.stats.repeated,
        "live_frames": engine.stats.frames,
        "cpu_cores": round(engine.resources.mean_cores, 3),
        "peak_rss_mb": _peak_rss_mb(),
    }


def _peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def main(argv: list[str] | None = None) -> int:
    """Measure one scenario and print its numbers as JSON."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("scenario", choices=sorted(SCENARIOS))
    parser.add_argument("--clip", type=Path, required=True, help="the TV video")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--part", choices=("offline", "live", "baseline"), default="offline")
    args = parser.parse_args(argv)
    limit_malloc_arenas()  # the process as `talkshow` runs it (the command line does this first)
    print(json.dumps(measure(args.scenario, args.clip, args.quick, args.part)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
