"""What the chat tests share: a desk with its events, a viewer's message, and waiting on a condition."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from talkshow.chat.desk import ChatDesk
from talkshow.chat.settings import ChatSettings
from talkshow.config import default_cast
from talkshow.core.kinds.chat import ChatMessage
from talkshow.telemetry.events import MemorySink, Telemetry


def make_desk(**settings: Any) -> tuple[ChatDesk, MemorySink]:
    """A desk on the default cast with ``settings``, and the sink its events go to."""
    sink = MemorySink()
    return ChatDesk(ChatSettings(**settings), default_cast(), Telemetry([sink])), sink


async def until(condition: Callable[[], bool], timeout: float = 10.0, what: str = "") -> None:
    """Wait until ``condition()`` holds (failing after ``timeout``)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what or condition}"
        await asyncio.sleep(0.02)


def message(text: str, user: str = "u1", name: str = "Viewer", **fields: Any) -> ChatMessage:
    """A Twitch viewer's chat message (``fields`` override the rest)."""
    return ChatMessage(
        "twitch", fields.pop("message_id", f"m-{time.perf_counter_ns()}"), user, name, text, time.time(), **fields
    )


# --- IRC framing ---------------------------------------------------------------------------------
