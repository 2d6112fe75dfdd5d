"""``talkshow render-batch EPISODES.toml --out DIR [--ray ADDRESS]``: many episodes, each rendered once."""

from __future__ import annotations

import argparse
import math
import os
import time

from rich.live import Live
from rich.table import Table

from talkshow.cli.common import console

__all__ = ["render_batch"]


def render_batch(args: argparse.Namespace) -> int:
    """Render the episodes file's episodes into ``--out``; 0 when every one is there, 1 if any failed."""
    from talkshow.batch import EpisodePool, EpisodeStore, LocalPool, episode_cpus, load_episodes, run_batch

    episodes = load_episodes(args.episodes)
    store = EpisodeStore(args.out)
    cpus = args.cpus_per_episode or episode_cpus(store.read_manifest())
    pool: EpisodePool
    if args.ray:
        from talkshow.batch.ray_pool import RayPool

        pool = RayPool(args.ray, cpus)
    else:
        # Rounded up: two 1.5-core renders on two cores took 1.23x the episodes an hour of one (docs/cluster.md).
        pool = LocalPool(args.workers or max(1, math.ceil((os.cpu_count() or 1) / cpus)))
    with Live(console=console, refresh_per_second=4, transient=False) as live:
        board = run_batch(episodes, store, pool, lambda b: live.update(_table(b, cpus)))
    if board.skipped:
        console.print(f"{len(board.skipped)} already in {store.url}/manifest.json: skipped")
    for name, why in board.failed.items():
        console.print(f"[bold red]failed:[/] {name}: {why}")
    console.print(f"{len(board.done)} rendered, {len(board.failed)} failed; manifest: {store.url}/manifest.json")
    return 1 if board.failed else 0


def _table(board: object, cpus: float) -> Table:
    from talkshow.batch import BatchBoard

    assert isinstance(board, BatchBoard)
    finished = len(board.done) + len(board.skipped)
    elapsed = time.monotonic() - board.started_at
    table = Table(
        title=f"episodes: {finished} of {board.total} done, {len(board.running)} running, "
        f"{len(board.failed)} failed ({cpus:g} CPU each, {elapsed:.0f} s)",
        title_justify="left",
    )
    for column in ("node", "done", "running", "now"):
        table.add_column(column)
    for node, (done, running) in sorted(board.per_node().items()):
        now = ", ".join(sorted(name for name, where in board.running.items() if where == node))
        table.add_row(board.nodes.get(node, f"{node[:8]} (gone)"), str(done), str(running), now)
    return table
