"""What the serving benchmarks share: a free port, waiting for ``talkshow serve``, median and p90."""

from __future__ import annotations

import socket
import statistics
import subprocess
import time
from typing import Any

import httpx

__all__ = ["free_port", "rss_over", "stats", "wait_until_serving"]


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


def wait_until_serving(base: str, process: subprocess.Popen[bytes], timeout_s: float = 90.0) -> None:
    """Return once ``base``/healthz answers 200; RuntimeError (with the server's stderr, if piped) if it never does."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.3)
    process.kill()
    stderr = process.communicate()[1] or b""
    raise RuntimeError(f"talkshow serve did not start within {timeout_s:g} s: {stderr.decode()[-1500:]}")


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
