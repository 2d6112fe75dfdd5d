"""Where episodes render: the pool a batch hands its jobs to, and the embedded one, a local process pool.

A pool takes jobs, says which started on which node, and gives back each finished one (an
``EpisodeDone``) or why it failed; ``cancel`` stops everything not yet finished. Ray's pool
is in ``ray_pool`` and is imported only when ``--ray`` is given.
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import os
import queue
import signal
import socket
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Protocol, Self

from talkshow.batch.render_task import EpisodeDone, EpisodeJob, EventSink, render_episode

__all__ = ["EpisodeFailed", "EpisodePool", "LocalPool", "PoolLifetime", "Started"]


@dataclass(frozen=True)
class Started:
    """An episode began rendering on a node (again, if its first node died)."""

    name: str
    node: str


@dataclass(frozen=True)
class EpisodeFailed:
    """An episode that ended without a file: the render failed, or its retries ran out."""

    name: str
    error: str


class EpisodePool(Protocol):
    """Runs episode jobs; a context manager that stops its workers when the block ends."""

    def __enter__(self) -> Self: ...

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, trace: TracebackType | None
    ) -> None: ...

    def submit(self, job: EpisodeJob) -> None:
        """Queue one episode."""

    def started(self) -> list[Started]:
        """The starts reported since the last call."""

    def finished(self, timeout: float) -> list[EpisodeDone | EpisodeFailed]:
        """Episodes that ended since the last call, waiting up to ``timeout`` seconds for one."""

    def cancel(self) -> None:
        """Stop every episode not yet finished (their half-written files are the store's to sweep)."""

    def nodes(self) -> dict[str, str]:
        """The nodes that can take work: id -> a name to show."""


class PoolLifetime:
    """A pool as a context manager: leaving the block cancels what is unfinished if it raised, then closes."""

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, trace: TracebackType | None
    ) -> None:
        if kind is not None:
            self.cancel()
        self.close()

    def cancel(self) -> None:
        """Stop every episode not yet finished."""
        raise NotImplementedError

    def close(self) -> None:
        """Let the workers go."""
        raise NotImplementedError


# The worker processes' own queue for start events: set once by the pool's initializer (a queue
# can be handed to a process only as it starts, not with each job).
_worker_events: Any = None


def _init_worker(events: Any) -> None:
    global _worker_events
    _worker_events = events
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the driver's to handle: it cancels, then sweeps


def _run_local(job: EpisodeJob) -> EpisodeDone:
    return render_episode(job, socket.gethostname(), _worker_events)


class LocalPool(PoolLifetime):
    """Episodes on this machine's processes: ``workers`` at a time (the embedded default).

    A worker that dies (killed, out of memory) breaks a process pool and every episode in it:
    as Ray does for a lost node, the pool is made again and those episodes tried again, up to
    ``retries`` times each. An episode whose render raised is not tried again.
    """

    def __init__(self, workers: int, retries: int = 3) -> None:
        self.workers = max(1, workers)
        self.retries = retries
        self._context = multiprocessing.get_context("spawn")  # the driver has threads: forking copies their locks
        self._events: EventSink = self._context.Queue()
        self._executor = self._new_executor()
        self._futures: dict[concurrent.futures.Future[EpisodeDone], EpisodeJob] = {}
        self._broken: set[concurrent.futures.Future[EpisodeDone]] = set()  # futures of the pool that broke
        self._tries: dict[str, int] = {}

    def _new_executor(self) -> concurrent.futures.ProcessPoolExecutor:
        return concurrent.futures.ProcessPoolExecutor(
            self.workers, mp_context=self._context, initializer=_init_worker, initargs=(self._events,)
        )

    def close(self) -> None:
        """Wait for the worker processes to end."""
        self._executor.shutdown(wait=True, cancel_futures=True)

    def submit(self, job: EpisodeJob) -> None:
        """Queue one episode."""
        self._tries[job.episode.name] = self._tries.get(job.episode.name, 0) + 1
        self._futures[self._executor.submit(_run_local, job)] = job

    def started(self) -> list[Started]:
        """The starts reported since the last call."""
        events: list[Started] = []
        while True:
            try:
                _, name, node = self._events.get_nowait()  # type: ignore[attr-defined]
            except queue.Empty:
                return events
            events.append(Started(name, node))

    def finished(self, timeout: float) -> list[EpisodeDone | EpisodeFailed]:
        """Episodes that ended since the last call, waiting up to ``timeout`` seconds for one."""
        done, _ = concurrent.futures.wait(self._futures, timeout, concurrent.futures.FIRST_COMPLETED)
        outcomes: list[EpisodeDone | EpisodeFailed] = []
        again: list[EpisodeJob] = []
        for future in done:
            job = self._futures.pop(future)
            name = job.episode.name
            try:
                outcomes.append(future.result())
            except concurrent.futures.process.BrokenProcessPool as exc:
                if self._tries[name] > self.retries:
                    outcomes.append(EpisodeFailed(name, f"its worker process died {self._tries[name]} times: {exc}"))
                else:
                    again.append(job)
            except Exception as exc:  # the render's own error, as its worker raised it
                outcomes.append(EpisodeFailed(name, f"{type(exc).__name__}: {exc}"))
        if again and not done & self._broken:  # this pool broke: all in it fail the same way, and go again
            self._broken |= set(self._futures)
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = self._new_executor()
        for job in again:
            self.submit(job)
        self._broken -= done
        return outcomes

    def cancel(self) -> None:
        """Stop every episode not yet finished: queued ones never start, running ones' processes are ended."""
        for future in self._futures:
            future.cancel()
        for process in list(getattr(self._executor, "_processes", {}).values()):
            if process.is_alive():
                os.kill(process.pid, signal.SIGTERM)
        self._futures.clear()

    def nodes(self) -> dict[str, str]:
        """This machine."""
        host = socket.gethostname()
        return {host: f"{host} ({self.workers} at a time)"}
