"""Run as a script: a studio-like app with ``/mcp`` on demand, in a fresh interpreter; prints whether the MCP
SDK was loaded while the app ran with no agent, and the status of an agent's first request (then loaded)."""

from __future__ import annotations

import asyncio
import json
import sys

import httpx
from fastapi import FastAPI
from starlette.routing import Route

from talkshow.server.mcp_route import MCP_PATH, OnDemandMcp

INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "probe", "version": "1"}},
}


def _sdk_loaded() -> bool:
    return any(name == "mcp" or name.startswith("mcp.") for name in sys.modules)


async def main() -> dict[str, object]:
    app = FastAPI()
    endpoint = OnDemandMcp(app)
    app.router.routes.append(Route(MCP_PATH, endpoint, methods=["GET", "POST", "DELETE"]))
    async with endpoint.running():
        await asyncio.sleep(0.3)
        idle = _sdk_loaded()
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://studio") as client:
            answer = await client.post(
                MCP_PATH, json=INITIALIZE, headers={"Accept": "application/json, text/event-stream"}
            )
    return {"loaded_while_idle": idle, "status": answer.status_code, "loaded_after": _sdk_loaded()}


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main())))
