"""Thread priorities: work that runs ahead of the clock yields the CPU to work on it.

On Linux, niceness is per thread and inherited by threads it starts. Rendering,
turn preparation and TV decoding run seconds ahead, so they can wait a little;
the pacer, which must hit every 33 ms tick, keeps normal priority. Raising
niceness needs no privileges, so this works for every user.
"""

from __future__ import annotations

import logging
import os
import threading

logger = logging.getLogger(__name__)

__all__ = ["BACKGROUND_NICENESS", "lower_this_thread_priority"]

BACKGROUND_NICENESS = 5


def lower_this_thread_priority(step: int = BACKGROUND_NICENESS) -> bool:
    """Make the calling thread (and threads it starts later) ``step`` nicer; False where unsupported."""
    setpriority = getattr(os, "setpriority", None)
    if setpriority is None:
        return False
    tid = threading.get_native_id()
    try:
        setpriority(os.PRIO_PROCESS, tid, min(19, os.getpriority(os.PRIO_PROCESS, tid) + step))
    except OSError as exc:
        logger.debug("could not lower thread priority: %s", exc)
        return False
    return True
