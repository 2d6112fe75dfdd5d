"""The studio web app: the page, the HLS files, the API, the live timeline, and the engine's lifetime.

Starting the app starts the stream; stopping it (Ctrl-C, SIGTERM) ends the stream
cleanly, so the playlist gets its ENDLIST and no segment is left half written.
Every error a client causes comes back as JSON: ``{"error": "what was wrong"}``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI, HTTPException, Request, WebSocket, WebSocketDisconnect
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from talkshow.server.api import MAX_UPLOAD_BYTES, api_router, status_snapshot
from talkshow.server.security import RateLimiter, TokenGate
from talkshow.server.studio import Studio
from talkshow.telemetry.metrics import MetricsSink

logger = logging.getLogger(__name__)

__all__ = ["create_app", "find_hlsjs", "run_server"]

_MEDIA_TYPES = {".m3u8": "application/vnd.apple.mpegurl", ".ts": "video/mp2t"}
_STATIC_TYPES = {"index.html": "text/html", "studio.js": "text/javascript", "studio.css": "text/css"}


def find_hlsjs(start: Path | None = None) -> Path | None:
    """hls.js as installed by npm into ``web/node_modules`` (searched from cwd and the source tree)."""
    relative = Path("web/node_modules/hls.js/dist/hls.min.js")
    roots = [start or Path.cwd(), *Path(__file__).resolve().parents]
    for root in roots:
        candidate = root / relative
        if candidate.is_file():
            return candidate
    return None


def create_app(
    studio: Studio,
    hlsjs: Path | None,
    gate: TokenGate | None = None,
    topic_limiter: RateLimiter | None = None,
) -> FastAPI:
    """The studio app for ``studio``; its engine runs for as long as the app does.

    With a ``gate`` that holds a token, control endpoints need ``Authorization: Bearer <token>``.
    """
    engine = studio.engine
    hls_dir = engine.settings.hls_dir
    metrics = MetricsSink()
    engine.telemetry.add_sink(metrics)
    gate = gate or TokenGate(None)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await asyncio.to_thread(engine.start)
        pump = asyncio.create_task(studio.hub.run(lambda: status_snapshot(studio)))
        try:
            yield
        finally:
            pump.cancel()
            await asyncio.to_thread(engine.stop)
            studio.close()

    app = FastAPI(
        title="talkshow studio",
        summary="Run, watch and steer live AI cartoon shows.",
        lifespan=lifespan,
    )
    app.add_middleware(_BodyLimit, max_bytes=MAX_UPLOAD_BYTES + 64 * 1024)  # the clip plus the form around it
    app.include_router(api_router(studio, gate, topic_limiter or RateLimiter(burst=5, per_s=6.0)))

    @app.exception_handler(HTTPException)
    async def http_error(_: Request, exc: HTTPException) -> JSONResponse:
        return JSONResponse({"error": exc.detail}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [_describe(e) for e in exc.errors()]
        return JSONResponse({"error": "; ".join(problems), "problems": problems}, status_code=422)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def page() -> str:
        return _static_text("index.html")

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str) -> Response:
        if name not in _STATIC_TYPES:
            raise HTTPException(404, f"no such file: {name}")
        return Response(_static_text(name), media_type=_STATIC_TYPES[name])

    @app.get("/vendor/hls.min.js", include_in_schema=False)
    def vendor_hlsjs() -> FileResponse:
        if hlsjs is None:
            raise HTTPException(404, "hls.js is not installed: run `make setup` (npm install in web/)")
        return FileResponse(hlsjs, media_type="text/javascript")

    @app.get("/hls/{name}", include_in_schema=False)
    def hls_file(name: str) -> Response:
        path = hls_dir / name
        suffix = path.suffix
        if "/" in name or suffix not in _MEDIA_TYPES or not path.is_file():
            raise HTTPException(404, f"no such stream file: {name}")
        if suffix == ".m3u8":
            # Replaced every second by a rename: read it whole, or its size and bytes could differ.
            headers = {"Cache-Control": "no-cache"}
            return Response(path.read_bytes(), media_type=_MEDIA_TYPES[suffix], headers=headers)
        # Segments never change once written.
        return FileResponse(path, media_type=_MEDIA_TYPES[suffix], headers={"Cache-Control": "max-age=60"})

    @app.get("/metrics", tags=["telemetry"])
    def prometheus() -> Response:
        """Prometheus metrics: compose time, lateness, turn gaps, TTS, queue depth, CPU, memory."""
        return Response(metrics.exposition(), media_type="text/plain; version=0.0.4; charset=utf-8")

    @app.websocket("/api/events")
    async def events(socket: WebSocket) -> None:
        """The live timeline: a JSON batch ten times a second (see docs/telemetry.md)."""
        await socket.accept()
        subscriber = studio.hub.subscribe()
        try:
            await socket.send_text(json.dumps({"hello": status_snapshot(studio)}))
            while not subscriber.overflowed:
                with contextlib.suppress(TimeoutError):
                    await socket.send_text(await asyncio.wait_for(subscriber.queue.get(), timeout=1.0))
            await socket.close(code=1013, reason="too slow to keep up; reconnect")
        except WebSocketDisconnect:
            pass
        finally:
            studio.hub.unsubscribe(subscriber)

    return app


def _describe(error: Any) -> str:
    """One validation problem as ``field: what is wrong``."""
    if error.get("type") == "json_invalid":
        return f"body: not valid JSON ({error.get('ctx', {}).get('error', 'parse error')})"
    return f"{'.'.join(str(p) for p in error['loc'][1:]) or 'body'}: {error['msg']}"


def _static_text(name: str) -> str:
    return resources.files("talkshow.server").joinpath(f"static/{name}").read_text(encoding="utf-8")


class _BodyLimit:
    """Refuses a request whose declared body is over the limit before anything reads it."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            length = dict(scope["headers"]).get(b"content-length", b"0")
            if length.isdigit() and int(length) > self.max_bytes:
                body = {"error": f"request body is {int(length)} bytes; uploads are limited to 20 MB"}
                await JSONResponse(body, status_code=413)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def run_server(app: FastAPI, studio: Studio, host: str, port: int) -> None:
    """Serve until Ctrl-C / SIGTERM, or until the engine reaches its frame limit."""
    import signal
    import threading

    import uvicorn

    engine = studio.engine
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="on"))

    def stop_at_frame_limit() -> None:
        if engine.settings.frame_limit:
            engine.pacer.done.wait()
            server.should_exit = True

    threading.Thread(target=stop_at_frame_limit, name="frame-limit-watch", daemon=True).start()
    # uvicorn shuts down gracefully on SIGINT/SIGTERM, then re-raises the signal to whatever
    # handler was there before; a no-op one lets the CLI report and exit with status 0.
    previous: dict[Any, Any] = {sig: signal.signal(sig, lambda *_: None) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        server.run()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
