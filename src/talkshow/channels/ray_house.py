"""Channels on a Ray cluster (``serve --channels FILE --ray ADDRESS``): each a detached actor that restarts.

Imported only for ``--ray`` (Ray is the ``ray`` extra). A channel's actor runs the channel's
``talkshow serve`` child on whichever node Ray placed it, bound to that node's address; it
asks Ray for the CPUs a channel of its size measured here. When a node dies, Ray starts the
actor again on a live node with room (``max_restarts=-1``), and the actor starts its studio
there: its outputs (HLS, RTMP, WHIP) publish again from the new node. A studio whose actor
is gone ends itself (``--exit-with-parent``), so a lost actor leaves no stream behind.

The house keeps no channel itself: it asks each actor for its status once a second, shows
which node holds it and counts each move, and proxies each channel's HLS (``/channels/NAME/``)
wherever it runs.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx

from talkshow.channels.channel import Channel, ChannelState
from talkshow.channels.spec import ChannelSpec, HouseSpec
from talkshow.core.errors import InputError

logger = logging.getLogger(__name__)

__all__ = ["RayChannelHouse", "channel_cpus"]

NAMESPACE = "talkshow"
ACTOR_PREFIX = "channel-"
# What a channel's studio used on air, measured (benchmarks/channels.py, ten minutes, docs/performance.md):
# p90 0.19 cores at 1920x1080 and 0.11 at 1280x720, so a fixed part and a part per pixel. Ray gets at
# least a quarter core a channel: a studio's start (its models loading) takes more than its air.
BASE_CORES, CORES_PER_MEGAPIXEL = 0.05, 0.07
STATUS_TIMEOUT_S = 3.0


def channel_cpus(spec: ChannelSpec) -> float:
    """The CPUs a channel asks Ray for: its measured cost at its size, to a quarter core."""
    cores = BASE_CORES + CORES_PER_MEGAPIXEL * spec.pixels / 1e6
    return max(0.25, round(cores * 4) / 4)


class ChannelActor:
    """One channel on whichever node holds it (made a Ray actor by ``RayChannelHouse``)."""

    def __init__(self, spec: ChannelSpec, data: str) -> None:
        import ray

        self.node = ray.get_runtime_context().get_node_id()
        self.address = ray.util.get_node_ip_address()  # type: ignore[no-untyped-call]
        self.channel = Channel(spec, Path(data), self.address, with_parent=True)
        self.channel.start()
        self.http = httpx.Client(timeout=2.0)

    def status(self) -> dict[str, Any]:
        """The channel's state, measured now, with the node that holds it; a crashed studio is started again."""
        channel = self.channel
        code = channel.exited()
        if code is None:
            try:
                reply = self.http.get(channel.base + "/api/status")
                if reply.status_code == 200:
                    channel.record(reply.json())
            except httpx.HTTPError:
                pass  # still starting, or busy: the next look will tell
        elif code in (0, 2):  # its shows ended, or its input is bad: starting it again would not help
            channel.state = ChannelState.ENDED if code == 0 else ChannelState.FAILED
            channel.exit_code, channel.reason = code, f"exited {code}: {channel.log_tail(300)}"
        else:
            channel.restarts += 1
            channel.reason = f"exited {code}; started again on the same node"
            channel.start()
        return {**channel.as_dict(), "node": self.node, "node_address": self.address}

    def stop(self) -> None:
        """Stop the studio as Ctrl-C would."""
        self.channel.stop()


class RayChannelHouse:
    """Every channel of a channels file as a detached Ray actor; ``run`` watches them, ``stop`` ends them."""

    def __init__(self, house: HouseSpec, address: str) -> None:
        from talkshow.batch.ray_pool import import_ray

        ray = self._ray = import_ray()
        try:
            ray.init(address=address, namespace=NAMESPACE, logging_level=logging.WARNING, log_to_driver=False)
        except (ConnectionError, ValueError, RuntimeError) as exc:
            raise InputError(f"--ray {address}: cannot join the Ray cluster: {exc}") from exc
        self.house = house
        self.exit_code = 0
        self._actors: dict[str, Any] = {}
        self._rows: dict[str, dict[str, Any]] = {}
        self._nodes: dict[str, list[str]] = {spec.name: [] for spec in house.channels}
        remote = ray.remote(ChannelActor)
        for spec in house.channels:
            self._actors[spec.name] = remote.options(
                name=ACTOR_PREFIX + spec.name,
                lifetime="detached",
                get_if_exists=True,  # a house started again takes up its running channels
                max_restarts=-1,
                max_task_retries=0,
                num_cpus=channel_cpus(spec),
            ).remote(replace(spec, cpus=()), str(house.data))  # its cores are Ray's to give, not this file's
            self._rows[spec.name] = self._row(spec, ChannelState.STARTING, "placing it on a node")

    async def run(self) -> int:
        """Watch the channels until all have ended (or the task is cancelled); 0 unless one failed."""
        while any(row["state"] not in (ChannelState.ENDED, ChannelState.FAILED) for row in self._rows.values()):
            await asyncio.gather(*(self._look(name) for name in self._actors))
            await asyncio.sleep(1.0)
        failed = [row["exit_code"] for row in self._rows.values() if row["state"] == ChannelState.FAILED]
        self.exit_code = failed[0] if failed else 0
        return self.exit_code

    async def _look(self, name: str) -> None:
        row = self._rows[name]
        try:
            status = await asyncio.wait_for(self._actors[name].status.remote(), STATUS_TIMEOUT_S)
        except (TimeoutError, self._ray.exceptions.RayError) as exc:  # its node is gone; Ray is placing it again
            row["state"] = ChannelState.RESTARTING
            row["reason"] = f"its actor is being started again: {type(exc).__name__}"
            return
        nodes = self._nodes[name]
        if not nodes or nodes[-1] != status["node"]:
            nodes.append(status["node"])
            if len(nodes) > 1:
                logger.warning("channel %s moved to node %s", name, status["node"][:8])
        moves = len(nodes) - 1
        self._rows[name] = {
            **status,
            "restarts": status["restarts"] + moves,
            "moves": moves,
            "nodes": [node[:12] for node in nodes],
            "node": status["node"][:12],
            "player": f"/channels/{name}/",
        }

    def studio(self, name: str) -> str | None:
        """The address of a channel's studio on its node now (None if it is not on air)."""
        row = self._rows.get(name)
        return str(row["studio"]).rstrip("/") if row and row["state"] == ChannelState.RUNNING else None

    def status(self) -> list[dict[str, Any]]:
        """Every channel's state, node and moves, for ``/api/channels``."""
        return list(self._rows.values())

    def stop(self) -> None:
        """Stop every channel's studio and end its actor (detached actors outlive the house otherwise)."""
        ray = self._ray
        for name, actor in self._actors.items():
            try:
                ray.get(actor.stop.remote(), timeout=25)
            except ray.exceptions.RayError as exc:
                logger.warning("channel %s did not stop cleanly: %s", name, exc)
            ray.kill(actor, no_restart=True)
        ray.shutdown()

    def _row(self, spec: ChannelSpec, state: str, reason: str) -> dict[str, Any]:
        return {
            "name": spec.name, "state": state, "reason": reason, "studio": "", "node": "", "nodes": [],
            "restarts": 0, "moves": 0, "frames": 0, "late_frames": 0, "late_rate": 0.0, "cores": 0.0,
            "cpus": [], "size": f"{spec.size[0]}x{spec.size[1]}" if spec.size else "the show's",
            "player": f"/channels/{spec.name}/", "exit_code": None,
        }  # fmt: skip
