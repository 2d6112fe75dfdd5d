"""A real RTMP server (ffmpeg listening) for the RTMP output's tests, and waiting on a condition."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path


def start_rtmp_server(port: int, output: Path) -> subprocess.Popen[bytes]:
    """ffmpeg as an RTMP server: accepts one publisher and records what arrives (each packet written as it comes:
    by default ffmpeg writes its file 256 KB at a time, and a test waiting for the stream waited for that)."""
    return subprocess.Popen(
        ["ffmpeg", "-nostdin", "-loglevel", "error", "-listen", "1", "-i", f"rtmp://127.0.0.1:{port}/live/test",
         "-c", "copy", "-flush_packets", "1", "-f", "flv", "-y", str(output)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip


def listening(port: int) -> bool:
    """Whether a socket listens on TCP ``port`` (read from /proc/net: a probe connection would be the one
    publisher ffmpeg's ``-listen 1`` accepts, and would end it)."""
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            local, state = row.split()[1], row.split()[3]
            if state == "0A" and int(local.rsplit(":", 1)[1], 16) == port:  # 0A: LISTEN
                return True
    return False


def wait_for(predicate: object, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return True
        time.sleep(0.05)
    return False
