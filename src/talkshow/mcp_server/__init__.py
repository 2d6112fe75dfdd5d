"""talkshow as an MCP server: an agent steers the show with the studio's own API, over stdio or HTTP.

``talkshow mcp`` serves stdio for a desktop agent and calls a running studio over HTTP with its token;
``serve`` also answers at ``/mcp`` (streamable HTTP) on the studio's port, behind the same token and
cross-site checks as the rest of the API. Every tool is a call of the studio's API, so what an agent
pushes passes the same moderation as any other line. The ``mcp`` SDK is the ``mcp`` extra.
"""

from talkshow.mcp_server.tools import TOOL_NAMES, StudioApi, build_mcp

__all__ = ["TOOL_NAMES", "StudioApi", "build_mcp"]
