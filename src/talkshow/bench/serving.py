"""Waiting for a ``talkshow serve`` that a benchmark started in its own process."""

from __future__ import annotations

import subprocess
import time

import httpx

__all__ = ["wait_until_serving"]


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
