"""The transport kind: a way to call the show (Twilio Media Streams, Asterisk AudioSocket, a plug-in's).

The registry builds one as ``create(options, lines)``; ``lines`` are the show's phone lines as a
transport uses them (``talkshow.phone.transport.CallLines``): for each connection it reads, the
transport ``connect``s a wire to them and feeds the call it gets back what the caller sends.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from fastapi import APIRouter

__all__ = ["CallerTransport"]


class CallerTransport(Protocol):
    """A way to call the show, started and stopped by the station."""

    name: str

    def routes(self) -> APIRouter | None:
        """HTTP or WebSocket routes to mount on the studio's server, if it is reached that way."""

    async def start(self) -> None:
        """Begin taking calls (a listener that cannot bind reports it to the supervisor and keeps trying)."""

    async def close(self) -> None:
        """Stop taking calls and end the connections still open."""
