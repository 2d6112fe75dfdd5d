"""A circuit breaker for the primary writer: after a failure, improv writes for a while.

A hung or failing LLM endpoint costs one deadline, not one per line or per show:
the breaker opens, every show for ``open_s`` seconds goes straight to the
fallback writer, then one show tries the primary again (half-open). Success
closes the breaker; another failure opens it again.

One breaker lives for the whole programme, so it spans shows; it is thread-safe
because each show's writer runs on its own preparer thread.
"""

from __future__ import annotations

import enum
import logging
import threading
import time
from collections.abc import Callable

from talkshow.supervisor import Policy, Supervisor
from talkshow.telemetry.events import Telemetry

logger = logging.getLogger(__name__)

__all__ = ["BreakerState", "WriterBreaker"]

PART = "writer"


class BreakerState(enum.StrEnum):
    """Closed: use the primary. Open: use the fallback. Half-open: one trial of the primary."""

    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


class WriterBreaker:
    """Decides whether the primary writer may be asked, from its recent failures."""

    def __init__(
        self,
        telemetry: Telemetry,
        open_s: float = 60.0,
        supervisor: Supervisor | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.telemetry = telemetry
        self.open_s = open_s
        self.supervisor = supervisor
        self._clock = clock
        self._lock = threading.Lock()
        self._state = BreakerState.CLOSED
        self._opened_at = 0.0
        self.trips = 0
        self._shown_running = False  # the supervisor shows "starting" until the primary's first line
        if supervisor is not None:
            supervisor.register(PART, Policy.FALLBACK)

    @property
    def state(self) -> BreakerState:
        """The state now (an open breaker turns half-open once ``open_s`` has passed)."""
        with self._lock:
            if self._state is BreakerState.OPEN and self._clock() - self._opened_at >= self.open_s:
                return BreakerState.HALF_OPEN
            return self._state

    def allows_primary(self) -> bool:
        """True if the primary writer may be asked now (closed, or its half-open trial)."""
        return self.state is not BreakerState.OPEN

    def succeeded(self, writer: str) -> None:
        """The primary delivered a line: close the breaker if it was not, and show the writer running."""
        with self._lock:
            was_closed, first = self._state is BreakerState.CLOSED, not self._shown_running
            self._state, self._shown_running = BreakerState.CLOSED, True
        if not was_closed:
            logger.info("writer %s answers again; the breaker is closed", writer)
            self.telemetry.emit("writer_breaker", writer=writer, state=str(BreakerState.CLOSED), error="", open_s=0.0)
        if self.supervisor is not None and (first or not was_closed):
            self.supervisor.running(PART)

    def failed(self, writer: str, error: str) -> None:
        """The primary failed or missed its deadline: open the breaker for ``open_s``."""
        with self._lock:
            self._state = BreakerState.OPEN
            self._opened_at = self._clock()
            self.trips += 1
        self.telemetry.emit(
            "writer_breaker", writer=writer, state=str(BreakerState.OPEN), error=error, open_s=self.open_s
        )
        if self.supervisor is not None:
            lost = f"improv writes for {self.open_s:g} s, then {writer} is tried again"
            self.supervisor.failed(PART, error, restarting=True, lost=lost)
