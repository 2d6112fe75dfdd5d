"""What the serving benchmarks and the tests share: ``Served`` (a real ``talkshow serve``), a port, median, p90."""

from __future__ import annotations

import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

__all__ = ["Served", "free_port", "rss_over", "stats"]


PORT_TRIES = 3


def free_port() -> int:
    """A TCP port free on loopback now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def stats(values: list[float]) -> dict[str, float]:
    """``n``, ``median`` and ``p90`` of the finite values (NaN marks a measurement that failed)."""
    finite = sorted(v for v in values if v == v)
    if not finite:
        return {"n": 0}
    p90 = finite[min(len(finite) - 1, round(0.9 * (len(finite) - 1)))]
    return {"n": len(finite), "median": round(statistics.median(finite), 1), "p90": round(p90, 1)}


class Served:
    """A real ``talkshow serve`` (a context manager): started on a free port, ready when it answers.

    ``args`` follow ``talkshow serve`` (the port is added); its output goes to ``log``. Ready
    means ``ready_path`` answers 200 and ``also()`` holds (a playlist written, a chat joined).
    ``stop`` ends it as an operator would (SIGTERM, then a kill after ``timeout``); leaving the
    ``with`` block kills whatever is still running.
    """

    def __init__(
        self,
        args: list[str],
        log: Path,
        env: dict[str, str] | None = None,
        ready_path: str = "/healthz",
        also: Callable[[], bool] = lambda: True,
        start_s: float = 90.0,
    ) -> None:
        deadline = time.monotonic() + start_s
        for _ in range(PORT_TRIES):  # a port free when probed may be taken before the server binds it
            self.port = free_port()
            self.base, self.ws, self.log = f"http://127.0.0.1:{self.port}", f"ws://127.0.0.1:{self.port}", log
            with log.open("wb") as out:
                self.process = subprocess.Popen(
                    [sys.executable, "-m", "talkshow", "serve", *args, "--port", str(self.port)],
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    env={**os.environ, **(env or {})},
                )
            while time.monotonic() < deadline and self.process.poll() is None:
                try:
                    if httpx.get(self.base + ready_path, timeout=5).status_code == 200 and also():
                        return
                except httpx.HTTPError:
                    pass
                time.sleep(0.2)
            if self.process.poll() is None or "address already in use" not in log.read_text():
                break
        self.kill()
        raise RuntimeError(f"talkshow serve did not start within {start_s:g} s: {log.read_text()[-2000:]}")

    def __enter__(self) -> Served:
        return self

    def __exit__(self, *exc: object) -> None:
        self.kill()

    def stop(self, sig: signal.Signals = signal.SIGTERM, timeout: float = 30.0) -> int:
        """End it with ``sig`` (a clean stop); killed if still running after ``timeout``. Its exit status."""
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                return self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
        return self.process.wait()

    def kill(self) -> None:
        """End it now (a test that has seen what it needed)."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()


def rss_over(events: list[dict[str, Any]]) -> dict[str, float]:
    """The server's resident memory over a call, from its once-a-second ``resources`` events (MB)."""
    rss = [float(e["rss_mb"]) for e in events if e["kind"] == "resources"]
    if not rss:
        return {}
    head, tail = rss[: max(1, len(rss) // 20)], rss[-max(1, len(rss) // 20) :]  # the first and last 5%
    start, end = sum(head) / len(head), sum(tail) / len(tail)
    with_children = [float(e["rss_mb"]) + float(e.get("children_rss_mb", 0.0)) for e in events if "rss_mb" in e]
    return {
        "start": round(start, 1),
        "end": round(end, 1),
        "max": max(rss),
        "growth": round(end - start, 1),
        "max_with_model_processes": round(max(with_children), 1),
    }
