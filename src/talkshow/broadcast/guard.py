"""Each output fails alone: a guard between the encoder and one output.

An output that raises (a full disk under ``--record``, a bug) is marked failed once,
with what it is losing; the encoder and every other output carry on. After a
backoff the guard reopens it at the next keyframe, if the output can reopen (a new
numbered ``--record`` file); otherwise it stays failed until the stream ends.
"""

from __future__ import annotations

import logging
import time
from typing import Protocol, runtime_checkable

from talkshow.core.kinds.output import EncodedStreams, Output, Packet
from talkshow.supervisor import Backoff, Policy, Supervisor

logger = logging.getLogger(__name__)

__all__ = ["OutputGuard", "Reopenable"]


@runtime_checkable
class Reopenable(Protocol):
    """An output that can start over after a failure (e.g. in a new file)."""

    def reopen(self, streams: EncodedStreams) -> None:
        """Drop what is broken and get ready to receive packets again, from a keyframe."""


class OutputGuard:
    """Wraps one output: exceptions are caught, reported and retried; never raised to the encoder."""

    def __init__(
        self, output: Output, supervisor: Supervisor, backoff: Backoff | None = None, contain: bool = True
    ) -> None:
        self.output = output
        self.contain = contain  # False: failures propagate (an offline render must fail loudly)
        self.name = output.name
        self.supervisor = supervisor
        # Local outputs (a disk, a socket) are cheap to retry: a short ceiling means a freed disk is used within 4 s.
        self.backoff = backoff or Backoff(first=0.5, longest=4.0)
        self.lost_packets = 0  # packets this output never got, over all its outages
        self.failed = False
        self._streams: EncodedStreams | None = None
        self._attempt = 0
        self._retry_at = 0.0
        self._outage_lost = 0
        supervisor.register(self.name, Policy.RESTART)

    def open(self, streams: EncodedStreams) -> None:
        """Open the output; a failure here is its own, like any other."""
        self._streams = streams
        try:
            self.output.open(streams)
            self.supervisor.running(self.name)
        except Exception as exc:
            self._fail(exc)

    def send(self, packet: Packet, is_video: bool) -> None:
        """Give the output its packet, or count it lost while the output is down."""
        if self.failed and not self._try_reopen(packet, is_video):
            self.lost_packets += 1
            self._outage_lost += 1
            return
        try:
            self.output.send(packet, is_video)
        except Exception as exc:
            self.lost_packets += 1
            self._outage_lost += 1
            self._fail(exc)

    def close(self) -> None:
        """Close the output; a failure is logged, never raised (the others must still close)."""
        try:
            self.output.close()
            if not self.failed:
                self.supervisor.stopped(self.name)
        except Exception as exc:
            if not self.contain:
                raise
            self.supervisor.failed(self.name, exc, restarting=False, lost="while closing")

    def _fail(self, exc: Exception) -> None:
        if not self.contain:
            raise exc
        reopenable = isinstance(self.output, Reopenable)
        if not self.failed:
            self._outage_lost = max(self._outage_lost, 1)
        self.failed = True
        self._attempt += 1
        self._retry_at = time.monotonic() + self.backoff.delay(self._attempt)
        lost = "its packets are dropped until it reopens" if reopenable else "it gets no more packets"
        self.supervisor.failed(self.name, exc, restarting=reopenable, lost=lost)

    def _try_reopen(self, packet: Packet, is_video: bool) -> bool:
        """True if the output is back (reopened at this keyframe)."""
        if not (isinstance(self.output, Reopenable) and is_video and packet.is_keyframe):
            return False
        if time.monotonic() < self._retry_at or self._streams is None:
            return False
        try:
            self.output.reopen(self._streams)
        except Exception as exc:
            self._fail(exc)
            return False
        logger.warning("%s is back after losing %d packets", self.name, self._outage_lost)
        self.failed = False
        self._outage_lost = 0
        self._attempt = 0
        self.supervisor.running(self.name)
        return True
