"""Batch episodes on a real local Ray cluster (a head and two worker nodes): the node rendering an episode is
killed mid-render, and every episode still ends once, whole and decodable, with a manifest that matches.

The episode whose node is killed is a longer one, killed once its frames are being written: it is then sure
to be mid-render (a short one could finish in the instant between the look and the kill, and was not retried).
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from support.episodes import checked_manifest, episodes_file
from support.ray_cluster import local_cluster, worker_node
from talkshow.batch import BatchBoard, EpisodeStore, load_episodes, run_batch
from talkshow.core.errors import InputError

pytestmark = pytest.mark.slow
ray = pytest.importorskip("ray")

NAMES = ["alpha", "bravo", "charlie", "delta"]
LONG = "bravo"  # 12 lines against the others' 2: seconds of rendering left when its node is killed


def test_a_killed_node_loses_no_episode_and_doubles_none(tmp_path: Path) -> None:
    from talkshow.batch.ray_pool import RayPool

    episodes = load_episodes(episodes_file(tmp_path, NAMES, turns=2, longer={LONG: 12}))
    out = tmp_path / "out"
    store = EpisodeStore(str(out))
    killed: dict[str, str] = {}  # episode -> the node that died under it
    with local_cluster(workers=2) as cluster:
        with pytest.raises(InputError, match="no node offers 2 CPUs for an episode"):
            RayPool(cluster.address, 2.0)  # every node has 1: Ray would wait for ever
        lock = threading.Lock()

        def kill_a_node_mid_render(board: BatchBoard) -> None:
            with lock:
                if killed:
                    return
                node = board.running.get(LONG)
                if node is not None and any(out.glob(f".{LONG}.mp4.*")):  # its frames are being written
                    killed[LONG] = node
                    cluster.remove_node(worker_node(cluster, node), allow_graceful=False)

        started = time.monotonic()
        board = run_batch(episodes, store, RayPool(cluster.address, 1.0), kill_a_node_mid_render)
        elapsed = time.monotonic() - started

    assert killed, "no episode was seen rendering, so no node was killed"
    ((name, dead_node),) = killed.items()
    assert not board.failed, board.failed
    assert sorted(board.done) == NAMES
    assert board.starts[name] >= 2, f"{name} was not started again after its node died: {board.starts}"
    assert board.done[name].node != dead_node
    entries = checked_manifest(out, NAMES)  # once each, whole, decodable, and nothing half-written left
    assert entries[name]["node"] != dead_node
    print(f"4 episodes on 2 nodes, one killed under {name}: {elapsed:.1f} s; starts {board.starts}")
