"""Supervised parts: every thread reports to one supervisor, which applies its failure policy.

A part is a thread (renderer, pacer, encoder, TV decoder, HLS publisher, ...) or an
output. ``Worker`` is the one way talkshow runs a thread: it captures the body's
exception, sets ``done`` in a ``finally`` (so nobody waits forever on a dead thread)
and tells the supervisor. The policy is per part:

- ``restart``: run the body again after a backoff (renderer, TV, outputs);
- ``fallback``: the part's own fallback takes over (writer, voice); it is only reported;
- ``fatal``: the stream cannot go on without it (pacer, encoder): the supervisor
  raises ``fatal`` and the engine ends the stream cleanly with a non-zero exit.

State changes are logged once per outage and emitted as ``part_state`` events, which
``/api/status`` and ``/metrics`` show.
"""

from __future__ import annotations

import enum
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from talkshow.core.part_state import PartState
from talkshow.redact import redact_text
from talkshow.telemetry.events import Telemetry
from talkshow.threads import lower_this_thread_priority

logger = logging.getLogger(__name__)

__all__ = ["Backoff", "PartState", "PartStatus", "Policy", "Supervisor", "Worker"]

QUIET_S = 30.0  # a part that keeps failing is logged at most this often; every failure is still an event


class Policy(enum.StrEnum):
    """What the supervisor does when a part fails."""

    RESTART = "restart"
    FALLBACK = "fallback"
    FATAL = "fatal"


@dataclass(frozen=True)
class Backoff:
    """Restart delays: ``first`` seconds, doubling up to ``longest``."""

    first: float = 0.25
    longest: float = 10.0

    def delay(self, attempt: int) -> float:
        """The wait before restart number ``attempt`` (1-based)."""
        return float(min(self.longest, self.first * 2.0 ** max(0, attempt - 1)))


@dataclass
class PartStatus:
    """One part's state as the status page shows it."""

    name: str
    policy: str
    state: str = PartState.STARTING
    error: str = ""
    restarts: int = 0
    failures: int = 0
    since: float = field(default_factory=time.time)
    logged_at: float = field(default=0.0, repr=False)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        data = asdict(self)
        del data["logged_at"]
        return data


class Supervisor:
    """Knows every part's state; thread-safe. ``fatal`` is set when the stream cannot go on."""

    def __init__(self, telemetry: Telemetry) -> None:
        self.telemetry = telemetry
        self.fatal = threading.Event()
        self.fatal_reason = ""
        self._parts: dict[str, PartStatus] = {}
        self._lock = threading.Lock()

    def register(self, name: str, policy: Policy) -> None:
        """Add a part (idempotent: a restarted part keeps its history)."""
        with self._lock:
            self._parts.setdefault(name, PartStatus(name, str(policy)))

    def running(self, name: str) -> None:
        """The part works (again); a recovery is logged."""
        self._change(name, PartState.RUNNING, "")

    def stopped(self, name: str) -> None:
        """The part ended on purpose."""
        self._change(name, PartState.STOPPED, None)

    def failed(self, name: str, error: BaseException | str, restarting: bool, lost: str = "") -> None:
        """The part failed; ``restarting`` says whether it will come back; ``lost`` what the outage costs."""
        text = redact_text(error if isinstance(error, str) else f"{type(error).__name__}: {error}")
        if lost:
            text = f"{text} ({lost})"
        self._change(name, PartState.RESTARTING if restarting else PartState.FAILED, text)

    def end_stream(self, reason: str) -> None:
        """The stream cannot go on: the engine ends it cleanly and the process exits non-zero."""
        if not self.fatal.is_set():
            self.fatal_reason = redact_text(reason)
            logger.error("the stream cannot go on: %s", self.fatal_reason)
            self.telemetry.emit("stream_failed", reason=self.fatal_reason)
            self.fatal.set()

    def state(self, name: str) -> str:
        """A part's current state."""
        with self._lock:
            return self._parts[name].state

    def snapshot(self) -> dict[str, dict[str, Any]]:
        """Every part's status, plus telemetry sinks that have failed."""
        with self._lock:
            parts = {name: status.as_dict() for name, status in self._parts.items()}
        for sink, error in self.telemetry.failing_sinks().items():
            parts[f"sink:{sink}"] = PartStatus(f"sink:{sink}", "isolate", PartState.FAILED, error).as_dict()
        return parts

    def _change(self, name: str, state: PartState, error: str | None) -> None:
        with self._lock:
            status = self._parts.setdefault(name, PartStatus(name, str(Policy.RESTART)))
            previous = status.state
            if previous == state and (error is None or error == status.error):
                return
            status.state = state
            status.since = time.time()
            if state in (PartState.RESTARTING, PartState.FAILED):
                status.failures += 1
                status.error = error or status.error
            if state == PartState.RUNNING and previous == PartState.RESTARTING:
                status.restarts += 1
            # Say it once per outage: a part that fails again right after each restart is not news.
            now = time.monotonic()
            say = state in (PartState.RESTARTING, PartState.FAILED) and now - status.logged_at > QUIET_S
            if say:
                status.logged_at = now
        if say:
            logger.warning("%s %s: %s", name, "failed" if state == PartState.FAILED else "failed; restarting", error)
        elif state == PartState.RUNNING and previous == PartState.FAILED:
            logger.warning("%s recovered", name)
        self.telemetry.emit("part_state", part=name, state=str(state), error=status.error, restarts=status.restarts)


Body = Callable[[threading.Event], None]


class Worker:
    """A supervised thread running ``body(stop_event)``.

    The body returns when ``stop_event`` is set (or when its work is over). If it
    raises, the exception is kept in ``error``, the supervisor is told, and under the
    ``restart`` policy the body runs again after a backoff. ``done`` is always set at
    the end. ``on_failure`` runs once if the worker gives up (fatal parts end the stream).
    """

    def __init__(
        self,
        name: str,
        body: Body,
        supervisor: Supervisor | None = None,
        policy: Policy = Policy.RESTART,
        backoff: Backoff | None = None,
        background: bool = False,
        on_failure: Callable[[BaseException], None] | None = None,
    ) -> None:
        self.name = name
        self.body = body
        # No supervisor: a helper thread whose owner reads its ``error`` and ``done``; nobody else is told.
        self.supervisor = supervisor if supervisor is not None else Supervisor(Telemetry())
        self.policy = policy
        self.backoff = backoff or Backoff()
        self.background = background  # runs ahead of the clock: lower priority
        self.on_failure = on_failure
        self.error: BaseException | None = None
        self.done = threading.Event()
        self.stop_event = threading.Event()
        self.supervisor.register(name, policy)
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    @property
    def alive(self) -> bool:
        """True while the thread runs."""
        return self._thread.is_alive()

    def start(self) -> None:
        """Start the thread."""
        self._thread.start()

    def stop(self, timeout: float | None = 5.0) -> None:
        """Ask the body to end and wait up to ``timeout`` seconds (None: do not wait)."""
        self.stop_event.set()
        if timeout is not None and self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(timeout)

    def _run(self) -> None:
        if self.background:
            lower_this_thread_priority()
        attempt = 0
        try:
            while not self.stop_event.is_set():
                self.supervisor.running(self.name)
                try:
                    self.body(self.stop_event)
                    return
                except Exception as exc:  # every failure is captured, reported and handled by policy
                    self.error = exc
                    attempt += 1
                    restarting = self.policy == Policy.RESTART and not self.stop_event.is_set()
                    logger.debug("%s failed", self.name, exc_info=exc)
                    self.supervisor.failed(self.name, exc, restarting)
                    if not restarting:
                        if self.on_failure is not None:
                            self.on_failure(exc)
                        return
                    if self.stop_event.wait(self.backoff.delay(attempt)):
                        return
        finally:
            if self.supervisor.state(self.name) not in (PartState.FAILED,):
                self.supervisor.stopped(self.name)
            self.done.set()
