"""The house's page: every channel with its state and a link to its own studio, and ``/api/channels``.

Each channel serves its own studio (its page, its HLS, its WebRTC and its control API) on
its own port, from its own process: one studio's trouble stays with its channel.
"""

from __future__ import annotations

import asyncio
import html
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Response
from fastapi.responses import HTMLResponse

from talkshow.channels.channel import ChannelState
from talkshow.channels.house import ChannelHouse

logger = logging.getLogger(__name__)

__all__ = ["house_app"]


def house_app(house: ChannelHouse, done: asyncio.Event | None = None) -> FastAPI:
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

    app = FastAPI(title="talkshow channels", lifespan=lifespan)

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
            f"<td>{html.escape(str(c['state']))}</td><td>{c['size']}</td><td>{c['cpus'] or 'any'}</td>"
            f"<td>{c['cores']}</td><td>{c['frames']}</td><td>{c['late_frames']}</td><td>{c['restarts']}</td>"
            f"<td>{html.escape(str(c['reason']))}</td></tr>"
            for c in house.status()
        )
        return (
            "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>talkshow · channels</title>"
            "<meta http-equiv='refresh' content='2'><link rel='stylesheet' href='data:,'>"
            "<style>body{font:15px system-ui;margin:2em}td,th{padding:.3em .8em;text-align:left}</style></head>"
            "<body><h1>talkshow channels</h1><table><tr><th>channel</th><th>state</th><th>size</th><th>cores</th>"
            "<th>using</th><th>frames</th><th>late</th><th>restarts</th><th>why</th></tr>"
            f"{rows}</table></body></html>"
        )

    return app
