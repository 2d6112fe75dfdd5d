"""EventSub notifications as the desk's messages and removals (the payloads of Twitch's event reference)."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

from talkshow.core.kinds.chat import ChatMessage, ChatRemoval

__all__ = ["SUBSCRIPTIONS", "event_to_chat"]

# (type, version, whether the condition names the reading user too)
SUBSCRIPTIONS = (
    ("channel.chat.message", "1", True),
    ("channel.chat.message_delete", "1", True),
    ("channel.chat.clear_user_messages", "1", True),
    ("channel.chat.clear", "1", True),
    ("channel.ban", "1", False),
    ("channel.channel_points_custom_reward_redemption.add", "1", False),
)
_ROLES = {"broadcaster": "broadcaster", "moderator": "moderator", "vip": "vip", "subscriber": "subscriber",
          "founder": "subscriber"}  # fmt: skip


def _seconds_until(ends_at: Any) -> float:
    if not ends_at:
        return 0.0
    try:
        ends = datetime.fromisoformat(str(ends_at).replace("Z", "+00:00")).timestamp()
    except ValueError:
        return 0.0
    return max(1.0, ends - time.time())


def event_to_chat(kind: str, event: dict[str, Any]) -> ChatMessage | ChatRemoval | None:
    """The desk's view of one notification's ``event``; None for a type it does not use."""
    if kind == "channel.chat.message":
        badges = tuple(str(b["set_id"]) for b in event.get("badges") or ())
        cheer = event.get("cheer") or {}
        bits = int(cheer.get("bits", 0))
        reward = event.get("channel_points_custom_reward_id")
        return ChatMessage(
            platform="twitch",
            message_id=str(event["message_id"]),
            user_id=str(event["chatter_user_id"]),
            display_name=str(event.get("chatter_user_name") or event.get("chatter_user_login") or ""),
            text=str(event["message"]["text"]),
            at=time.time(),
            roles=frozenset(_ROLES[b] for b in badges if b in _ROLES),
            badges=badges,
            bits=bits,
            kind="cheer" if bits else ("redemption" if reward else "message"),
        )
    if kind == "channel.channel_points_custom_reward_redemption.add":
        reward = event.get("reward") or {}
        return ChatMessage(
            platform="twitch",
            message_id=f"redemption:{event['id']}",
            user_id=str(event["user_id"]),
            display_name=str(event.get("user_name") or event.get("user_login") or ""),
            text=str(event.get("user_input") or ""),
            at=time.time(),
            points=int(reward.get("cost", 0)),
            kind="redemption",
        )
    if kind == "channel.chat.message_delete":
        return ChatRemoval("twitch", message_id=str(event["message_id"]), reason="deleted")
    if kind == "channel.chat.clear_user_messages":
        return ChatRemoval("twitch", user_id=str(event["target_user_id"]), reason="messages cleared")
    if kind == "channel.chat.clear":
        return ChatRemoval("twitch", reason="chat cleared")
    if kind == "channel.ban":
        seconds = 0.0 if event.get("is_permanent") else _seconds_until(event.get("ends_at"))
        return ChatRemoval("twitch", user_id=str(event["user_id"]), seconds=seconds,
                           reason="ban" if event.get("is_permanent") else "timeout")  # fmt: skip
    return None
