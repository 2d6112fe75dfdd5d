"""Keeps a show written: checks every line, and falls back to improv on failure.

A writer that fails mid-show never crashes the render: the lines already written
stay, the failure is reported once, and improv writes the rest.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

from talkshow.errors import WriterError
from talkshow.telemetry import Telemetry
from talkshow.writer.types import Line, Writer, WriteRequest, check_line

logger = logging.getLogger(__name__)

__all__ = ["ResilientWriter"]


class ResilientWriter:
    """Wraps a primary writer with line checks and a fallback writer."""

    def __init__(self, primary: Writer, fallback: Writer, telemetry: Telemetry, line_timeout_s: float = 30.0) -> None:
        self.primary = primary
        self.line_timeout_s = line_timeout_s
        self.fallback = fallback
        self.telemetry = telemetry
        self.name = primary.name
        self.fell_back = False

    async def lines(self, request: WriteRequest) -> AsyncIterator[Line]:
        """Yield ``request.turns`` checked lines, whatever the primary does."""
        produced: list[Line] = []
        lines = aiter(self.primary.lines(request))
        try:
            while True:
                try:
                    # A hung endpoint counts as a failure: the show cannot wait forever for a line.
                    line = await asyncio.wait_for(anext(lines), self.line_timeout_s)
                except StopAsyncIteration:
                    break
                except TimeoutError as exc:
                    raise WriterError(f"no line within {self.line_timeout_s:g} s") from exc
                try:
                    line = check_line(line, request.cast)
                except WriterError as exc:
                    logger.warning("skipping a line from %s: %s", self.primary.name, exc)
                    self.telemetry.emit("writer_error", writer=self.primary.name, error=str(exc))
                    continue
                produced.append(line)
                yield line
                if len(produced) >= request.turns:
                    return
        except Exception as exc:  # any writer failure must not end the show
            logger.warning(
                "writer %s failed after %d lines (%s); improv writes the rest", self.primary.name, len(produced), exc
            )
            self.telemetry.emit("writer_fallback", writer=self.primary.name, after_lines=len(produced), error=str(exc))
            self.fell_back = True
        remaining = request.turns - len(produced)
        if remaining <= 0:
            return
        rest = WriteRequest(request.topic, request.cast, remaining, request.seed, request.history + tuple(produced))
        async for line in self.fallback.lines(rest):
            yield check_line(line, request.cast)
