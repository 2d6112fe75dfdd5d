"""A real Ray cluster on this machine for the cluster tests: a head that takes no work, and worker nodes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

# Ray notices a killed node in a few seconds instead of its default half a minute.
FAST_FAILURE_DETECTION = {"health_check_period_ms": 500, "health_check_failure_threshold": 4}


@contextmanager
def local_cluster(workers: int, cpus_each: int = 1) -> Iterator[Any]:
    """``ray.cluster_utils.Cluster`` with a head of 0 CPUs and ``workers`` nodes; shut down after."""
    from ray.cluster_utils import Cluster

    cluster = Cluster(
        initialize_head=True,
        head_node_args={"num_cpus": 0, "include_dashboard": False, "_system_config": FAST_FAILURE_DETECTION},
    )
    try:
        for _ in range(workers):
            cluster.add_node(num_cpus=cpus_each)
        cluster.wait_for_nodes()
        yield cluster
    finally:
        cluster.shutdown()  # type: ignore[no-untyped-call]


def worker_node(cluster: Any, node_id: str) -> Any:
    """The cluster's worker node with that id."""
    matches = [node for node in cluster.worker_nodes if node.node_id == node_id]
    assert matches, f"no worker node {node_id}"
    return matches[0]
