"""Fans the live timeline out to WebSocket clients, in batches ten times a second.

Stages emit on their own threads (the pacer 30 times a second); recording an event
here is one deque append, and nothing at all while no client is connected. An
asyncio task drains the deque, folds per-frame events into one summary per batch,
and hands each client a JSON message. A client too slow to keep up is dropped
(it reconnects and reloads) rather than let its backlog grow.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from talkshow.telemetry.events import Event

logger = logging.getLogger(__name__)

__all__ = ["EventHub", "Subscriber"]

# Events a page has no use for one by one; frames are summarised instead.
_SUMMARISED = {"frame"}


@dataclass(eq=False)
class Subscriber:
    """One connected client: its batches waiting to be sent."""

    queue: asyncio.Queue[str]
    overflowed: bool = False


@dataclass
class _Batch:
    events: list[dict[str, Any]] = field(default_factory=list)
    compose_ms: list[float] = field(default_factory=list)
    max_lateness_ms: float = 0.0
    queue_depth: int | None = None
    lines: dict[int, dict[str, Any]] = field(default_factory=dict)
    shows: dict[int, dict[str, Any]] = field(default_factory=dict)
    queue: list[dict[str, Any]] | None = None
    held: dict[int, dict[str, Any]] = field(default_factory=dict)

    def message(self, status: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {"events": self.events, "lines": list(self.lines.values())}
        out["shows"] = list(self.shows.values())
        if self.held:
            out["held"] = list(self.held.values())
        if self.compose_ms:
            out["frames"] = {
                "count": len(self.compose_ms),
                "compose_ms": self.compose_ms,
                "max_lateness_ms": self.max_lateness_ms,
                "queue_depth": self.queue_depth,
            }
        if self.queue is not None:
            out["queue"] = self.queue
        out["status"] = status
        return out


class EventHub:
    """Thread-safe publisher, asyncio fan-out."""

    def __init__(self, interval_s: float = 0.1, client_backlog: int = 100) -> None:
        self.interval_s = interval_s
        self.client_backlog = client_backlog
        self._pending: deque[tuple[str, Any]] = deque(maxlen=50_000)
        self._subscribers: set[Subscriber] = set()
        self.status: dict[str, Any] = {}  # refreshed by the app before each batch

    def record(self, event: Event) -> None:
        """EventSink: queue a timeline event for the clients (any thread)."""
        if self._subscribers:
            self._pending.append(("event", event))

    def publish(self, kind: str, payload: Any) -> None:
        """Queue a studio update: ``line`` or ``show`` (a record), or ``queue`` (the whole queue)."""
        if self._subscribers:
            self._pending.append((kind, payload))

    def subscribe(self) -> Subscriber:
        """A new client (call on the event loop)."""
        subscriber = Subscriber(asyncio.Queue(maxsize=self.client_backlog))
        self._subscribers.add(subscriber)
        return subscriber

    def unsubscribe(self, subscriber: Subscriber) -> None:
        """Forget a client."""
        self._subscribers.discard(subscriber)

    async def run(self, status: Any = None) -> None:
        """Send a batch every ``interval_s`` until cancelled; ``status()`` adds the counters."""
        while True:
            await asyncio.sleep(self.interval_s)
            if not self._subscribers or not self._pending:
                continue
            message = json.dumps(self._drain().message(status() if status else {}), default=str)
            for subscriber in list(self._subscribers):
                try:
                    subscriber.queue.put_nowait(message)
                except asyncio.QueueFull:
                    subscriber.overflowed = True
                    self._subscribers.discard(subscriber)
                    logger.warning("a studio client fell %d batches behind; dropping it", self.client_backlog)

    def _drain(self) -> _Batch:
        batch = _Batch()
        while self._pending:
            kind, payload = self._pending.popleft()
            if kind == "event":
                self._add_event(batch, payload)
            elif kind == "line":
                batch.lines[payload["id"]] = payload
            elif kind == "show":
                batch.shows[payload["id"]] = payload
            elif kind == "held":
                batch.held[payload["id"]] = payload
            elif kind == "queue":
                batch.queue = payload
        return batch

    @staticmethod
    def _add_event(batch: _Batch, event: Event) -> None:
        if event.kind not in _SUMMARISED:
            batch.events.append(event.as_dict())
            return
        fields = event.fields
        batch.compose_ms.append(fields.get("compose_ms", 0.0))
        batch.max_lateness_ms = max(batch.max_lateness_ms, fields.get("lateness_ms", 0.0))
        batch.queue_depth = fields.get("queue_depth", batch.queue_depth)
