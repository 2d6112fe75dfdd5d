"""Episodes on a Ray cluster: each one a task with the CPUs an episode takes, retried when its node dies.

Imported only for ``--ray`` (Ray is the ``ray`` extra). A task that raises is not retried:
a render that failed once fails the same way. A task whose worker or node dies is retried
on a live node up to ``retries`` times; it stages its file under a fresh name each try, so
a try cut short leaves only a ``.part`` file, which the driver sweeps. Starts are reported
through a Ray queue kept on the driver's own node, so losing a worker node loses none.
"""

from __future__ import annotations

import logging
from typing import Any

from talkshow.batch.pools import EpisodeFailed, PoolLifetime, Started
from talkshow.batch.render_task import EpisodeDone, EpisodeJob, EventSink, render_episode
from talkshow.core.errors import InputError

__all__ = ["RayPool", "import_ray"]

DEFAULT_RETRIES = 3


def import_ray() -> Any:
    """The ``ray`` module, or an error that says how to install it."""
    try:
        import ray
    except ImportError as exc:
        raise InputError("--ray needs Ray: pip install 'talkshow[ray]'") from exc
    return ray


def _render_on_ray(job: EpisodeJob, events: EventSink) -> EpisodeDone:
    import ray

    return render_episode(job, ray.get_runtime_context().get_node_id(), events)


class RayPool(PoolLifetime):
    """Episodes as Ray tasks on the cluster at ``address`` ("auto": the one this machine is part of)."""

    def __init__(self, address: str, cpus_per_episode: float, retries: int = DEFAULT_RETRIES) -> None:
        ray = self._ray = import_ray()
        from ray.util.queue import Queue
        from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

        try:
            ray.init(address=address, logging_level=logging.WARNING, log_to_driver=False)
        except (ConnectionError, ValueError, RuntimeError) as exc:
            raise InputError(f"--ray {address}: cannot join the Ray cluster: {exc}") from exc
        biggest = max((n["Resources"].get("CPU", 0) for n in ray.nodes() if n.get("Alive")), default=0)
        if biggest < cpus_per_episode:  # Ray would hold every task as infeasible, silently
            ray.shutdown()
            raise InputError(
                f"--ray {address}: no node offers {cpus_per_episode:g} CPUs for an episode (the most is {biggest:g}); "
                "give --cpus-per-episode or bigger nodes"
            )
        here = NodeAffinitySchedulingStrategy(ray.get_runtime_context().get_node_id(), soft=False)
        self._events = Queue(actor_options={"num_cpus": 0, "scheduling_strategy": here})
        self._remote = ray.remote(_render_on_ray).options(
            num_cpus=cpus_per_episode, max_retries=retries, retry_exceptions=False
        )
        self._refs: dict[Any, str] = {}

    def close(self) -> None:
        """Leave the cluster (its nodes go on)."""
        self._ray.shutdown()

    def submit(self, job: EpisodeJob) -> None:
        """Queue one episode as a task."""
        self._refs[self._remote.remote(job, self._events)] = job.episode.name

    def started(self) -> list[Started]:
        """The starts reported since the last call."""
        count = self._events.qsize()
        return [Started(name, node) for _, name, node in self._events.get_nowait_batch(count)] if count else []

    def finished(self, timeout: float) -> list[EpisodeDone | EpisodeFailed]:
        """Episodes that ended since the last call, waiting up to ``timeout`` seconds for one."""
        if not self._refs:
            return []
        ready, _ = self._ray.wait(list(self._refs), num_returns=1, timeout=timeout)
        if ready:  # and any others that are done by now
            ready, _ = self._ray.wait(list(self._refs), num_returns=len(self._refs), timeout=0)
        outcomes: list[EpisodeDone | EpisodeFailed] = []
        for ref in ready:
            name = self._refs.pop(ref)
            try:
                outcomes.append(self._ray.get(ref))
            except self._ray.exceptions.RayError as exc:  # the render raised, or its retries ran out
                outcomes.append(EpisodeFailed(name, str(exc).strip().splitlines()[-1][:500]))
        return outcomes

    def cancel(self) -> None:
        """Cancel every task not yet finished (a running one's worker is killed)."""
        for ref in self._refs:
            self._ray.cancel(ref, force=True)
        self._refs.clear()

    def nodes(self) -> dict[str, str]:
        """The cluster's live nodes with CPUs: id -> address and CPUs."""
        live = [n for n in self._ray.nodes() if n.get("Alive") and n.get("Resources", {}).get("CPU", 0) > 0]
        return {n["NodeID"]: f"{n['NodeID'][:8]} {n['NodeManagerAddress']} ({n['Resources']['CPU']:g} CPU)"
                for n in live}  # fmt: skip
