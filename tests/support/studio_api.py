"""Calling the studio's ASGI app in-process, for tests that need no server."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx


def call(app: Any, *requests: tuple[str, str, dict[str, Any]]) -> list[httpx.Response]:
    """Send requests in order through the ASGI transport."""

    async def run() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            return [await client.request(method, url, **kw) for method, url, kw in requests]

    return asyncio.run(run())
