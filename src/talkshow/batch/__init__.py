"""Batch episodes: ``talkshow render-batch``, each episode rendered once, on local processes or a Ray cluster.

An episodes file lists the episodes (``episodes``); a pool renders them (``pools``: this
machine's processes, the default; ``ray_pool``: Ray tasks, imported only for ``--ray``); the
store publishes each file whole and keeps the manifest (``storage``, over fsspec); the
driver (``run``) skips what the manifest has and records each episode exactly once.
"""

from talkshow.batch.episodes import EpisodeSpec, load_episodes
from talkshow.batch.pools import EpisodeFailed, EpisodePool, LocalPool, Started
from talkshow.batch.render_task import EpisodeDone, EpisodeJob, render_episode
from talkshow.batch.run import DEFAULT_EPISODE_CPUS, BatchBoard, episode_cpus, run_batch
from talkshow.batch.storage import MANIFEST, EpisodeStore

__all__ = [
    "DEFAULT_EPISODE_CPUS",
    "MANIFEST",
    "BatchBoard",
    "EpisodeDone",
    "EpisodeFailed",
    "EpisodeJob",
    "EpisodePool",
    "EpisodeSpec",
    "EpisodeStore",
    "LocalPool",
    "Started",
    "episode_cpus",
    "load_episodes",
    "render_episode",
    "run_batch",
]
