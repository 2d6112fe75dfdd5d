"""State that matters, on a channel that never drops it: the domain log.

Telemetry is a firehose of measurements, and its sinks may drop under load (a trace writer
that falls behind, a browser that reads slowly). Some events are not measurements but the
studio's state: a line's progress into the transcript, a line moderation held for the
operator, what the memory keeps (a caller's words, a viewer's question), a show's end, a
chat removal, a call's start and end. Those kinds (``DOMAIN_KINDS``) are written to the
domain log before any sink sees them, and its one reader (the studio's recorder) applies
them in order.

The log is bounded with backpressure: a producer that can wait (a preparer, a writer, the
moderation gate, the server's loop) waits for room. The clock's own thread never waits
(``never_wait_here``): it adds at most two events a turn, so it may run over the bound for a
moment, and that is counted (``over_bound``), never dropped.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from typing import Any, Protocol

__all__ = ["DOMAIN_KINDS", "DomainEvent", "DomainLog", "never_wait_here"]

DOMAIN_KINDS = frozenset(
    {
        # a line's progress: the transcript
        "line_writing",
        "line_written",
        "turn_ready",
        "turn_aired",
        "turn_off_air",
        "turn_skipped",
        "turn_error",
        "show_done",
        # held for the operator, and what the memory keeps
        "line_held",
        "caller_heard",
        "chat_question_aired",
        # removals and calls
        "chat_removal",
        "chat_answer_removed",
        "talk_started",
        "talk_ended",
        "phone_call",
        "phone_call_ended",
    }
)

_local = threading.local()


def never_wait_here() -> None:
    """Mark the calling thread as the clock's: its events are never held up by a full log (nor dropped)."""
    _local.never_wait = True


class DomainEvent(Protocol):
    """What the log carries: a kind from ``DOMAIN_KINDS``, its stamp, and its fields (typed by the trace schema)."""

    @property
    def kind(self) -> str:
        """One of ``DOMAIN_KINDS`` (or ``flush``, the reader's own marker)."""

    @property
    def t_ms(self) -> float:
        """Milliseconds since the show's telemetry started."""

    @property
    def wall(self) -> float:
        """Unix seconds."""

    @property
    def fields(self) -> dict[str, Any]:
        """What happened, by the trace schema's names and types."""


class DomainLog:
    """The domain events, in order, to one reader (thread-safe; a context manager that closes it)."""

    def __init__(self, bound: int = 10_000) -> None:
        self.bound = bound
        self.over_bound = 0  # events the clock's thread added past the bound (kept all the same)
        self.waited_s = 0.0  # how long producers waited for room, in all
        self._events: deque[DomainEvent] = deque()
        self._changed = threading.Condition()
        self._closed = False

    def __enter__(self) -> DomainLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def publish(self, event: DomainEvent) -> None:
        """Add ``event``; waits for room unless this is the clock's thread. After ``close`` it is still kept."""
        with self._changed:
            if len(self._events) >= self.bound and not self._closed:
                if getattr(_local, "never_wait", False):
                    self.over_bound += 1
                else:
                    started = time.monotonic()
                    while len(self._events) >= self.bound and not self._closed:
                        self._changed.wait(0.5)
                    self.waited_s += time.monotonic() - started
            self._events.append(event)
            self._changed.notify_all()

    def take(self, timeout: float | None = None) -> DomainEvent | None:
        """The oldest event, waiting up to ``timeout`` for one; None if there is none yet (or closed and empty)."""
        with self._changed:
            if not self._events and not self._closed:
                self._changed.wait(timeout)
            if not self._events:
                return None
            event = self._events.popleft()
            self._changed.notify_all()
            return event

    @property
    def closed(self) -> bool:
        """True after ``close``: the reader drains what is left, then stops."""
        return self._closed

    def __len__(self) -> int:
        with self._changed:
            return len(self._events)

    def close(self) -> None:
        """No producer waits from now on; the reader takes what is left."""
        with self._changed:
            self._closed = True
            self._changed.notify_all()
