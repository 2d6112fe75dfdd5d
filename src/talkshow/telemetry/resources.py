"""Samples this process's CPU use and memory once a second, as telemetry events."""

from __future__ import annotations

import os
import resource
import threading
import time

from talkshow.telemetry.events import Telemetry

__all__ = ["ResourceSampler", "children_rss_mb", "current_rss_mb"]


def current_rss_mb() -> float:
    """Resident memory right now (Linux /proc; falls back to the peak elsewhere)."""
    try:
        with open("/proc/self/statm") as statm:
            pages = int(statm.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def children_rss_mb() -> float:
    """Resident memory of this process's children now (the ears' and aligner's model processes; Linux only)."""
    me, total = os.getpid(), 0
    try:
        entries = os.listdir("/proc")
    except OSError:
        return 0.0
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()  # after the command name, which may hold spaces
            if int(fields[1]) == me:
                total += int(fields[21])  # resident pages
        except (OSError, ValueError, IndexError):
            continue  # it ended while we looked
    return total * os.sysconf("SC_PAGE_SIZE") / 2**20


class ResourceSampler:
    """Emits ``resources`` events: cores used since the last sample, RSS and peak RSS."""

    def __init__(self, telemetry: Telemetry, interval_s: float = 1.0) -> None:
        self.telemetry = telemetry
        self.interval_s = interval_s
        self.cpu_seconds = 0.0
        self.wall_seconds = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="resource-sampler", daemon=True)

    def __enter__(self) -> ResourceSampler:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def mean_cores(self) -> float:
        """Average cores used over the sampled time."""
        return self.cpu_seconds / self.wall_seconds if self.wall_seconds else 0.0

    def start(self) -> None:
        """Begin sampling."""
        self._thread.start()

    def stop(self) -> None:
        """Stop sampling, with one last sample so even a short run has one."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=2)

    def _run(self) -> None:
        last_cpu, last_wall = time.process_time(), time.perf_counter()
        while True:
            stopping = self._stop.wait(self.interval_s)
            cpu, wall = time.process_time(), time.perf_counter()
            self.cpu_seconds += cpu - last_cpu
            self.wall_seconds += wall - last_wall
            cores = (cpu - last_cpu) / (wall - last_wall) if wall > last_wall else 0.0
            last_cpu, last_wall = cpu, wall
            self.telemetry.emit(
                "resources",
                cpu_cores=round(cores, 3),
                rss_mb=round(current_rss_mb(), 1),
                peak_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                children_rss_mb=round(children_rss_mb(), 1),
            )
            if stopping:
                return
