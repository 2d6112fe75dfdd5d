"""Small real shows for tests: 640x360 so they stay quick, espeak voices where speed is what matters,
and killing a helper's child process to test what survives it."""

from __future__ import annotations

import os
import signal
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from talkshow.child_process import ChildProcess
from talkshow.config import ShowConfig, VideoSettings, show_from_topic


def small_config(tmp_path: Path, turns: int = 3, seed: int = 1, **changes: Any) -> ShowConfig:
    """A short show at 640x360 so tests stay quick; everything else is the real default."""
    config = show_from_topic("why there's a lambo in the room", turns=turns, seed=seed)
    return replace(config, video=VideoSettings(width=640, height=360), cache_dir=tmp_path / "cache", **changes)


def with_espeak_voices(config: ShowConfig) -> ShowConfig:
    """The same show with each character on its espeak-ng fallback voice.

    For tests that run faster than real time on purpose, where the neural voice (0.06 x real
    time) could not keep up with an unpaced renderer, and the voice is not what is tested.
    """
    cast = tuple(replace(m, voice=m.voice.fallback or m.voice) for m in config.cast)
    return replace(config, cast=cast)


def kill_child(child: ChildProcess) -> int:
    """SIGKILL the helper's running child and wait until it is gone; returns the dead child's pid."""
    pid = child.pid
    assert pid is not None, "no child is running"
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 5
    while child.running and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not child.running, "the child outlived SIGKILL"
    return pid
