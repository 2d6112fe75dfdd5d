"""Any platform's bot posts messages in: ``POST /api/chat/webhook`` with a bearer token.

The token comes from ``token_env`` (default ``TALKSHOW_CHAT_WEBHOOK_TOKEN``) or
``token_file``; without one the route refuses everything. The body is one message
(``platform``, ``user_id``, ``display_name``, ``text``, optional ``message_id``, ``roles``,
``bits``) or a removal (``delete_message_id``, or ``ban_user_id`` with ``seconds``).
"""

from __future__ import annotations

import hmac
import itertools
import time
from typing import Annotated, Any

from fastapi import APIRouter, Header, HTTPException
from pydantic import BaseModel, Field

from talkshow.chat.credentials import secret
from talkshow.chat.reconnect import SourceRevokedError
from talkshow.core.kinds.chat import ROLES, ChatInbox, ChatMessage, ChatRemoval

__all__ = ["WebhookChatSource", "WebhookMessage", "create"]


class WebhookMessage(BaseModel):
    """What a bot posts: a message, or a removal."""

    platform: str = Field("webhook", min_length=1, max_length=32, pattern=r"^[a-z0-9_-]+$")
    user_id: str = Field("", max_length=128)
    display_name: str = Field("", max_length=128)
    text: str = Field("", max_length=2000)
    message_id: str = Field("", max_length=128)
    roles: list[str] = Field(default_factory=list, max_length=8)
    bits: int = Field(0, ge=0, le=1_000_000)
    delete_message_id: str = Field("", max_length=128)
    ban_user_id: str = Field("", max_length=128)
    seconds: float = Field(0.0, ge=0, le=1_209_600)


class WebhookChatSource:
    """Takes messages posted to the studio's server."""

    def __init__(self, options: dict[str, Any], inbox: ChatInbox, name: str = "webhook") -> None:
        self.options = options
        self.inbox = inbox
        self.name = name
        self._ids = itertools.count(1)
        self._token = ""

    async def start(self) -> None:
        """Read the token (a missing one leaves the route closed, and says so)."""
        try:
            self._token = secret(self.options, "token", "TALKSHOW_CHAT_WEBHOOK_TOKEN", "the chat webhook token")
            self.inbox.source_state(self.name, "running", "POST /api/chat/webhook")
        except SourceRevokedError as exc:
            self.inbox.source_state(self.name, "failed", str(exc))

    async def close(self) -> None:
        """Close the route."""
        self._token = ""
        self.inbox.source_state(self.name, "stopped")

    def routes(self) -> APIRouter:
        """``POST /api/chat/webhook``."""
        router = APIRouter()

        @router.post("/api/chat/webhook", status_code=202)
        def post(body: WebhookMessage, authorization: Annotated[str, Header()] = "") -> dict[str, str]:
            given = authorization.removeprefix("Bearer ").strip()
            if not self._token or not hmac.compare_digest(given.encode(), self._token.encode()):
                raise HTTPException(401, "the chat webhook needs its bearer token")
            if body.delete_message_id or body.ban_user_id:
                self.inbox.remove(ChatRemoval(body.platform, body.delete_message_id, body.ban_user_id, body.seconds,
                                              "deleted" if body.delete_message_id else "ban"))  # fmt: skip
                return {"status": "removed"}
            if not body.user_id or not body.text.strip():
                raise HTTPException(422, "a message needs user_id and text")
            message_id = body.message_id or f"webhook-{next(self._ids)}"
            self.inbox.accept(ChatMessage(
                platform=body.platform, message_id=message_id, user_id=body.user_id,
                display_name=body.display_name or body.user_id, text=body.text, at=time.time(),
                roles=frozenset(r for r in body.roles if r in ROLES), bits=body.bits,
                kind="cheer" if body.bits else "message",
            ))  # fmt: skip
            return {"status": "accepted", "message_id": message_id}

        return router


def create(options: dict[str, Any], inbox: ChatInbox) -> WebhookChatSource:
    """The ``chat`` provider ``webhook`` from ``[chat.webhook]``."""
    return WebhookChatSource(options, inbox)
