"""Background asyncio tasks are never lost in silence: a failure is logged by name, and the owner told."""

from __future__ import annotations

import asyncio
import logging

import pytest

from talkshow.tasks import TaskGroup


def test_a_failing_task_is_logged_with_its_owner_and_name_and_the_owner_is_told(
    caplog: pytest.LogCaptureFixture,
) -> None:
    told: list[BaseException] = []

    async def broken() -> None:
        await asyncio.sleep(0)
        raise RuntimeError("the wire melted")

    async def run() -> int:
        group = TaskGroup("call …1234", on_failure=told.append)
        group.spawn(broken(), "send")
        sleeper = group.spawn(asyncio.sleep(30), "watch")
        await asyncio.sleep(0.05)
        left = len(group)
        group.cancel()
        await asyncio.gather(sleeper, return_exceptions=True)
        return left

    with caplog.at_level(logging.ERROR, logger="talkshow.tasks"):
        left = asyncio.run(run())
    assert left == 1, "the failed task is forgotten, the sleeper kept until cancelled"
    assert [str(e) for e in told] == ["the wire melted"]
    (record,) = caplog.records
    assert record.getMessage() == "call …1234: send failed" and record.exc_info is not None
