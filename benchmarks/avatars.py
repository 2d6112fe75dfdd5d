"""Compose cost of imported avatars at 1080p, against the bundled cast, in one run.

    .venv/bin/python benchmarks/avatars.py [--turns 8]

Two PNGTuber Plus avatars the tests build (tests/support/avatar_files.py: hair that wobbles and drags,
blinking eyes, an animated sprite sheet; one with a two-state mouth, one with three mapped
mouths) are imported, then a show is rendered at 1920x1080 with them, and the same show with
the bundled Duke and Wendell. Reported per cast: compose time per frame (median, p90, p99,
max), how long building the stage took (import excluded), and the rig's layer count after
flattening. The caches start empty, so the figures include all the work.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from support.avatar_files import write_save
from talkshow.characters.cast import cast_from_names
from talkshow.characters.importing import import_avatar
from talkshow.config import VideoSettings, show_from_topic
from talkshow.stage.builder import build_stage
from talkshow.station.render import render_show
from talkshow.telemetry.events import MemorySink, Telemetry


def run(names: str, turns: int, work: Path) -> dict[str, object]:
    config = show_from_topic("why there's a lambo in the room", turns=turns, seed=3)
    config = replace(config, video=VideoSettings(width=1920, height=1080), cache_dir=work / f"cache-{len(names)}")
    config = config.with_overrides(cast=cast_from_names(names))
    started = time.perf_counter()
    with build_stage(config) as stage:
        build_ms = (time.perf_counter() - started) * 1000
        layers = [len(getattr(rig, "layers", [])) for rig in stage.rigs]
    sink = MemorySink()
    render_show(config, work / f"{len(names)}.mp4", Telemetry([sink]))
    compose = np.array([e.fields["compose_ms"] for e in sink.of_kind("frame")], float)
    return {
        "cast": names.split(","),
        "frames": len(compose),
        "compose_ms": {
            "median": round(float(np.median(compose)), 3),
            "p90": round(float(np.percentile(compose, 90)), 3),
            "p99": round(float(np.percentile(compose, 99)), 3),
            "max": round(float(compose.max()), 3),
        },
        "stage_build_ms": round(build_ms, 1),
        "layers_after_flattening": layers,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=8)
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="talkshow-avatars-"))
    two_state = import_avatar(write_save(work, "pixel.save", mouths=1), work / "packs")
    mapped = import_avatar(write_save(work, "mapped.save", mouths=3), work / "packs")
    results = [
        run(f"{two_state},{mapped}", args.turns, work),
        run("duke,wendell", args.turns, work),
    ]
    imported, bundled = (r["compose_ms"] for r in results)
    assert isinstance(imported, dict) and isinstance(bundled, dict)
    summary = {"runs": results, "p99_ratio_imported_to_bundled": round(imported["p99"] / bundled["p99"], 2)}
    print(json.dumps(summary, indent=2))
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
