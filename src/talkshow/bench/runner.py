"""``talkshow bench``: every scenario, talkshow and the seed-style baseline side by side.

Each scenario's parts run in fresh processes (offline, live, baseline), each with an empty
speech cache, so one part's memory, threads or voiced lines never colour another's numbers.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from talkshow.bench.clip import make_clip
from talkshow.bench.measure import SCENARIOS
from talkshow.core.errors import TalkshowError

__all__ = ["run_bench"]

PARTS = ("offline", "live", "baseline")


def _run_part(name: str, part: str, clip: Path, quick: bool, work: Path) -> dict[str, Any]:
    command = [sys.executable, "-m", "talkshow.bench.measure", name, "--clip", str(clip), "--part", part]
    if quick:
        command.append("--quick")
    # An empty speech cache for every part: what is measured includes voicing every line, as on air.
    cache = work / f"speech-cache-{name}-{part}"
    done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "TALKSHOW_CACHE_DIR": str(cache)})
    if done.returncode != 0:
        raise TalkshowError(f"benchmark {name}/{part} failed:\n{done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def run_bench(quick: bool, console: Console, scenarios: list[str] | None = None) -> dict[str, Any]:
    """Run the scenarios; returns the JSON-ready results (keys as documented in docs/performance.md)."""
    names = scenarios or list(SCENARIOS)
    results: dict[str, Any] = {"quick": quick, "scenarios": {}, "baseline": {}, "ratio": {}}
    with tempfile.TemporaryDirectory(prefix="talkshow-bench-") as work:
        clip = make_clip(Path(work) / "tv.mp4")
        for name in names:
            console.print(f"[bold]{name}[/] ...")
            offline, live, baseline = (_run_part(name, part, clip, quick, Path(work)) for part in PARTS)
            ours = {
                "compose_ms": offline["compose_ms"],
                "encode_fps": offline["encode_fps"],
                "realtime_factor": offline["realtime_factor"],
                "late_frames": live["late_frames"],
                "repeated_frames": live["repeated_frames"],
                "live_frames": live["live_frames"],
                "cpu_cores": live["cpu_cores"],
                "peak_rss_mb": max(offline["peak_rss_mb"], live["peak_rss_mb"]),
                "frames": offline["frames"],
            }
            results["scenarios"][name] = ours
            results["baseline"][name] = baseline
            p99 = ours["compose_ms"]["p99"]
            results["ratio"][name] = round(baseline["compose_ms"]["p99"] / p99, 1) if p99 else None
    console.print(_table(results))
    return results


def _table(results: dict[str, Any]) -> Table:
    table = Table(title="talkshow bench (1080p30" + (", quick)" if results["quick"] else ")"))
    columns = ("scenario", "compose p50/p99/max ms", "seed p99 ms", "ratio p99", "encode fps", "x real time",
               "late / live frames", "CPU cores", "peak RSS MB")  # fmt: skip
    for column in columns:
        table.add_column(column, justify="right")
    for name, s in results["scenarios"].items():
        c, b = s["compose_ms"], results["baseline"][name]["compose_ms"]
        table.add_row(
            name,
            f"{c['p50']:.2f} / {c['p99']:.2f} / {c['max']:.2f}",
            f"{b['p99']:.1f}",
            f"{results['ratio'][name]}x",
            f"{s['encode_fps']:.0f}",
            f"{s['realtime_factor']:.2f}",
            f"{s['late_frames']} / {s['live_frames']}",
            f"{s['cpu_cores']:.2f}",
            f"{s['peak_rss_mb']:.0f}",
        )
    return table
