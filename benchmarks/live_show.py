"""Live benchmark: a 12-turn show streamed at 1080p30 with the TV playing a video.

Optionally keeps one core busy in another process, as the [2-live] target asks.
Reports late and repeated frames, max lateness, CPU cores used, and the latency
from a frame's show time to its segment being listed in the playlist.

    .venv/bin/python benchmarks/live_show.py --load --turns 12
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import statistics
import tempfile
from dataclasses import replace
from pathlib import Path

import numpy as np

from talkshow.bench.clip import make_clip
from talkshow.config import SceneSettings, show_from_topic
from talkshow.live.settings import LiveSettings
from talkshow.process_memory import limit_malloc_arenas
from talkshow.station.engine import build_engine
from talkshow.telemetry.events import JsonlSink, MemorySink, Telemetry


def burn() -> None:
    """Keep one core busy."""
    while True:
        pass


def main() -> None:
    """Run the benchmark and print its numbers."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--turns", type=int, default=12)
    parser.add_argument("--seconds", type=float, default=0, help="stream length (default: until the show ends + 3 s)")
    parser.add_argument("--load", action="store_true", help="keep one core busy in another process")
    parser.add_argument("--parallel", type=int, default=2, help="lines voiced at once (voicing_parallel)")
    parser.add_argument("--espeak", action="store_true", help="voice the cast with espeak-ng, not the neural default")
    parser.add_argument("--size", default="1920x1080")
    parser.add_argument("--trace", type=Path)
    args = parser.parse_args()
    limit_malloc_arenas()  # as the talkshow command does
    width, height = (int(v) for v in args.size.split("x"))
    work = Path(tempfile.mkdtemp(prefix="talkshow-bench-"))
    clip = make_clip(work / "tv.mp4")
    config = show_from_topic("why there's a lambo in the room", args.turns, seed=7)
    config = replace(config, scene=SceneSettings(tv=str(clip)), video=replace(config.video, width=width, height=height))
    config = replace(config, voicing_parallel=args.parallel)
    if args.espeak:  # the same show on each character's espeak-ng fallback voice, to compare
        config = replace(config, cast=tuple(replace(m, voice=m.voice.fallback or m.voice) for m in config.cast))
    sink = MemorySink()
    telemetry = Telemetry([sink])
    trace = JsonlSink(args.trace) if args.trace else None
    if trace is not None:
        telemetry.add_sink(trace)
    settings = LiveSettings(hls_dir=work / "hls", topics=(config.topic,), repeat=False)
    burner = multiprocessing.Process(target=burn, daemon=True) if args.load else None
    if burner:
        burner.start()
    engine = build_engine(config, settings, telemetry)
    engine.start()
    try:
        limit = args.seconds or 600
        waited = 0.0
        while waited < limit:
            engine.wait(0.5)
            waited += 0.5
            if not args.seconds and engine.programme.shows_done >= 1 and waited > 3:
                engine.wait(3.0)
                break
    finally:
        engine.stop()
        if trace is not None:
            trace.close()
        if burner:
            burner.terminate()
    stats = engine.stats
    published = sink.of_kind("segment_published")
    first = [e.fields["latency_first_ms"] for e in published]
    gaps = [e.fields["gap_frames"] for e in sink.of_kind("turn_on_air")][1:]
    compose = [e.fields["compose_ms"] for e in sink.of_kind("frame")]
    print(f"size {width}x{height}, load {'one core busy' if args.load else 'none'}, turns on air {len(gaps) + 1}")
    print(f"frames {stats.frames}, late {stats.late}, repeated {stats.repeated}, dropped {stats.encoder_drops}")
    print(f"max lateness {stats.max_lateness_ms:.1f} ms; degrade events {len(sink.of_kind('degrade'))}")
    print(f"cpu cores (mean over the run) {engine.resources.mean_cores:.3f}")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    p50, p99 = statistics.median(compose), np.percentile(compose, 99)
    print(f"compose ms p50 {p50:.2f}, p99 {p99:.2f}, max {max(compose):.2f}")
    print(f"segments {len(published)}; frame->playlist ms median {statistics.median(first):.0f}, max {max(first):.0f}")
    print(f"turn gaps (frames) {sorted(set(gaps))}; samples {engine.encoder.samples_encoded} = frames x 1600: "
          f"{engine.encoder.samples_encoded == engine.encoder.frames_encoded * 1600}")  # fmt: skip


if __name__ == "__main__":
    main()
