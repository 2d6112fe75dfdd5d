"""The batch driver: skip what the manifest has, hand the rest to a pool, record each episode once.

Only the driver writes the manifest, and it writes an episode's entry when the pool hands
back that episode's result, after its file was published: a file can be there without an
entry (a render that finished as its node died, done again by its retry under the same
name), never an entry without its file. A rerun skips every episode in the manifest whose
file is there. Whatever ends the run (done, failed, Ctrl-C), the pool is stopped first and
then the store is swept of half-written files.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from talkshow.batch.episodes import EpisodeSpec
from talkshow.batch.pools import EpisodeFailed, EpisodePool, Started
from talkshow.batch.render_task import EpisodeDone, EpisodeJob
from talkshow.batch.storage import EpisodeStore

__all__ = ["DEFAULT_EPISODE_CPUS", "BatchBoard", "episode_cpus", "run_batch"]

# The cores one render keeps busy, measured: an episode of the default show at 1080p, rendered alone from an
# empty speech cache, took 10.1 CPU-s in 6.9 s on this 2-core machine (1.46 cores; 1.32 as a 1-CPU Ray task,
# whose libraries Ray holds to one thread each); benchmarks/cluster.py, docs/cluster.md. Used until a
# manifest has measured episodes of its own.
DEFAULT_EPISODE_CPUS = 1.5
POLL_S = 0.25
NODES_EVERY_S = 2.0  # the cluster's nodes, looked up again (a node lost or added shows on the board)


@dataclass
class BatchBoard:
    """What the batch is doing, per node: the progress display's model (and the run's result)."""

    total: int
    skipped: list[str] = field(default_factory=list)
    running: dict[str, str] = field(default_factory=dict)  # episode -> node
    done: dict[str, EpisodeDone] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)  # episode -> why
    starts: dict[str, int] = field(default_factory=dict)  # episode -> tries started (more than 1: retried)
    nodes: dict[str, str] = field(default_factory=dict)  # node id -> a name to show
    started_at: float = field(default_factory=time.monotonic)

    def per_node(self) -> dict[str, tuple[int, int]]:
        """Node id -> (episodes done there, running there now)."""
        counts = {node: [0, 0] for node in self.nodes}
        for result in self.done.values():
            counts.setdefault(result.node, [0, 0])[0] += 1
        for node in self.running.values():
            counts.setdefault(node, [0, 0])[1] += 1
        return {node: (d, r) for node, (d, r) in counts.items()}


def episode_cpus(manifest: dict[str, dict[str, Any]]) -> float:
    """The CPUs to ask for one episode: the median measured in this manifest (cpu / wall), else the default."""
    measured = [e for e in manifest.values() if e.get("wall_s", 0) > 0 and "cpu_s" in e]
    shares = [float(e["cpu_s"]) / float(e["wall_s"]) for e in measured]
    if not shares:
        return DEFAULT_EPISODE_CPUS
    return round(min(max(statistics.median(shares), 0.25), 8.0) * 4) / 4  # quarter cores: schedulers pack them


def run_batch(
    episodes: Sequence[EpisodeSpec],
    store: EpisodeStore,
    pool: EpisodePool,
    on_change: Callable[[BatchBoard], None] = lambda board: None,
) -> BatchBoard:
    """Render every episode not yet in the store's manifest on ``pool`` (closed after); the board as it ended."""
    try:
        with pool:  # leaving it stops the workers (and cancels what is unfinished if anything raised)
            return _run(episodes, store, pool, on_change)
    finally:
        store.sweep_partials()  # after the pool is stopped: nothing is writing any more


def _run(
    episodes: Sequence[EpisodeSpec], store: EpisodeStore, pool: EpisodePool, on_change: Callable[[BatchBoard], None]
) -> BatchBoard:
    manifest = store.read_manifest()
    store.sweep_partials()
    board = BatchBoard(total=len(episodes), nodes=pool.nodes())
    todo = []
    for episode in episodes:
        entry = manifest.get(episode.name)
        if entry is not None and store.exists(entry["file"]):
            board.skipped.append(episode.name)
        else:
            todo.append(episode)
    on_change(board)
    for episode in todo:
        pool.submit(EpisodeJob(episode, store.url))
    looked_at = time.monotonic()
    while len(board.done) + len(board.failed) < len(todo):
        outcomes = pool.finished(POLL_S)
        _note_starts(board, pool.started())
        for outcome in outcomes:
            board.running.pop(outcome.name, None)
            if isinstance(outcome, EpisodeFailed):
                board.failed[outcome.name] = outcome.error
                continue
            board.done[outcome.name] = outcome
            manifest[outcome.name] = outcome.as_entry()
            store.write_manifest(manifest)
        if time.monotonic() - looked_at > NODES_EVERY_S:
            board.nodes.update(pool.nodes())
            looked_at = time.monotonic()
        on_change(board)
    return board


def _note_starts(board: BatchBoard, starts: list[Started]) -> None:
    for start in starts:
        if start.name not in board.done:
            board.running[start.name] = start.node
            board.starts[start.name] = board.starts.get(start.name, 0) + 1
