"""A real RTMP server (ffmpeg listening) for the RTMP output's tests, and waiting on a condition."""

from __future__ import annotations

import functools
import subprocess
import time
from pathlib import Path
from typing import IO

from support.serve import free_port

# A test's RTMP receiver is harness, not what is measured: on loaded cores (a fresh-clone run whose first tier took
# 3:45, not 3:00) ffmpeg had not bound its port after 10 s, so it gets this long to start.
LISTEN_WITHIN_S = 30.0


def start_rtmp_server(port: int, output: Path, errors: IO[bytes] | None = None) -> subprocess.Popen[bytes]:
    """ffmpeg as an RTMP server: accepts one publisher and records what arrives (each packet written as it comes:
    by default ffmpeg writes its file 256 KB at a time, and a test waiting for the stream waited for that).
    ``errors``: where ffmpeg's error messages go (discarded by default)."""
    return subprocess.Popen(
        ["ffmpeg", "-nostdin", "-loglevel", "error", "-listen", "1", "-i", f"rtmp://127.0.0.1:{port}/live/test",
         "-c", "copy", "-flush_packets", "1", "-f", "flv", "-y", str(output)],
        stdout=subprocess.DEVNULL,
        stderr=errors if errors is not None else subprocess.DEVNULL,
    )  # fmt: skip


def start_listening_rtmp_server(output: Path, attempts: int = 3) -> tuple[subprocess.Popen[bytes], int]:
    """ffmpeg as an RTMP server on a free port, returned once it listens, with its port.

    A port found free can be taken before ffmpeg binds it (by any connection's local port: both come from the
    ephemeral range), and ffmpeg then exits at once; that is retried on another port. Anything else that ends
    ffmpeg, or a server not listening in ``LISTEN_WITHIN_S``, fails with ffmpeg's own words."""
    log = output.with_suffix(".ffmpeg.log")
    for _ in range(attempts):
        port = free_port()
        with log.open("wb") as errors:
            server = start_rtmp_server(port, output, errors)
        if wait_for(functools.partial(_listening_or_ended, server, port), LISTEN_WITHIN_S) and listening(port):
            return server, port
        server.kill()
        server.wait()
        said = log.read_text(errors="replace")
        if "Address already in use" not in said:
            raise AssertionError(
                f"ffmpeg's RTMP server did not listen on port {port} in {LISTEN_WITHIN_S:.0f} s: {said.strip()!r}"
            )
    raise AssertionError(f"every free port was taken before ffmpeg bound it ({attempts} tries)")


def _listening_or_ended(server: subprocess.Popen[bytes], port: int) -> bool:
    return listening(port) or server.poll() is not None


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
