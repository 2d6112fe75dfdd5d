"""Where a supervised part is in its life: plain data, shared by the supervisor and the metrics it feeds."""

from __future__ import annotations

import enum

__all__ = ["PartState"]


class PartState(enum.StrEnum):
    """Where a part is in its life."""

    STARTING = "starting"
    RUNNING = "running"
    RESTARTING = "restarting"
    FAILED = "failed"
    STOPPED = "stopped"
