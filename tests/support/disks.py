"""Disks that fill up on purpose: a small tmpfs, and filling a directory to its last bytes."""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


@contextlib.contextmanager
def tmpfs(path: Path, size: str) -> Iterator[Path]:
    """A small private (0700) real filesystem at ``path`` (root only: skipped elsewhere)."""
    path.mkdir(parents=True, exist_ok=True)
    mount = ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(path)]
    if os.geteuid() != 0 or subprocess.run(mount, capture_output=True).returncode != 0:
        pytest.skip("needs root to mount a small tmpfs (CI runs as root)")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def fill(directory: Path, leave_bytes: int = 0) -> Path:
    """Fill ``directory``'s filesystem, leaving about ``leave_bytes`` free; the ballast file to delete later."""
    ballast = directory / "ballast.bin"
    free = os.statvfs(directory).f_bavail * os.statvfs(directory).f_frsize
    with ballast.open("wb") as handle, contextlib.suppress(OSError):
        handle.write(bytes(max(0, free - leave_bytes)))
    return ballast
