"""Two channels from one command, isolated: a crash, a full disk and a CPU hog in one leave the other on time.

``talkshow serve --channels`` runs each channel as its own process, pinned to its own core
(two cores, two channels). The faults are real: channel A is killed with SIGKILL, its data
folder is a small tmpfs that is filled to the last byte (root only, as CI runs), and two
busy loops are confined to A's core as A is. Channel B's late frames are read from its own
studio before and after, and may grow by at most the one late-frame budget of the tests.
A third channel, too big for what is left, is refused by admission with the measurements.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from support.budgets import LATE_FRAMES_ALLOWED
from support.disks import fill, tmpfs
from support.local_http import poll_until
from support.paths import SHOWS
from support.serve import free_port
from talkshow.bench.serving import Served

# Admission reads the idle time of both cores, and pins a channel to each: it runs alone, last.
pytestmark = [pytest.mark.slow, pytest.mark.alone]

FAULT_S = 5.0  # each fault lasts this long: 150 of B's frames, each of which must be on time


def _channels(base: str) -> dict[str, dict[str, Any]]:
    return {c["name"]: c for c in httpx.get(base + "/api/channels", timeout=5).json()["channels"]}


def _wait(what: str, ready: Any, seconds: float, log: Path) -> None:
    poll_until(what, ready, seconds, lambda: log.read_text()[-3000:] if log.exists() else "")


def _late(studio: str) -> tuple[int, int]:
    status = httpx.get(studio + "api/status", timeout=5).json()
    return int(status["frames"]), int(status["late_frames"])


def _hog(cpus: list[int], seconds: float) -> list[subprocess.Popen[bytes]]:
    """Two busy loops on ``cpus`` (a channel's core), for ``seconds``."""
    spin = (f"import os, time\nos.sched_setaffinity(0, {set(cpus)!r})\nend = time.monotonic() + {seconds}\n"
            "while time.monotonic() < end: pass")  # fmt: skip
    return [subprocess.Popen([sys.executable, "-c", spin]) for _ in range(2)]


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="isolation by cores needs two of them")
def test_a_crash_a_full_disk_and_a_cpu_hog_in_one_channel_make_no_frame_late_in_the_other(tmp_path: Path) -> None:
    shows = SHOWS
    (tmp_path / "lambo.toml").write_text((shows / "lambo.toml").read_text())
    (tmp_path / "channels.toml").write_text(f"""
[house]
data = "air"
[[channel]]
name = "a"
show = "lambo.toml"
size = "640x360"
port = {free_port()}
cpus = [0]
[[channel]]
name = "b"
show = "lambo.toml"
size = "640x360"
port = {free_port()}
cpus = [1]
[[channel]]
name = "giant"
size = "3840x2160"
port = {free_port()}
cpus = [0]
""")
    disk = tmp_path / "air" / "a"
    with tmpfs(disk, "24m") if os.geteuid() == 0 else NoDisk(disk) as a_disk:
        log = tmp_path / "house.log"
        house = Served(["--channels", str(tmp_path / "channels.toml")], log, ready_path="/api/channels")
        base = house.base
        try:
            judged = ["running", "running", "refused"]
            _wait("both channels on air and the third judged",
                  lambda: [c["state"] for c in _channels(base).values()] == judged, 150, log)  # fmt: skip
            channels = _channels(base)
            assert "it needs about" in channels["giant"]["reason"], channels["giant"]
            studio_b = channels["b"]["studio"]
            _wait("B past its start", lambda: _late(studio_b)[0] > 150, 30, log)
            frames_before, late_before = _late(studio_b)
            faults_began = time.monotonic()

            os.kill(channels["a"]["pid"], signal.SIGKILL)  # 1. A crashes; the house starts it again
            _wait("A restarted", lambda: _channels(base)["a"]["restarts"] == 1, 20, log)
            _wait("A on air again", lambda: _channels(base)["a"]["state"] == "running", 90, log)

            for hog in _hog([0], FAULT_S):  # 2. A's core is hogged
                hog.wait(FAULT_S + 10)

            if a_disk is not None:  # 3. A's disk is full: A's own outputs say so
                ballast = fill(a_disk)
                studio_a = _channels(base)["a"]["studio"]
                _wait("A's outputs failing on the full disk", lambda: [
                    name for name, part in httpx.get(studio_a + "api/status", timeout=5).json()["parts"].items()
                    if part["state"] != "running"], FAULT_S, log)  # fmt: skip
                time.sleep(FAULT_S)
                ballast.unlink()

            frames_after, late_after = _late(studio_b)
            on_air_s = time.monotonic() - faults_began
            assert frames_after - frames_before > 0.9 * 30 * on_air_s, "B kept sending frames throughout"
            assert late_after - late_before <= LATE_FRAMES_ALLOWED, (late_before, late_after, _channels(base))
            assert _channels(base)["b"]["restarts"] == 0
            assert httpx.get(base + "/").status_code == 200 and "giant" in httpx.get(base + "/").text
        finally:
            code = house.stop(signal.SIGINT, timeout=60)  # killed if it does not stop: the code says so
        assert code == 0, log.read_text()[-2000:]
        leftovers = subprocess.run(["pgrep", "-f", str(tmp_path / "air")], capture_output=True, text=True).stdout
        assert not leftovers.strip(), "every channel stopped with the house"


class NoDisk:
    """Without root there is no small disk to fill: that fault is left out (the others still run)."""

    def __init__(self, path: Path) -> None:
        path.mkdir(parents=True, exist_ok=True)

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None
