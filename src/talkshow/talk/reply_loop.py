"""The conversation thread's loop: one asyncio loop for a whole call, replies answered one at a time."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
from collections.abc import Callable, Coroutine
from typing import Any

from talkshow.talk.reply_state import Reply

logger = logging.getLogger(__name__)

__all__ = ["end_replies", "enqueue_latest", "run_replies"]


def run_replies(
    asks: queue.Queue[Reply | None],
    answer: Callable[[Reply], Coroutine[Any, Any, None]],
    begin: Callable[[Reply], bool],
    replier: object,
) -> None:
    """Answer each reply from ``asks`` until None; ``begin(reply)`` False skips it.

    One loop for the whole call, so the reply writer keeps its connection to the LLM
    between replies; its ``aclose`` (if it has one) runs on that loop at the end.
    """
    loop = asyncio.new_event_loop()
    try:
        while (reply := asks.get()) is not None:
            if not begin(reply):
                continue
            try:
                loop.run_until_complete(answer(reply))
            except Exception:  # one failed reply must not end the conversation
                logger.exception("reply %d failed", reply.exchange)
            finally:
                reply.written = True
    finally:
        aclose = getattr(replier, "aclose", None)
        if aclose is not None:
            with contextlib.suppress(Exception):  # the call is over either way
                loop.run_until_complete(aclose())
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.run_until_complete(loop.shutdown_default_executor())
        loop.close()


def enqueue_latest(asks: queue.Queue[Reply | None], reply: Reply) -> None:
    """Queue ``reply``; if the queue is full (the caller is far ahead of the character), the oldest is dropped."""
    try:
        asks.put_nowait(reply)
    except queue.Full:
        with contextlib.suppress(queue.Empty):
            dropped = asks.get_nowait()
            if dropped is not None:
                dropped.cancel()
        asks.put_nowait(reply)


def end_replies(asks: queue.Queue[Reply | None]) -> None:
    """Drop every queued reply (none airs after the call) and tell the loop to end (room is made for that)."""
    while True:
        try:
            queued = asks.get_nowait()
        except queue.Empty:
            break
        if queued is not None:
            queued.cancel()
    asks.put(None)
