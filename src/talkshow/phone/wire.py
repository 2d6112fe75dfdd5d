"""What a phone bridge's connection can carry out to the platform: the one interface both bridges implement."""

from __future__ import annotations

from typing import Protocol

from talkshow.core.errors import ConnectionLostError

__all__ = ["Wire", "WireClosedError"]


class WireClosedError(ConnectionLostError):
    """The platform's connection is gone (reset, closed): the call is over."""


class Wire(Protocol):
    """One call's connection to its platform (a Media Streams WebSocket, an AudioSocket TCP stream)."""

    transport: str  # "twilio" or "audiosocket": names the bridge in status, logs and traces
    marks: bool  # True if the platform echoes marks once the caller has heard the audio before them

    async def send_audio(self, frame: bytes) -> None:
        """One 20 ms frame of wire audio (μ-law or 16-bit linear, 8 kHz); WireClosedError if the line is gone."""

    async def send_mark(self, name: str) -> None:
        """Ask to be told when the caller has heard everything sent so far (ignored where ``marks`` is False)."""

    async def send_clear(self) -> None:
        """Drop the audio the platform still holds for the caller (a barge-in)."""

    async def close(self, reason: str) -> None:
        """End the call on the platform's side (hang up); never raises."""
