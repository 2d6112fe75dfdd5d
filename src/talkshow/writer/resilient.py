"""Keeps a show written: checks every line, and falls back to improv on failure.

A writer that fails mid-show never crashes the render: the lines already written
stay, the failure is reported once, and improv writes the rest. Each line has a
deadline (from ``deadline_s``: how much air is already prepared), so a slow or
hung endpoint costs at most one deadline; the breaker then keeps the primary out
of the next shows for a while.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncGenerator, Callable

from talkshow.core.errors import WriterError
from talkshow.core.kinds.writer import Line, Writer, WriteRequest, check_line
from talkshow.telemetry.events import Telemetry
from talkshow.writer.breaker import WriterBreaker

logger = logging.getLogger(__name__)

__all__ = ["ResilientWriter"]


class ResilientWriter:
    """Wraps a primary writer with line checks, a deadline per line and a fallback writer."""

    def __init__(
        self,
        primary: Writer,
        fallback: Writer,
        telemetry: Telemetry,
        line_timeout_s: float = 30.0,
        breaker: WriterBreaker | None = None,
        deadline_s: Callable[[], float] | None = None,
    ) -> None:
        self.primary = primary
        self.line_timeout_s = line_timeout_s
        self.fallback = fallback
        self.telemetry = telemetry
        self.breaker = breaker or WriterBreaker(telemetry)
        # Asked before each line; the preparer answers from the air it already holds.
        self.deadline_s = deadline_s or (lambda: line_timeout_s)
        self.name = primary.name
        self.fell_back = False

    async def lines(self, request: WriteRequest) -> AsyncGenerator[Line, None]:
        """Yield ``request.turns`` checked lines, whatever the primary does."""
        produced: list[Line] = []
        if self.breaker.allows_primary():
            # aclosing here too: if the show stops mid-reply, the primary's HTTP stream must
            # close in this task, not later from the garbage collector once the loop is gone.
            async with contextlib.aclosing(self._from_primary(request, produced)) as primary_lines:
                async for line in primary_lines:
                    yield line
        else:
            logger.info("writer %s is resting after a failure; improv writes this show", self.primary.name)
            self.fell_back = True
        remaining = request.turns - len(produced)
        if remaining <= 0:
            return
        rest = WriteRequest(request.topic, request.cast, remaining, request.seed, request.history + tuple(produced))
        async with contextlib.aclosing(self.fallback.lines(rest)) as fallback_lines:
            async for line in fallback_lines:
                yield check_line(line, request.cast)

    async def _from_primary(self, request: WriteRequest, produced: list[Line]) -> AsyncGenerator[Line, None]:
        # aclosing: an abandoned generator would otherwise be closed later from another
        # task, where the HTTP client's cleanup fails (the old "ERROR asyncio" on every show).
        async with contextlib.aclosing(self.primary.lines(request)) as lines:
            try:
                while len(produced) < request.turns:
                    limit = min(self.line_timeout_s, self.deadline_s())
                    try:
                        # asyncio.timeout, not wait_for: on 3.11 wait_for runs anext in another task.
                        async with asyncio.timeout(limit):
                            line = await anext(lines)
                    except StopAsyncIteration:
                        break
                    except TimeoutError as exc:
                        raise WriterError(f"no line within its deadline of {limit:.1f} s") from exc
                    try:
                        line = check_line(line, request.cast)
                    except WriterError as exc:
                        logger.warning("skipping a line from %s: %s", self.primary.name, exc)
                        self.telemetry.emit("writer_error", writer=self.primary.name, error=str(exc))
                        continue
                    produced.append(line)
                    self.breaker.succeeded(self.primary.name)
                    yield line
            except Exception as exc:  # any writer failure must not end the show
                logger.warning(
                    "writer %s failed after %d lines (%s); improv writes the rest",
                    self.primary.name,
                    len(produced),
                    exc,
                )
                self.telemetry.emit(
                    "writer_fallback", writer=self.primary.name, after_lines=len(produced), error=str(exc)
                )
                self.breaker.failed(self.primary.name, str(exc))
                self.fell_back = True
