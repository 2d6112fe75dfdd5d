"""Twitch chat over EventSub on a WebSocket, with Helix for subscriptions: the way Twitch prefers.

The session: connect, take ``session_welcome`` (its id and keepalive), subscribe to each
event type through Helix within its 10 s, then read notifications. No message for longer
than the keepalive: the connection is dead, connect again. ``session_reconnect``: connect
to the given URL (the subscriptions move with it), and leave the old one once the new one
welcomes. ``revocation``: that subscription is gone; the source says so, and stops when
none is left. ``[chat.twitch]``: ``channel``; ``client_id_env`` / ``token_env`` (default
``TWITCH_CLIENT_ID`` / ``TWITCH_USER_TOKEN``) or ``*_file``; ``url`` and ``api_url`` for tests.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import httpx
import websockets

from talkshow.chat.credentials import secret
from talkshow.chat.reconnect import Reconnecting, ReconnectingSource, SourceRevokedError
from talkshow.chat.twitch_events import SUBSCRIPTIONS, event_to_chat
from talkshow.core.kinds.chat import ChatInbox, ChatMessage

logger = logging.getLogger(__name__)

__all__ = ["DEFAULT_API_URL", "DEFAULT_EVENTSUB_URL", "TwitchEventSubSource", "create"]

DEFAULT_EVENTSUB_URL = "wss://eventsub.wss.twitch.tv/ws"
DEFAULT_API_URL = "https://api.twitch.tv/helix"
KEEPALIVE_GRACE_S = 5.0  # Twitch's keepalive plus this, then the connection counts as dead


class TwitchEventSubSource(ReconnectingSource):
    """One channel's chat, deletions, bans, redemptions and cheers through EventSub."""

    def __init__(self, options: dict[str, Any], inbox: ChatInbox, name: str = "twitch") -> None:
        channel = str(options.get("channel", "")).strip().lstrip("#").lower()
        if not channel or not channel.replace("_", "").isalnum():
            raise ValueError(f"chat twitch channel must be a Twitch login, got {channel!r}")
        self.channel = channel
        self.options = options
        self.inbox = inbox
        self.name = name
        self.url = str(options.get("url", DEFAULT_EVENTSUB_URL))
        self.api_url = str(options.get("api_url", DEFAULT_API_URL)).rstrip("/")
        self.keepalive_grace_s = float(options.get("keepalive_grace_s", KEEPALIVE_GRACE_S))
        self.active: set[str] = set()  # subscription types live on this session
        self.revoked: list[str] = []
        self.malformed = 0
        self._runner = Reconnecting(name, inbox, self._session)

    async def _session(self) -> None:
        client_id = secret(self.options, "client_id", "TWITCH_CLIENT_ID", "the Twitch client id")
        token = secret(self.options, "token", "TWITCH_USER_TOKEN", "the Twitch user token")
        headers = {"Authorization": f"Bearer {token}", "Client-Id": client_id}
        async with httpx.AsyncClient(base_url=self.api_url, headers=headers, timeout=10.0) as helix:
            broadcaster, reader = await self._user_ids(helix)
            url = self.url
            while url:
                url = await self._connection(url, helix, broadcaster, reader)

    async def _user_ids(self, helix: httpx.AsyncClient) -> tuple[str, str]:
        """The channel's user id, and the token's own (EventSub chat reads as a user)."""
        channel = await _helix(helix, "GET", "/users", params={"login": self.channel})
        me = await _helix(helix, "GET", "/users")
        if not channel.get("data"):
            raise SourceRevokedError(f"Twitch has no channel called {self.channel!r}")
        return str(channel["data"][0]["id"]), str(me["data"][0]["id"])

    async def _connection(self, url: str, helix: httpx.AsyncClient, broadcaster: str, reader: str) -> str:
        """Read one connection; returns the URL to move to (session_reconnect), or raises when it dies."""
        async with websockets.connect(url, open_timeout=10, max_size=512 * 1024) as socket:
            welcome = _parse(await asyncio.wait_for(socket.recv(), 15))
            if welcome["metadata"]["message_type"] != "session_welcome":
                raise ValueError("the EventSub server did not open with session_welcome")
            session = welcome["payload"]["session"]
            keepalive = float(session.get("keepalive_timeout_seconds") or 10) + self.keepalive_grace_s
            if url == self.url:  # a fresh session needs its subscriptions; a reconnect URL carries them
                await self._subscribe(helix, str(session["id"]), broadcaster, reader)
            self.inbox.source_state(self.name, "running", f"reading #{self.channel} ({len(self.active)} events)")
            while True:
                frame = await asyncio.wait_for(socket.recv(), keepalive)
                try:
                    message = _parse(frame)
                    kind = message["metadata"]["message_type"]
                except (ValueError, KeyError, TypeError):
                    self.malformed += 1
                    continue
                if kind == "notification":
                    self._notification(message)
                elif kind == "session_reconnect":
                    self.inbox.source_state(self.name, "reconnecting", "Twitch moved the session")
                    return str(message["payload"]["session"]["reconnect_url"])
                elif kind == "revocation":
                    self._revoked(message["payload"]["subscription"])

    async def _subscribe(self, helix: httpx.AsyncClient, session_id: str, broadcaster: str, reader: str) -> None:
        self.active.clear()
        for kind, version, needs_reader in SUBSCRIPTIONS:
            condition = {"broadcaster_user_id": broadcaster} | ({"user_id": reader} if needs_reader else {})
            body = {"type": kind, "version": version, "condition": condition,
                    "transport": {"method": "websocket", "session_id": session_id}}  # fmt: skip
            try:
                await _helix(helix, "POST", "/eventsub/subscriptions", json=body)
                self.active.add(kind)
            except httpx.HTTPStatusError as exc:  # 403: a scope the token lacks; the rest still work
                logger.warning("twitch: cannot subscribe to %s (%s)", kind, exc.response.status_code)
        if "channel.chat.message" not in self.active:
            raise SourceRevokedError("Twitch refused the chat subscription: the token needs user:read:chat")

    def _notification(self, message: dict[str, Any]) -> None:
        kind = message["metadata"].get("subscription_type", "")
        try:
            item = event_to_chat(kind, message["payload"]["event"])
        except (KeyError, TypeError, ValueError):
            self.malformed += 1
            return
        if item is None:
            return
        if isinstance(item, ChatMessage):
            self.inbox.accept(item)
        else:
            self.inbox.remove(item)

    def _revoked(self, subscription: dict[str, Any]) -> None:
        kind, why = str(subscription.get("type", "")), str(subscription.get("status", "revoked"))
        self.active.discard(kind)
        self.revoked.append(kind)
        logger.warning("twitch: the %s subscription was revoked (%s)", kind, why)
        self.inbox.source_state(self.name, "degraded", f"{kind} revoked: {why}")
        if "channel.chat.message" not in self.active:
            raise SourceRevokedError(f"Twitch revoked the chat subscription ({why})")


async def _helix(client: httpx.AsyncClient, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
    response = await client.request(method, path, **kwargs)
    if response.status_code == 401:  # expired or revoked: retrying the same token cannot help
        raise SourceRevokedError("Twitch refused the token (401): it expired or was revoked; issue a new one")
    response.raise_for_status()
    body = response.json()
    if not isinstance(body, dict):
        raise ValueError(f"Helix {path} answered with {type(body).__name__}, not an object")
    return body


def _parse(frame: str | bytes) -> dict[str, Any]:
    message = json.loads(frame)
    if not isinstance(message, dict) or "metadata" not in message:
        raise ValueError("an EventSub message without metadata")
    return message


def create(options: dict[str, Any], inbox: ChatInbox) -> TwitchEventSubSource:
    """The ``chat`` provider ``twitch`` from ``[chat.twitch]``."""
    return TwitchEventSubSource(options, inbox)
