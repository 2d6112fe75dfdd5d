"""A live channel on a local Ray cluster, for the channel test and the channel-move benchmark: its house's view of
it, its playlist through the house, and when it is on air again from another node."""

from __future__ import annotations

import re
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from support.episodes import TINY_SHOW
from support.local_http import poll_until
from support.ray_cluster import local_cluster, worker_node
from support.serve import free_port
from talkshow.bench.serving import Served

CHANNEL = "moving"


def channels_file(folder: Path, rtmp_port: int | None = None, turns: int = 12) -> Path:
    """A channels file of one tiny channel (publishing to ``rtmp_port`` if given), its show beside it."""
    (folder / "tiny.toml").write_text(TINY_SHOW.format(turns=turns))
    rtmp = f'rtmp = ["rtmp://127.0.0.1:{rtmp_port}/live/test"]\n' if rtmp_port else ""
    path = folder / "channels.toml"
    path.write_text(
        f'[house]\ndata = "air"\n[[channel]]\nname = "{CHANNEL}"\nshow = "tiny.toml"\nsize = "320x184"\n'
        f"port = {free_port()}\n{rtmp}"
    )
    return path


def channel(base: str) -> dict[str, Any]:
    """The house's row for the one channel."""
    rows = httpx.get(base + "/api/channels", timeout=5).json()["channels"]
    assert len(rows) == 1, rows
    return dict(rows[0])


def segments(base: str) -> set[str]:
    """The segments the channel's playlist lists now, read through the house wherever the channel runs."""
    reply = httpx.get(f"{base}/channels/{CHANNEL}/hls/live.m3u8", timeout=5)
    return set(re.findall(r"^[^#\s].*$", reply.text, re.M)) if reply.status_code == 200 else set()


def on_air_elsewhere(base: str, before: dict[str, Any], old_segments: set[str]) -> bool:
    """Whether the channel runs on a node other than ``before``'s and its playlist has a segment made there."""
    row = channel(base)
    return row["state"] == "running" and row["node"] != before["node"] and bool(segments(base) - old_segments)


class ChannelHouse:
    """A channel house on a fresh local Ray cluster (a head and two 1-CPU nodes), its channel on air."""

    def __init__(self, cluster: Any, house: Served, log: Path) -> None:
        self.cluster, self.house, self.base, self.log = cluster, house, house.base, log
        self.exit_code: int | None = None

    def explain(self) -> str:
        """The end of the house's log, for a wait that timed out."""
        return self.log.read_text()[-3000:] if self.log.exists() else ""

    def remove_its_node(self, before: dict[str, Any]) -> float:
        """Remove the node that holds the channel, without warning; when (``time.monotonic``)."""
        dead = next(n for n in self.cluster.worker_nodes if n.node_id.startswith(before["node"]))
        self.cluster.remove_node(worker_node(self.cluster, dead.node_id), allow_graceful=False)
        return time.monotonic()


@contextmanager
def channel_house(channels: Path, log: Path) -> Iterator[ChannelHouse]:
    """``talkshow serve --channels`` on a new local cluster, yielded once its channel is on air with two segments;
    stopped as Ctrl-C would after (its exit code in ``exit_code``)."""
    with local_cluster(workers=2) as cluster:
        house = Served(["--channels", str(channels), "--ray", cluster.address], log, ready_path="/")
        running = ChannelHouse(cluster, house, log)
        try:
            base = running.base
            poll_until(
                "the channel on air on a node", lambda: channel(base)["state"] == "running", 120, running.explain
            )
            poll_until("its HLS through the house", lambda: len(segments(base)) >= 2, 60, running.explain)
            yield running
        finally:
            running.exit_code = running.house.stop(signal.SIGINT, timeout=60)
