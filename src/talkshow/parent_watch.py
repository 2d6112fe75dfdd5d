"""A child that must not outlive the process that started it: a thread that checks its parent once a second.

A parent stopped cleanly stops its children itself; one that is killed (SIGKILL, a crash, its
node lost) cannot. The embedded brain's server and a channel's studio on a Ray node watch
their parent and leave at once when it is gone, as they would with a lost machine, so nothing
is left holding memory, a port or a stream that a channel started again elsewhere needs.
"""

from __future__ import annotations

import os
import threading
import time

__all__ = ["exit_with_parent", "watch_parent"]

PARENT_CHECK_S = 1.0


def watch_parent(parent: int) -> None:
    """Block until ``parent`` is no longer this process's parent, then end this process at once."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_S)
    os._exit(0)  # its own threads would keep it alive: leave now


def exit_with_parent(parent: int) -> threading.Thread:
    """Start the thread that ends this process when ``parent`` is gone (a daemon: it never holds an exit)."""
    thread = threading.Thread(target=watch_parent, args=(parent,), name="parent-watch", daemon=True)
    thread.start()
    return thread
