"""`talkshow bench --quick` runs end to end; its numbers are not asserted (shared, noisy CI machines).

Two scenarios, not all five: every scenario goes through the same runner and measurement code,
and each part starts from an empty speech cache, so all five took over three minutes here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

# times nothing: make test runs it beside the solo tier, on the CPU those two workers leave idle
pytestmark = [pytest.mark.slow, pytest.mark.beside]  # a whole server, a browser or minutes of air: make test

SCENARIOS = ("idle", "tv")  # no speech: the baseline's cache hits on idle, never once the TV plays


def test_quick_bench_writes_every_documented_key(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "talkshow",
            "bench",
            "--quick",
            "--json",
            str(out),
            *(f"--scenario={s}" for s in SCENARIOS),
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(out.read_text())
    for name in SCENARIOS:
        ours = results["scenarios"][name]
        assert set(ours["compose_ms"]) == {"p50", "p99", "max"}
        for key in ("encode_fps", "realtime_factor", "late_frames", "cpu_cores", "peak_rss_mb"):
            assert isinstance(ours[key], (int, float)), (name, key)
        assert ours["compose_ms"]["p50"] <= ours["compose_ms"]["p99"] <= ours["compose_ms"]["max"]
        assert ours["live_frames"] > 0 and ours["peak_rss_mb"] > 0
        assert set(results["baseline"][name]["compose_ms"]) == {"p50", "p99", "max"}
        assert results["ratio"][name] > 0
    # The baseline's cache behaves as the seed's did: misses on every frame once the TV plays.
    assert results["baseline"]["tv"]["cache"]["hits"] == 0
    assert results["baseline"]["idle"]["cache"]["hits"] > 0


def test_unknown_scenario_is_named() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "talkshow", "bench", "--scenario", "opera"], capture_output=True, text=True
    )
    assert done.returncode == 2 and "unknown scenario 'opera'" in done.stderr
