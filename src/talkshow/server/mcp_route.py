"""``/mcp`` built on its first request, so a studio no agent talks to never loads the MCP SDK.

The SDK and its pydantic types cost about 27 MB of the show's process and a second of its start,
for an endpoint most shows never see. The route is there from the start (when the ``mcp`` extra is
installed); its first request loads the SDK in a thread, and a task of the studio's lifespan owns
the MCP session manager from then until the studio stops (the manager's task group must be entered
and left in one task, so a request cannot own it).
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import importlib.util
import logging
from collections.abc import AsyncIterator
from typing import Any

from starlette.types import Receive, Scope, Send

__all__ = ["MCP_PATH", "OnDemandMcp", "mcp_installed"]

logger = logging.getLogger(__name__)
MCP_PATH = "/mcp"


def mcp_installed() -> bool:
    """Whether the ``mcp`` extra is installed (found, not imported)."""
    return importlib.util.find_spec("mcp") is not None


class OnDemandMcp:
    """The ASGI endpoint for ``/mcp``: the SDK's endpoint, made at the first request; ``running()`` is its
    lifetime, inside the studio's lifespan (as ``McpEndpoint.running`` is)."""

    def __init__(self, app: Any) -> None:
        self._app = app
        self._wanted: asyncio.Event | None = None
        self._ready: asyncio.Future[Any] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self._wanted is None or self._ready is None:
            raise RuntimeError("/mcp was called outside the studio's lifespan")
        self._wanted.set()
        endpoint = await asyncio.shield(self._ready)
        await endpoint(scope, receive, send)

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """Serve ``/mcp`` for as long as the context lasts (the SDK loaded only if a request comes)."""
        self._wanted, self._ready = asyncio.Event(), asyncio.get_running_loop().create_future()
        stop = asyncio.Event()
        owner = asyncio.create_task(self._own(self._wanted, self._ready, stop), name="mcp endpoint")
        try:
            yield
        finally:
            stop.set()
            if not self._wanted.is_set():
                owner.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await owner

    async def _own(self, wanted: asyncio.Event, ready: asyncio.Future[Any], stop: asyncio.Event) -> None:
        await wanted.wait()
        try:
            http = await asyncio.to_thread(importlib.import_module, "talkshow.mcp_server.http")
            endpoint = http.McpEndpoint(self._app)
        except Exception as exc:  # the request that asked gets the error; the studio goes on
            logger.exception("/mcp could not start")
            ready.set_exception(exc)
            return
        async with endpoint.running():
            ready.set_result(endpoint)
            await stop.wait()
