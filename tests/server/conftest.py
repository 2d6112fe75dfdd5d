"""A `talkshow serve` process for the tests of this folder that start one per test."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from support.serve import start_studio


@pytest.fixture
def studio(tmp_path: Path, shows_dir: Path) -> Iterator[tuple[str, Path, subprocess.Popen[bytes]]]:
    """A running studio with its own database."""
    base, hls, process = start_studio(tmp_path, shows_dir, tmp_path / "studio.sqlite3")
    yield base, hls, process
    if process.poll() is None:
        process.kill()
        process.wait()
