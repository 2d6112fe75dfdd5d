"""The telemetry hub: stages emit events, sinks record them."""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from talkshow.core.domain import DOMAIN_KINDS, DomainLog

logger = logging.getLogger(__name__)

__all__ = ["Event", "EventSink", "JsonlSink", "MemorySink", "Telemetry"]


@dataclass(frozen=True)
class Event:
    """One timestamped fact: ``kind`` plus free-form fields."""

    kind: str
    t_ms: float
    wall: float
    fields: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """Flat JSON-ready form: ``{"kind", "t_ms", "wall", **fields}``."""
        return {"kind": self.kind, "t_ms": round(self.t_ms, 3), "wall": self.wall, **self.fields}


class EventSink(Protocol):
    """Anything that records events; called from any thread."""

    def record(self, event: Event) -> None:
        """Store or forward one event."""


class MemorySink:
    """Keeps events in a list; used by tests and reports."""

    def __init__(self) -> None:
        self.events: list[Event] = []
        self._lock = threading.Lock()

    def record(self, event: Event) -> None:
        """Append the event."""
        with self._lock:
            self.events.append(event)

    def of_kind(self, kind: str) -> list[Event]:
        """Events of one kind, in order."""
        with self._lock:
            return [e for e in self.events if e.kind == kind]


class JsonlSink:
    """Writes one JSON object per line to a file, on its own thread (a context manager).

    ``record`` only queues (the pacer emits an event per frame: encoding and writing them there
    would put file I/O on the clock). The writer flushes whenever it has caught up, so a reader
    tailing the file sees each event within a few milliseconds. Past ``max_queued`` waiting
    events, new ones are dropped and counted, never waited for.
    """

    def __init__(self, path: Path, max_queued: int = 100_000) -> None:
        self._file = path.open("w", encoding="utf-8")
        self._queue: queue.Queue[Event | None] = queue.Queue(maxsize=max_queued)
        self.dropped = 0
        self._closed = False
        self._thread = threading.Thread(target=self._write, name="trace-writer", daemon=True)
        self._thread.start()

    def __enter__(self) -> JsonlSink:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def record(self, event: Event) -> None:
        """Queue the event for the file (any thread; never blocks)."""
        try:
            self._queue.put_nowait(event)
        except queue.Full:
            self.dropped += 1

    def flush(self) -> None:
        """Wait until every event recorded so far is in the file."""
        self._queue.join()

    def close(self) -> None:
        """Write what is queued, then close the file (idempotent)."""
        if self._closed:
            return
        self._closed = True
        self._queue.put(None)
        self._thread.join(timeout=10)
        if self.dropped:
            logger.warning("the trace dropped %d events: its writer fell behind", self.dropped)

    def _write(self) -> None:
        try:
            while (event := self._queue.get()) is not None:
                try:
                    self._file.write(json.dumps(event.as_dict(), separators=(",", ":"), default=str) + "\n")
                    if self._queue.empty():
                        self._file.flush()
                except (OSError, ValueError) as exc:  # a full disk: the show goes on without its trace
                    self.dropped += 1
                    if self.dropped == 1:
                        logger.warning("the trace could not be written (%s); events are dropped", exc)
                finally:
                    self._queue.task_done()
            self._queue.task_done()
        finally:
            self._file.close()


class Telemetry:
    """Stamps events with one monotonic origin and fans them out to sinks."""

    def __init__(self, sinks: list[EventSink] | None = None, domain: DomainLog | None = None) -> None:
        """``domain``: where the studio's state goes, never dropped (``talkshow.core.domain``); None: no studio."""
        self._origin = time.monotonic()
        self._sinks: list[EventSink] = list(sinks or [])
        self._failing: dict[str, str] = {}  # sink name -> its last error
        self.domain = domain

    def carry(self, domain: DomainLog) -> None:
        """Write the domain kinds to ``domain`` from now on, before any sink sees them (the station's studio)."""
        self.domain = domain

    def add_sink(self, sink: EventSink) -> None:
        """Start sending events to ``sink`` too."""
        self._sinks = [*self._sinks, sink]  # copy on write: ``emit`` on another thread iterates the old list

    def remove_sink(self, sink: EventSink) -> None:
        """Stop sending events to ``sink`` (no error if it was not added)."""
        self._sinks = [s for s in self._sinks if s is not sink]

    def now_ms(self) -> float:
        """Monotonic milliseconds since this telemetry started."""
        return (time.monotonic() - self._origin) * 1000.0

    def emit(self, kind: str, **fields: Any) -> Event:
        """Record an event of ``kind`` with ``fields`` now."""
        event = Event(kind=kind, t_ms=self.now_ms(), wall=time.time(), fields=fields)
        domain = self.domain
        if domain is not None and kind in DOMAIN_KINDS:  # state that matters: written first, never dropped
            domain.publish(event)
        for sink in self._sinks:
            try:
                sink.record(event)
            except Exception as exc:  # a broken sink must never take down the thread that emitted
                self._sink_failed(sink, exc)
        logger.debug("%s %s", kind, fields)
        return event

    def failing_sinks(self) -> dict[str, str]:
        """Sinks whose ``record`` raised, with the last error (they keep getting events)."""
        return dict(self._failing)

    def _sink_failed(self, sink: EventSink, exc: Exception) -> None:
        name = type(sink).__name__
        if name not in self._failing:  # said once; the status page keeps showing it
            logger.warning("telemetry sink %s failed (%s: %s); the show goes on", name, type(exc).__name__, exc)
        self._failing[name] = f"{type(exc).__name__}: {exc}"

    @contextmanager
    def span(self, kind: str, **fields: Any) -> Iterator[dict[str, Any]]:
        """Emit ``<kind>_start`` and ``<kind>_done`` (with ``ms``) around a block.

        The yielded dict may be filled with extra fields for the done event.
        """
        self.emit(f"{kind}_start", **fields)
        start = time.perf_counter()
        extra: dict[str, Any] = {}
        try:
            yield extra
        finally:
            ms = (time.perf_counter() - start) * 1000.0
            self.emit(f"{kind}_done", ms=round(ms, 3), **fields, **extra)
