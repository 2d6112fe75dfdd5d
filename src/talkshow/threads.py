"""Thread priorities: work that runs ahead of the clock yields the CPU to work on it.

On Linux, niceness is per thread and inherited by threads it starts. Rendering,
turn preparation and TV decoding run seconds ahead, so they can wait a little;
raising niceness needs no privileges, so this works for every user.

The pacer, which must hit every 33 ms tick, asks for more: a real-time policy
(SCHED_FIFO), as audio servers give their clock threads. Niceness only shares the
CPU out fairly, and measured on one core beside a busy neighbour, the pacer of a
normal policy sat runnable for 40-55 ms before it ran (its /proc schedstat wait),
a late frame each time; on SCHED_FIFO, 10 shows had no late frame (the worst tick 20 ms). It takes
CAP_SYS_NICE or an RLIMIT_RTPRIO; without them the pacer stays on the normal policy.
"""

from __future__ import annotations

import logging
import os
import threading

logger = logging.getLogger(__name__)

__all__ = ["BACKGROUND_NICENESS", "CLOCK_REALTIME_PRIORITY", "lower_this_thread_priority", "make_this_thread_realtime"]

BACKGROUND_NICENESS = 5
# Low among real-time priorities: above every normal thread, below the kernel's own (interrupt threads run at 50).
CLOCK_REALTIME_PRIORITY = 10


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


def make_this_thread_realtime(priority: int = CLOCK_REALTIME_PRIORITY) -> str:
    """Put the calling thread on SCHED_FIFO at ``priority``; returns what it runs on, or why it stays normal.

    Threads and processes it starts later go back to the normal policy (SCHED_RESET_ON_FORK), so
    nothing but this thread ever outranks the show's other work. The kernel keeps a real-time thread
    that spins from taking the whole CPU (sched_rt_runtime_us: 95% by default).
    """
    set_scheduler = getattr(os, "sched_setscheduler", None)
    if set_scheduler is None:
        return "normal (no real-time scheduling on this platform)"
    try:
        set_scheduler(0, os.SCHED_FIFO | os.SCHED_RESET_ON_FORK, os.sched_param(priority))
    except OSError as exc:
        logger.debug("could not make the thread real-time: %s", exc)
        return f"normal (SCHED_FIFO refused: {exc.strerror or exc})"
    return f"SCHED_FIFO {priority}"
