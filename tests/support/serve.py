"""A real `talkshow serve` for tests and benchmarks: the command, a free port, fetching from it, starting a studio."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


TALKSHOW = Path(sys.executable).with_name("talkshow")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> tuple[int, bytes, str]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read(), response.headers.get("Content-Type", "")


def start_studio(
    tmp_path: Path,
    shows_dir: Path,
    db: Path,
    turns: int = 3,
    env: dict[str, str] | None = None,
    args: tuple[str, ...] = (),
) -> tuple[str, Path, subprocess.Popen[bytes]]:
    """`talkshow serve` on a free port with a 640x360 show (so the test machine keeps up) and ``db``.

    ``env``: variables to set for the server on top of this process's own; ``args``: more options.
    """
    show = tmp_path / "small.toml"
    show.write_text((shows_dir / "lambo.toml").read_text() + "\n[video]\nwidth = 640\nheight = 360\n")
    port = free_port()
    hls = tmp_path / f"hls-{port}"
    command = [str(TALKSHOW), "serve", str(show), "--port", str(port), "--hls-dir", str(hls), "--db", str(db)]
    process = subprocess.Popen(
        [*command, "--turns", str(turns), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, **(env or {})},
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if fetch(base + "/api/status")[0] == 200 and (hls / "live.m3u8").exists():
                break
        except OSError:
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail(f"studio did not start: {process.communicate()[0].decode()[-2000:]}")
    return base, hls, process
