"""``/mcp`` on the studio's port: the MCP server over streamable HTTP, inside the studio app.

Stateless, with JSON answers: each MCP request is one HTTP request, so nothing of an agent's session
lives in the studio. The studio's ``RequestGuard`` checks it first (the Host, a cross-site Origin,
and the token on every request to ``/mcp``); the SDK's own DNS-rebinding check is off, as it would
repeat the guard's with a narrower view of the Host names the studio answers to.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

from starlette.types import Receive, Scope, Send

from talkshow.mcp_server.tools import StudioApi, build_mcp

__all__ = ["McpEndpoint"]

logger = logging.getLogger(__name__)


class McpEndpoint:
    """The ASGI endpoint for ``/mcp``; ``running()`` is its lifetime, inside the studio's lifespan."""

    def __init__(self, app: Any) -> None:
        from mcp.server.transport_security import TransportSecuritySettings

        self.api = StudioApi.in_process(app)
        self.server = build_mcp(self.api)
        # The SDK builds its session manager with its app; the studio routes /mcp to the manager itself.
        self.server.streamable_http_app(
            json_response=True,
            stateless_http=True,
            transport_security=TransportSecuritySettings(enable_dns_rebinding_protection=False),
        )
        self.manager = self.server.session_manager

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.manager.handle_request(scope, receive, send)

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """Serve MCP requests for as long as the context lasts."""
        async with self.manager.run():
            try:
                yield
            finally:
                await self.api.aclose()
