"""``talkshow mcp``: the MCP server on stdin/stdout, for an agent that starts it (a desktop agent's config)."""

from __future__ import annotations

from talkshow.core.errors import TalkshowError
from talkshow.mcp_server.tools import StudioApi, build_mcp

__all__ = ["serve_stdio"]


async def serve_stdio(url: str, token: str) -> None:
    """Serve MCP on stdio until the agent closes it; every tool calls the studio at ``url`` with ``token``."""
    try:
        import mcp  # noqa: F401
    except ImportError as exc:
        raise TalkshowError("talkshow mcp needs the MCP SDK: pip install 'talkshow[mcp]'") from exc
    api = StudioApi.remote(url, token)
    try:
        await build_mcp(api).run_stdio_async()
    finally:
        await api.aclose()
