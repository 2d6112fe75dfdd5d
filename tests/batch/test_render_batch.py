"""``talkshow render-batch`` on this machine's processes (the embedded default): episodes rendered once each,
a rerun that skips them, and Ctrl-C that stops cleanly and leaves no half-written file."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from support.episodes import checked_manifest, episodes_file

pytestmark = pytest.mark.slow


def render_batch(*args: str | Path) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "talkshow", "render-batch", *map(str, args)]
    return subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True
    )


def group(leader: int) -> list[str]:
    """The command lines of the processes still in a process group."""
    found = subprocess.run(["pgrep", "-a", "-g", str(leader)], capture_output=True, text=True).stdout
    return found.splitlines()


def test_each_episode_once_and_a_rerun_skips_them(tmp_path: Path) -> None:
    names = ["first", "second"]
    episodes, out = episodes_file(tmp_path, names), tmp_path / "out"
    run = render_batch(episodes, "--out", out, "--workers", "2")
    output, _ = run.communicate(timeout=240)
    assert run.returncode == 0, output
    entries = checked_manifest(out, names)
    assert entries["first"]["sha256"] != entries["second"]["sha256"]  # two seeds, two episodes
    written = {n: (out / f"{n}.mp4").stat().st_mtime_ns for n in names}

    again = render_batch(episodes, "--out", out)
    output, _ = again.communicate(timeout=120)
    assert again.returncode == 0, output
    assert "2 already in" in output and "0 rendered" in output, output
    assert {n: (out / f"{n}.mp4").stat().st_mtime_ns for n in names} == written
    assert checked_manifest(out, names) == entries


def test_ctrl_c_cancels_and_leaves_no_half_written_file(tmp_path: Path) -> None:
    names = ["long-one", "long-two", "long-three"]
    episodes, out = episodes_file(tmp_path, names, turns=12), tmp_path / "out"
    run = render_batch(episodes, "--out", out, "--workers", "1")
    deadline = time.monotonic() + 120
    while not any(out.glob(".long-one.mp4.*")) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert any(out.glob(".long-one.mp4.*")), "the first episode never started writing"
    os.killpg(run.pid, signal.SIGINT)  # as Ctrl-C at a terminal: the whole process group
    output, _ = run.communicate(timeout=60)
    assert run.returncode == 130, output
    assert sorted(p.name for p in out.iterdir()) == [], f"left behind: {sorted(out.iterdir())}"
    deadline = time.monotonic() + 5  # a worker's helpers leave within a second of it (they watch their parent)
    while (left := group(run.pid)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert left == [], f"processes of the batch still running: {left}"
    assert not (out / "manifest.json").exists() or json.loads((out / "manifest.json").read_text())["episodes"] == []
