"""Twitch chat read anonymously over IRC (``justinfan``: no login, read-only), the fallback to EventSub.

Twitch calls IRC its legacy interface, but it needs no credentials, so any show can read
any channel's chat. Tags (IRCv3) give ids, roles, badges and bits. CLEARMSG removes one
message, CLEARCHAT a user's (ban or timeout) or everyone's; RECONNECT asks for a new
connection; PING must be answered. ``[chat.twitch-irc]``: ``channel`` (required), ``url``.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from typing import Any

import websockets

from talkshow.chat.irc import IrcLine, IrcParseError, parse_irc
from talkshow.chat.reconnect import Reconnecting, ReconnectingSource
from talkshow.core.kinds.chat import ChatInbox, ChatMessage, ChatRemoval

logger = logging.getLogger(__name__)

__all__ = ["DEFAULT_IRC_URL", "TwitchIrcSource", "create", "message_from", "removal_from"]

DEFAULT_IRC_URL = "wss://irc-ws.chat.twitch.tv:443"
SILENCE_S = 360.0  # Twitch PINGs about every 5 minutes; longer silence is a dead connection
_ROLE_BADGES = {"broadcaster": "broadcaster", "moderator": "moderator", "vip": "vip", "subscriber": "subscriber",
                "founder": "subscriber"}  # fmt: skip


def _badges(tags: dict[str, str]) -> tuple[str, ...]:
    return tuple(b.split("/", 1)[0] for b in tags.get("badges", "").split(",") if b)


def message_from(line: IrcLine) -> ChatMessage | None:
    """A PRIVMSG as a ChatMessage (None if it lacks what one needs)."""
    tags = line.tags
    user_id, message_id = tags.get("user-id", ""), tags.get("id", "")
    if not user_id or not message_id:
        return None
    badges = _badges(tags)
    roles = {_ROLE_BADGES[b] for b in badges if b in _ROLE_BADGES}
    if tags.get("mod") == "1":
        roles.add("moderator")
    bits = int(tags["bits"]) if tags.get("bits", "").isdigit() else 0
    sent = tags.get("tmi-sent-ts", "")
    return ChatMessage(
        platform="twitch",
        message_id=message_id,
        user_id=user_id,
        display_name=tags.get("display-name") or line.nick,
        text=line.trailing,
        at=int(sent) / 1000 if sent.isdigit() else time.time(),
        roles=frozenset(roles),
        badges=badges,
        bits=bits,
        kind="cheer" if bits else ("redemption" if tags.get("custom-reward-id") else "message"),
    )


def removal_from(line: IrcLine) -> ChatRemoval | None:
    """CLEARMSG (one message) or CLEARCHAT (a user's, or all) as a ChatRemoval."""
    tags = line.tags
    if line.command == "CLEARMSG":
        target = tags.get("target-msg-id", "")
        return ChatRemoval("twitch", message_id=target, reason="deleted") if target else None
    if line.command == "CLEARCHAT":
        user = tags.get("target-user-id", "")
        if not user:
            return ChatRemoval("twitch", reason="chat cleared")
        duration = tags.get("ban-duration", "")
        seconds = float(duration) if duration.isdigit() else 0.0
        return ChatRemoval("twitch", user_id=user, seconds=seconds, reason="timeout" if seconds else "ban")
    return None


class TwitchIrcSource(ReconnectingSource):
    """Reads one channel's chat anonymously; reconnects on RECONNECT, silence or a dropped socket."""

    def __init__(self, channel: str, inbox: ChatInbox, url: str = DEFAULT_IRC_URL, name: str = "twitch-irc") -> None:
        channel = channel.strip().lstrip("#").lower()
        if not channel or not channel.replace("_", "").isalnum() or len(channel) > 25:
            raise ValueError(f"chat twitch-irc channel must be a Twitch login (letters, digits, _), got {channel!r}")
        self.channel = channel
        self.inbox = inbox
        self.url = url
        self.name = name
        self.malformed = 0
        self._runner = Reconnecting(name, inbox, self._session)

    async def _session(self) -> None:
        async with websockets.connect(self.url, open_timeout=10, max_size=64 * 1024, ping_interval=60) as socket:
            await socket.send("CAP REQ :twitch.tv/tags twitch.tv/commands")
            await socket.send(f"NICK justinfan{random.randint(10_000, 99_999)}")  # anonymous, read-only
            await socket.send(f"JOIN #{self.channel}")
            while True:
                frame = await asyncio.wait_for(socket.recv(), SILENCE_S)
                text = frame.decode("utf-8", "replace") if isinstance(frame, bytes) else frame
                for raw in text.split("\r\n"):
                    if raw and await self._handle(socket, raw):
                        return  # RECONNECT: the runner connects again at once

    async def _handle(self, socket: Any, raw: str) -> bool:
        try:
            line = parse_irc(raw)
        except IrcParseError:
            self.malformed += 1
            logger.debug("twitch-irc: skipped a malformed line")
            return False
        if line.command == "PING":
            await socket.send("PONG :" + line.trailing)
        elif line.command == "PRIVMSG":
            message = message_from(line)
            if message is not None:
                self.inbox.accept(message)
            else:
                self.malformed += 1
        elif line.command in ("CLEARMSG", "CLEARCHAT"):
            removal = removal_from(line)
            if removal is not None:
                self.inbox.remove(removal)
        elif line.command == "JOIN" or (line.command == "ROOMSTATE"):
            self.inbox.source_state(self.name, "running", f"reading #{self.channel}")
        elif line.command == "RECONNECT":
            self.inbox.source_state(self.name, "reconnecting", "Twitch asked for a new connection")
            return True
        elif line.command == "NOTICE" and "login" in line.trailing.lower():
            raise ValueError(f"Twitch refused the connection: {line.trailing}")
        return False


def create(options: dict[str, Any], inbox: ChatInbox) -> TwitchIrcSource:
    """The ``chat`` provider ``twitch-irc`` from ``[chat.twitch-irc]``: ``channel``, ``url``."""
    return TwitchIrcSource(str(options.get("channel", "")), inbox, str(options.get("url", DEFAULT_IRC_URL)))
