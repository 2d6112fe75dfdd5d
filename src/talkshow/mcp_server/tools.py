"""The MCP tools and resources, each one call of the studio's HTTP API (``StudioApi``).

The MCP SDK (the ``mcp`` extra) is imported here and in the modules beside it only: ``serve`` mounts
``/mcp`` when it imports, and goes on without it when it does not.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError

from talkshow.core.errors import TalkshowError

__all__ = ["TOOL_NAMES", "StudioApi", "StudioApiError", "build_mcp"]

TOOL_NAMES = (
    "queue_topic", "start_show", "skip_show", "stop_show", "say_line", "react", "hold", "dump",
    "time_out_viewer", "ban_viewer", "status", "transcript",
)  # fmt: skip


class StudioApiError(TalkshowError, ToolError):
    """The studio refused or failed a call; the message is the studio's own (and, as the SDK's ToolError, the
    agent reads it: "HTTP 422: held by moderation ...")."""


class StudioApi:
    """The studio's API for the tools: a URL and token (``talkshow mcp``), or the app itself in process (``/mcp``,
    where each call carries the Authorization the MCP request came with)."""

    def __init__(self, client: httpx.AsyncClient, token: str = "") -> None:
        self.client = client
        self.token = token

    @classmethod
    def remote(cls, url: str, token: str = "", timeout_s: float = 20.0) -> StudioApi:
        """The studio at ``url`` (``http://127.0.0.1:8000``), with its control token."""
        return cls(httpx.AsyncClient(base_url=url.rstrip("/"), timeout=timeout_s), token)

    @classmethod
    def in_process(cls, app: Any, timeout_s: float = 20.0) -> StudioApi:
        """The studio app itself, called without a socket (``httpx.ASGITransport``)."""
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 0))
        return cls(httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1", timeout=timeout_s))

    async def call(self, method: str, path: str, authorization: str = "", **kwargs: Any) -> Any:
        """One API call; the JSON answer, or StudioApiError with the studio's reason."""
        headers = {"Authorization": authorization or (f"Bearer {self.token}" if self.token else "")}
        try:
            reply = await self.client.request(method, path, headers={k: v for k, v in headers.items() if v}, **kwargs)
        except httpx.HTTPError as exc:  # not running, or gone: the agent is told where it looked
            raise StudioApiError(f"the studio at {self.client.base_url} did not answer: {exc}") from exc
        try:
            body = reply.json()
        except ValueError:
            body = {"error": reply.text[:300]}
        if reply.status_code >= 400:
            raise StudioApiError(
                f"HTTP {reply.status_code}: {body.get('error', body) if isinstance(body, dict) else body}"
            )
        return body

    async def aclose(self) -> None:
        """Close the HTTP client."""
        await self.client.aclose()


def build_mcp(api: StudioApi) -> MCPServer:
    """The MCP server (the SDK's ``MCPServer``): the tools of ``TOOL_NAMES`` and the resources
    ``talkshow://status`` and ``talkshow://transcript``."""
    server = MCPServer(
        "talkshow",
        instructions="Steer a live AI cartoon show: queue topics, make a character say or react to something "
        "(every line passes moderation), run or hold the show, moderate chat, read the status and transcript.",
    )

    def auth(ctx: Context) -> str:
        request = ctx.request_context.request if ctx is not None else None
        headers = getattr(request, "headers", None)
        return str(headers.get("authorization", "")) if headers is not None else ""

    @server.tool()
    async def queue_topic(topic: str, ctx: Context) -> dict[str, Any]:
        """Queue a show about ``topic`` (checked by moderation); it airs after the ones before it."""
        return dict(await api.call("POST", "/api/topics", auth(ctx), json={"topic": topic}))

    @server.tool()
    async def start_show(ctx: Context) -> dict[str, Any]:
        """Run shows from the queue (after a stop or hold)."""
        return dict(await api.call("POST", "/api/control/start", auth(ctx)))

    @server.tool()
    async def skip_show(ctx: Context) -> dict[str, Any]:
        """End the show on air after its current line; the next queued show follows."""
        return dict(await api.call("POST", "/api/control/skip", auth(ctx)))

    @server.tool()
    async def stop_show(ctx: Context) -> dict[str, Any]:
        """End the show on air and start no other; the stream stays up on the idle scene."""
        return dict(await api.call("POST", "/api/control/stop", auth(ctx)))

    @server.tool()
    async def say_line(character: str, text: str, ctx: Context) -> dict[str, Any]:
        """``character`` (a cast id) says ``text`` on air next, after moderation; a held line does not air."""
        form = {"character": character, "text": text}
        return dict(await api.call("POST", "/api/say", auth(ctx), files={k: (None, v) for k, v in form.items()}))

    @server.tool()
    async def react(character: str, moment: str, ctx: Context) -> dict[str, Any]:
        """``character`` reacts to ``moment`` ("I just lost the boss fight"), written in character, on air next."""
        return dict(await api.call("POST", "/api/react", auth(ctx), json={"character": character, "moment": moment}))

    @server.tool()
    async def hold(ctx: Context) -> dict[str, Any]:
        """Hold the show: the one on air ends and no other starts until start_show."""
        return dict(await api.call("POST", "/api/control/stop", auth(ctx)))

    @server.tool()
    async def dump(ctx: Context) -> dict[str, Any]:
        """The broadcast delay's dump: what is still held back never reaches the outputs."""
        return dict(await api.call("POST", "/api/control/dump", auth(ctx)))

    @server.tool()
    async def time_out_viewer(platform: str, user_id: str, seconds: float, ctx: Context) -> dict[str, Any]:
        """Time a chat viewer out for ``seconds``: their lines not yet aired are taken off."""
        body = {"platform": platform, "user_id": user_id, "seconds": seconds}
        return dict(await api.call("POST", "/api/chat/removals", auth(ctx), json=body))

    @server.tool()
    async def ban_viewer(platform: str, user_id: str, ctx: Context) -> dict[str, Any]:
        """Ban a chat viewer: their lines not yet aired are taken off, and nothing more of theirs is read."""
        body = {"platform": platform, "user_id": user_id, "seconds": 0}
        return dict(await api.call("POST", "/api/chat/removals", auth(ctx), json=body))

    @server.tool()
    async def status(ctx: Context) -> dict[str, Any]:
        """What is on air, the queue's length and the studio's counters."""
        return dict(await api.call("GET", "/api/status", auth(ctx)))

    @server.tool()
    async def transcript(ctx: Context, limit: int = 20) -> dict[str, Any]:
        """The last ``limit`` lines that aired (1-200), oldest first."""
        return dict(await api.call("GET", "/api/lines", auth(ctx), params={"limit": max(1, min(limit, 200))}))

    @server.resource("talkshow://status", mime_type="application/json")
    async def status_resource() -> str:
        """The show's status, as JSON."""
        return json.dumps(await api.call("GET", "/api/status"))

    @server.resource("talkshow://transcript", mime_type="application/json")
    async def transcript_resource() -> str:
        """The live transcript's last 50 lines, as JSON."""
        return json.dumps(await api.call("GET", "/api/lines", params={"limit": 50}))

    return server
