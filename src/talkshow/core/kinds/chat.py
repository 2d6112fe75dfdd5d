"""What chat sources hand the desk: normalized messages and removals, and the small interfaces between them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from fastapi import APIRouter

__all__ = ["ROLES", "ChatInbox", "ChatMessage", "ChatRemoval", "ChatSource"]

# Roles a platform gives a viewer, as the desk ranks them (a platform's own names map onto these).
ROLES = ("broadcaster", "moderator", "vip", "subscriber")


@dataclass(frozen=True)
class ChatMessage:
    """One viewer's message, the same from every platform. ``text`` and ``display_name`` are untrusted."""

    platform: str  # twitch, youtube, webhook, or a plug-in's name
    message_id: str
    user_id: str
    display_name: str
    text: str
    at: float  # Unix seconds the platform stamped it (or when it arrived, if it gave none)
    roles: frozenset[str] = field(default_factory=frozenset)
    badges: tuple[str, ...] = ()
    bits: int = 0  # Twitch cheers
    points: int = 0  # Twitch channel points spent on a redemption
    paid_micros: int = 0  # YouTube Super Chat, in millionths of ``currency``
    currency: str = ""
    kind: str = "message"  # message, cheer, redemption, superchat

    @property
    def user_key(self) -> str:
        """The viewer across the desk: their platform and id."""
        return f"{self.platform}:{self.user_id}"


@dataclass(frozen=True)
class ChatRemoval:
    """A platform took something back: one message (``message_id``), a user's messages (banned or timed
    out for ``seconds``; 0 = for good), or, with neither, the whole chat (Twitch CLEARCHAT)."""

    platform: str
    message_id: str = ""
    user_id: str = ""
    seconds: float = 0.0
    reason: str = ""

    @property
    def user_key(self) -> str:
        """The viewer across the desk."""
        return f"{self.platform}:{self.user_id}"

    def covers(self, message: ChatMessage) -> bool:
        """True if this removal takes ``message`` back (that message, its viewer's messages, or the whole chat)."""
        if self.message_id:
            return message.message_id == self.message_id
        if self.user_id:
            return message.user_key == self.user_key
        return message.platform == self.platform


class ChatInbox(Protocol):
    """Where sources deliver (the chat desk); every call is cheap and never blocks (any thread or loop)."""

    def accept(self, message: ChatMessage) -> None:
        """A new message."""

    def remove(self, removal: ChatRemoval) -> None:
        """A deletion, a ban or timeout, or a cleared chat."""

    def source_state(self, source: str, state: str, detail: str = "") -> None:
        """A source connected, reconnects, was revoked, or failed (shown in the studio and /api/status)."""

    def quota(self, source: str, units_left: int, units_per_day: int) -> None:
        """A metered platform's quota (YouTube's API units) after a call (metrics and the studio)."""


class ChatSource(Protocol):
    """One platform's chat (a provider of kind ``chat``), started and stopped by the station."""

    name: str

    def routes(self) -> APIRouter | None:
        """HTTP routes to mount on the studio's server (the webhook source); None for most."""

    async def start(self) -> None:
        """Begin reading (in the background: a source that cannot connect keeps trying with backoff)."""

    async def close(self) -> None:
        """Stop reading and close connections."""
