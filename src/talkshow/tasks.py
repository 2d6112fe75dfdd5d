"""One way to start background asyncio work: kept alive until done, and never failing in silence.

A task nobody awaits loses its exception (asyncio only says "exception was never
retrieved" when it is collected, if ever). ``TaskGroup`` here keeps a strong reference to
each task until it ends, logs any failure with its name and traceback, and can cancel
what is left when its owner closes.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

__all__ = ["TaskGroup"]

logger = logging.getLogger(__name__)

T = TypeVar("T")


class TaskGroup:
    """Background tasks of one owner (a call, a gateway, a listener), each logged if it fails."""

    def __init__(self, owner: str, on_failure: Callable[[BaseException], None] | None = None) -> None:
        """``on_failure`` runs (on the loop) after a task's failure is logged: the owner may end itself."""
        self.owner = owner
        self.on_failure = on_failure
        self._tasks: set[asyncio.Task[Any]] = set()

    def spawn(self, coroutine: Coroutine[Any, Any, T], name: str = "") -> asyncio.Task[T]:
        """Run ``coroutine`` in the background (call on the loop)."""
        task = asyncio.ensure_future(coroutine)
        task.set_name(f"{self.owner}: {name or 'a task'}")
        self._tasks.add(task)
        task.add_done_callback(self._done)
        return task

    def _done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if task.cancelled() or task.exception() is None:
            return
        error = task.exception()
        assert error is not None
        logger.error("%s failed", task.get_name(), exc_info=error)
        if self.on_failure is not None:
            self.on_failure(error)

    def cancel(self, keep: asyncio.Task[Any] | None = None) -> None:
        """Cancel every task still running (but ``keep``: the one calling, say)."""
        for task in list(self._tasks):
            if task is not keep:
                task.cancel()

    def __len__(self) -> int:
        return len(self._tasks)
