"""Admission: a new channel starts only if the running ones are on time and the cores have room for it.

Both are measured, not assumed. The room is the idle time of the cores the newcomer would
use, read from ``/proc/stat`` over a short window. Its need is what the running channels
use (each process with its model processes, from ``/proc/PID/stat``), per pixel, times
its own picture; the first channel is let in on the headroom alone. A channel that is
already late, anywhere, refuses the newcomer: more work would make it later.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Verdict", "decide", "idle_cores", "tree_cpu_seconds"]

TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Verdict:
    """Whether the channel may start, and the measurements that decided it (the refusal's words)."""

    admitted: bool
    reason: str


def decide(
    need_cores: float | None, idle: float, late_rates: dict[str, float], late_rate_limit: float, reserve: float
) -> Verdict:
    """The rule: no running channel later than ``late_rate_limit``, and ``need + reserve`` cores idle.

    ``need_cores`` None: nothing runs to measure a need from (the first channel): only the reserve must be idle.
    """
    late = {name: rate for name, rate in late_rates.items() if rate > late_rate_limit}
    if late:
        name, rate = max(late.items(), key=lambda item: item[1])
        return Verdict(False, f"channel {name!r} is already late on {rate:.1%} of its frames "
                              f"(the limit is {late_rate_limit:.1%}): another channel would make it later")  # fmt: skip
    if need_cores is None:
        if idle < reserve:
            return Verdict(False, f"its cores are {idle:.2f} idle, under the {reserve:.2f} that must stay free")
        return Verdict(True, f"{idle:.2f} cores idle (the first channel: nothing on air to measure a need from)")
    need = need_cores
    if idle < need + reserve:
        return Verdict(False, f"its cores are {idle:.2f} idle; it needs about {need:.2f} (measured on the running "
                              f"channels) and {reserve:.2f} must stay free")  # fmt: skip
    return Verdict(True, f"{idle:.2f} cores idle for a need of about {need:.2f}")


def idle_cores(cpus: tuple[int, ...], seconds: float = 2.0) -> float:
    """How many of ``cpus`` (empty: all) were idle over ``seconds``, from /proc/stat."""
    before = _cpu_times()
    time.sleep(seconds)
    after = _cpu_times()
    chosen = cpus or tuple(after)
    idle = 0.0
    for cpu in chosen:
        (busy0, idle0), (busy1, idle1) = before[cpu], after[cpu]
        total = (busy1 - busy0) + (idle1 - idle0)
        idle += (idle1 - idle0) / total if total else 1.0
    return idle


def _cpu_times() -> dict[int, tuple[int, int]]:
    """Per core: (busy, idle) ticks since boot."""
    times = {}
    for line in Path("/proc/stat").read_text().splitlines():
        if line.startswith("cpu") and line[3:4].isdigit():
            name, *fields = line.split()
            values = [int(v) for v in fields[:8]]
            idle = values[3] + values[4]  # idle + iowait
            times[int(name[3:])] = (sum(values) - idle, idle)
    return times


def tree_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of ``pid`` and its live descendants (a channel and its model processes)."""
    total = 0.0
    for each in [pid, *_descendants(pid)]:
        try:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # it ended between the listing and the read
            continue
        total += (int(fields[11]) + int(fields[12])) / TICKS
    return total


def _descendants(pid: int) -> list[int]:
    found: list[int] = []
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return found
    for task in tasks:
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue
        for child in children:
            found += [int(child), *_descendants(int(child))]
    return found
