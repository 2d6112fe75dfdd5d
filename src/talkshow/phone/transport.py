"""The caller-transport seam: what a way of calling the show provides, and what it may ask of the lines.

A transport (Twilio Media Streams, Asterisk AudioSocket, or a plug-in's) reads its own
connections and, for each call, ``connect``s a ``Wire`` (its way out) to the ``CallLines``
and feeds the ``Call`` it gets back what the caller sends. Everything else (who gets the
line, the greeting, the talk session, pacing the reply out) is the lines' business. A
transport is the registry kind ``transport``: ``create(options, lines) -> CallerTransport``
(``talkshow.core.kinds.transport``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from talkshow.phone.audio import PHONE_RATE
from talkshow.phone.settings import PhoneSettings
from talkshow.phone.wire import Wire

if TYPE_CHECKING:
    from talkshow.phone.guests import GuestLimit
    from talkshow.supervisor import Supervisor

__all__ = ["Call", "CallLines"]


class Call(Protocol):
    """One call as its transport sees it: what the caller sent goes in; ``end`` when the connection ends."""

    masked: str  # the caller's number as logs may show it (last 4 digits)

    def admit(self) -> bool:
        """False while the caller's side floods faster than real time: drop the message unread."""

    def audio_in(self, payload: bytes, timestamp_ms: int | None = None) -> None:
        """A packet of the caller's audio, in the line's encoding (``timestamp_ms``: the platform's, if any)."""

    def mark(self, name: str) -> None:
        """The platform played everything sent before the mark ``name``."""

    def dtmf(self, digit: str) -> None:
        """The caller pressed a key."""

    async def hang_up(self, reason: str, fault: bool = False) -> None:
        """End the call from talkshow's side (closes the wire)."""

    async def end(self, reason: str, fault: bool = False) -> None:
        """The connection is over (idempotent): the line is freed and the show resumes."""


class CallLines(Protocol):
    """The show's phone lines, as a transport uses them (``talkshow.phone.Switchboard``)."""

    settings: PhoneSettings
    guests: GuestLimit  # connections not yet authenticated (a transport with a shared secret caps them here)
    token: str | None  # the phone secret; None: calls that need one are off

    @property
    def supervisor(self) -> Supervisor:
        """Where a transport that runs a listener reports its state."""

    def connect(self, wire: Wire, call_id: str, number: str, encoding: str, wire_rate: int = PHONE_RATE) -> Call:
        """A new call on ``wire`` (``encoding``: mulaw or linear); ConnectionRefusedError if the lines are full."""

    def token_ok(self, presented: str | None) -> bool:
        """True if ``presented`` is the phone secret."""
