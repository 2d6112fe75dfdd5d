"""Thread priorities on the real OS: the clock's thread goes real-time where allowed, nothing it starts does."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable

import pytest

from talkshow.threads import CLOCK_REALTIME_PRIORITY, lower_this_thread_priority, make_this_thread_realtime

linux_only = pytest.mark.skipif(not hasattr(os, "sched_setscheduler"), reason="Linux scheduling calls")


def _in_a_thread(work: Callable[[dict[str, object]], None]) -> dict[str, object]:
    """Run ``work(seen)`` on a new thread (a priority change must not touch the test's own thread)."""
    seen: dict[str, object] = {}
    thread = threading.Thread(target=work, args=(seen,))
    thread.start()
    thread.join(10)
    assert not thread.is_alive()
    return seen


def _may_use_realtime() -> bool:
    """Whether this process may ask for SCHED_FIFO (root, CAP_SYS_NICE, or an RLIMIT_RTPRIO above 0)."""

    def probe(seen: dict[str, object]) -> None:
        try:
            os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(1))
            seen["ok"] = True
        except PermissionError:
            seen["ok"] = False

    return bool(_in_a_thread(probe)["ok"])


@linux_only
def test_the_clock_thread_runs_real_time_and_what_it_starts_does_not() -> None:
    if not _may_use_realtime():
        pytest.skip("this user may not use real-time scheduling (no CAP_SYS_NICE or RLIMIT_RTPRIO)")

    def clock(seen: dict[str, object]) -> None:
        seen["answer"] = make_this_thread_realtime()
        seen["policy"] = os.sched_getscheduler(0) & ~os.SCHED_RESET_ON_FORK
        seen["priority"] = os.sched_getparam(0).sched_priority
        child = threading.Thread(target=lambda: seen.update(child_policy=os.sched_getscheduler(0)))
        child.start()
        child.join(10)

    seen = _in_a_thread(clock)
    assert seen["answer"] == f"SCHED_FIFO {CLOCK_REALTIME_PRIORITY}"
    assert seen["policy"] == os.SCHED_FIFO and seen["priority"] == CLOCK_REALTIME_PRIORITY
    assert seen["child_policy"] == os.SCHED_OTHER, "a thread the clock starts is back on the normal policy"
    assert os.sched_getscheduler(0) == os.SCHED_OTHER, "the calling thread alone changed"


@linux_only
def test_a_refused_real_time_policy_says_why_and_leaves_the_thread_normal() -> None:
    def clock(seen: dict[str, object]) -> None:
        # Priority 100 is out of SCHED_FIFO's range (1-99) for every user, root included.
        seen["answer"] = make_this_thread_realtime(priority=100)
        seen["policy"] = os.sched_getscheduler(0)

    seen = _in_a_thread(clock)
    assert str(seen["answer"]).startswith("normal (SCHED_FIFO refused: ")
    assert seen["policy"] == os.SCHED_OTHER


@linux_only
def test_background_work_is_nicer_than_the_thread_that_started_it() -> None:
    def work(seen: dict[str, object]) -> None:
        before = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
        seen["lowered"] = lower_this_thread_priority(3)
        seen["step"] = os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) - before

    seen = _in_a_thread(work)
    assert seen["lowered"] is True
    # Niceness stops at 19: a process already that nice cannot go further.
    assert seen["step"] == min(3, 19 - os.getpriority(os.PRIO_PROCESS, 0))
