"""One episode rendered on a worker (a pool process here, or a Ray task on any node) and published whole.

The work is ``talkshow render``'s own (``station.render.render_show``); around it only what a
batch needs: the file staged and published by the store, its SHA-256, and the CPU it took
(this process and its reaped children, so the voice's and the encoder's helpers count).
"""

from __future__ import annotations

import hashlib
import resource
import socket
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from talkshow.batch.episodes import EpisodeSpec
from talkshow.batch.storage import EpisodeStore

__all__ = ["EpisodeDone", "EpisodeJob", "EventSink", "cpu_seconds", "render_episode"]


class EventSink(Protocol):
    """Where a worker says an episode started (a process-pool manager's queue, or a Ray queue)."""

    def put(self, item: Any) -> None:
        """Send one event."""


@dataclass(frozen=True)
class EpisodeJob:
    """What a worker needs: the episode and where it goes (both picklable, so any node can take it)."""

    episode: EpisodeSpec
    out: str


@dataclass(frozen=True)
class EpisodeDone:
    """A finished episode, as the manifest records it."""

    name: str
    file: str
    sha256: str
    duration_s: float
    frames: int
    turns: int
    node: str
    host: str
    finished_at: str
    wall_s: float
    cpu_s: float

    def as_entry(self) -> dict[str, Any]:
        """Its manifest entry."""
        return asdict(self)


def cpu_seconds() -> float:
    """CPU time of this process and its finished children so far."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def render_episode(job: EpisodeJob, node: str, events: EventSink | None = None) -> EpisodeDone:
    """Render ``job``'s episode and publish it to its store; what was made, for the manifest."""
    from talkshow.station.render import render_show
    from talkshow.telemetry.events import Telemetry

    episode = job.episode
    if events is not None:
        events.put(("started", episode.name, node))
    store = EpisodeStore(job.out)
    config = episode.show_config()
    cpu0, wall0 = cpu_seconds(), time.perf_counter()
    with store.staging(episode.file_name) as staged:
        result = render_show(config, staged, Telemetry())
        digest = _sha256(staged)
    return EpisodeDone(
        name=episode.name,
        file=episode.file_name,
        sha256=digest,
        duration_s=round(result.seconds, 3),
        frames=result.frames,
        turns=result.turns,
        node=node,
        host=socket.gethostname(),
        finished_at=datetime.now(UTC).isoformat(timespec="seconds"),
        wall_s=round(time.perf_counter() - wall0, 3),
        cpu_s=round(cpu_seconds() - cpu0, 3),
    )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
