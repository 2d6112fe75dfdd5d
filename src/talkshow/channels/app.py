"""The house's page: every channel with its state and a link to its own studio, and ``/api/channels``.

Each channel serves its own studio (its page, its HLS, its WebRTC and its control API) on
its own port, from its own process: one studio's trouble stays with its channel. The house
also passes each channel's HLS through at ``/channels/NAME/hls/FILE``, an address that stays
the same when a channel on Ray moves to another node.
"""

from __future__ import annotations

import asyncio
import html
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, Protocol

import httpx
from fastapi import FastAPI, Request, Response
from fastapi.responses import HTMLResponse

from talkshow.channels.channel import ChannelState

logger = logging.getLogger(__name__)

__all__ = ["House", "house_app"]

PASSED_HEADERS = ("content-type", "cache-control")


class House(Protocol):
    """What the page needs of a house: this machine's (``ChannelHouse``) or a Ray cluster's (``RayChannelHouse``)."""

    exit_code: int

    async def run(self) -> int:
        """Run the channels until all have ended; the house's exit code."""

    def stop(self) -> None:
        """Stop every channel."""

    def status(self) -> list[dict[str, Any]]:
        """Every channel's state."""

    def studio(self, name: str) -> str | None:
        """Where a channel's studio answers now, or None."""


def house_app(house: House, done: asyncio.Event | None = None) -> FastAPI:
    """The app that runs ``house`` for as long as it serves; ``done`` is set when every channel has ended."""

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        async def run() -> None:
            try:
                await house.run()
            except Exception:  # the house must still stop its children; the error is in the log
                logger.exception("the channel house failed")
                house.exit_code = 1
            if done is not None:
                done.set()

        task = asyncio.create_task(run(), name="channel house")
        try:
            yield
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
            await asyncio.to_thread(house.stop)
            await http.aclose()

    app = FastAPI(title="talkshow channels", lifespan=lifespan)
    http = httpx.AsyncClient(timeout=10.0)

    @app.get("/channels/{name}/hls/{file}")
    async def hls(name: str, file: str, request: Request) -> Response:
        """A channel's playlist or segment, from its studio wherever it runs now (LL-HLS queries passed on)."""
        studio = house.studio(name)
        if studio is None:
            return Response(f"channel {name!r} is not on air", status_code=503)
        try:
            reply = await http.get(f"{studio}/hls/{file}", params=dict(request.query_params))
        except httpx.HTTPError as exc:
            return Response(f"channel {name!r} did not answer: {type(exc).__name__}", status_code=502)
        headers = {k: v for k, v in reply.headers.items() if k.lower() in PASSED_HEADERS}
        return Response(reply.content, status_code=reply.status_code, headers=headers)

    @app.get("/api/channels")
    def channels() -> dict[str, Any]:
        """Every channel: state, reason, studio address, cores, frames and late frames, restarts."""
        return {"channels": house.status()}

    @app.get("/healthz")
    def healthz() -> Response:
        """200 while every channel that was let in is on air."""
        down = [c["name"] for c in house.status() if c["state"] in (ChannelState.RESTARTING, ChannelState.FAILED)]
        return Response("ok" if not down else f"down: {', '.join(map(str, down))}", status_code=503 if down else 200)

    @app.get("/", response_class=HTMLResponse)
    def index() -> str:
        """The channels, with links to their studios (refreshes itself)."""
        rows = "".join(
            f"<tr><td><a href='{html.escape(str(c['studio']))}'>{html.escape(str(c['name']))}</a></td>"
            f"<td>{html.escape(str(c.get('node') or 'here'))}</td><td><a href='/channels/"
            f"{html.escape(str(c['name']))}/hls/live.m3u8'>HLS</a></td>"
            f"<td>{html.escape(str(c['state']))}</td><td>{c['size']}</td><td>{c['cpus'] or 'any'}</td>"
            f"<td>{c['cores']}</td><td>{c['frames']}</td><td>{c['late_frames']}</td><td>{c['restarts']}</td>"
            f"<td>{html.escape(str(c['reason']))}</td></tr>"
            for c in house.status()
        )
        return (
            "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>talkshow · channels</title>"
            "<meta http-equiv='refresh' content='2'><link rel='stylesheet' href='data:,'>"
            "<style>body{font:15px system-ui;margin:2em}td,th{padding:.3em .8em;text-align:left}</style></head>"
            "<body><h1>talkshow channels</h1><table><tr><th>channel</th><th>node</th><th>player</th><th>state</th>"
            "<th>size</th><th>cores</th>"
            "<th>using</th><th>frames</th><th>late</th><th>restarts</th><th>why</th></tr>"
            f"{rows}</table></body></html>"
        )

    return app
