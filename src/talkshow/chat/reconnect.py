"""A chat source's lifetime: one session after another, with backoff between, its state told to the inbox."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable

from fastapi import APIRouter

from talkshow.core.errors import ServiceError
from talkshow.core.kinds.chat import ChatInbox
from talkshow.tasks import TaskGroup

logger = logging.getLogger(__name__)

__all__ = ["Reconnecting", "ReconnectingSource", "SourceRevokedError"]


class SourceRevokedError(ServiceError):
    """The platform will not serve this source again as configured (bad credentials, revoked, chat ended)."""


class Reconnecting:
    """Runs ``session()`` again whenever it ends or fails, waiting ``backoff`` (doubling to its cap, with
    jitter) after a failure; a session that ran a while resets the wait. A revoked source stops for good."""

    def __init__(
        self,
        name: str,
        inbox: ChatInbox,
        session: Callable[[], Awaitable[None]],
        backoff_s: tuple[float, float] = (1.0, 60.0),
    ) -> None:
        self.name = name
        self.inbox = inbox
        self.session = session
        self.backoff_s = backoff_s
        self.sessions = 0
        self.failed = False
        self._tasks = TaskGroup(f"chat source {name}")

    def start(self) -> None:
        """Begin in the background (on the running loop)."""
        self._tasks.spawn(self._run(), "sessions")

    async def close(self) -> None:
        """Stop the current session and any retry."""
        self._tasks.cancel()
        if not self.failed:  # a failed source keeps saying why
            self.inbox.source_state(self.name, "stopped")

    async def _run(self) -> None:
        wait = self.backoff_s[0]
        loop = asyncio.get_running_loop()
        while True:
            began = loop.time()
            self.sessions += 1
            try:
                await self.session()
                detail = "the platform ended the session"
            except SourceRevokedError as exc:
                logger.error("chat source %s stopped: %s", self.name, exc)
                self.failed = True
                self.inbox.source_state(self.name, "failed", str(exc))
                return
            except (TimeoutError, OSError, ValueError) as exc:  # network, protocol, a silent server
                detail = f"{type(exc).__name__}: {exc}"
            except Exception as exc:  # a bug in one source must not end the others, or the show
                logger.exception("chat source %s failed", self.name)
                detail = f"{type(exc).__name__}: {exc}"
            if loop.time() - began > 60:
                wait = self.backoff_s[0]  # it had been up a while: a blip, not a dead server
            pause = wait * random.uniform(0.8, 1.2)
            logger.warning("chat source %s: %s; reconnecting in %.1f s", self.name, detail, pause)
            self.inbox.source_state(self.name, "reconnecting", detail)
            await asyncio.sleep(pause)
            wait = min(wait * 2, self.backoff_s[1])


class ReconnectingSource:
    """What every source that reaches out shares: no routes, and a ``Reconnecting`` lifetime."""

    name: str
    _runner: Reconnecting

    def routes(self) -> APIRouter | None:
        """None: this source reaches out to the platform."""
        return None

    async def start(self) -> None:
        """Connect in the background (a credential is read then: a missing one is a state, not a crash)."""
        self._runner.start()

    async def close(self) -> None:
        """Disconnect."""
        await self._runner.close()
