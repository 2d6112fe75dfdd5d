"""The studio web app: the page, the HLS files, the API, the live timeline; it runs the station it is given.

Starting the app starts the stream; stopping it (Ctrl-C, SIGTERM) ends the stream
cleanly, so the playlist gets its ENDLIST and no segment is left half written.
Every error a client causes comes back as JSON: ``{"error": "what was wrong"}``.
``RequestGuard`` checks Host, Origin, the token and the body size before any route runs.
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
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, HTTPException, Request, WebSocket, WebSocketDisconnect
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Route

from talkshow.characters.pack import user_packs_dir
from talkshow.redact import redact_text
from talkshow.server.agent_routes import agent_router
from talkshow.server.cast_routes import cast_router
from talkshow.server.hls_routes import PublishSignal, hls_router
from talkshow.server.mcp_route import MCP_PATH, OnDemandMcp, mcp_installed
from talkshow.server.memory_routes import memory_router
from talkshow.server.moderation_routes import held_router
from talkshow.server.openapi_truth import allowed_methods, describe_choices, documented_errors
from talkshow.server.overlay_routes import overlay_router
from talkshow.server.phone_routes import phone_router
from talkshow.server.security import LOOPBACK_NAMES, RateLimiter, RequestGuard, TokenGate
from talkshow.server.studio_routes import MAX_FORM_BYTES, api_router, status_snapshot
from talkshow.server.talk_routes import talk_router
from talkshow.server.tutor_routes import tutor_router
from talkshow.studio.studio import Studio
from talkshow.supervisor import Policy, Worker
from talkshow.tasks import TaskGroup
from talkshow.telemetry.metrics import MetricsSink
from talkshow.tutor.settings import TutorSettings
from talkshow.voice.cache import default_cache_dir

if TYPE_CHECKING:
    from talkshow.station.station import Station

logger = logging.getLogger(__name__)

__all__ = ["create_app", "find_hlsjs", "find_web_asset", "run_server"]

_STATIC_TYPES = {
    "index.html": "text/html",
    "studio.js": "text/javascript",
    "studio.css": "text/css",
    "talk.js": "text/javascript",
    "cast.js": "text/javascript",
    "overlay.js": "text/javascript",
}
_METRICS_BODY: dict[int | str, dict[str, Any]] = {
    200: {"description": "Prometheus text exposition 0.0.4", "content": {"text/plain": {"schema": {"type": "string"}}}}
}
_SWAGGER_FILES = {"swagger-ui-bundle.js": "text/javascript", "swagger-ui.css": "text/css"}


def find_web_asset(relative: str, start: Path | None = None) -> Path | None:
    """A file npm installed under ``web/node_modules`` (searched from cwd and the source tree)."""
    path = Path("web/node_modules") / relative
    roots = [start or Path.cwd(), *Path(__file__).resolve().parents]
    for root in roots:
        candidate = root / path
        if candidate.is_file():
            return candidate
    return None


def find_hlsjs(start: Path | None = None) -> Path | None:
    """hls.js as installed by npm into ``web/node_modules``."""
    return find_web_asset("hls.js/dist/hls.min.js", start)


def _mcp_endpoint(app: FastAPI) -> list[Any]:
    """``/mcp`` (the MCP server over streamable HTTP, loaded at its first request) when the ``mcp`` extra is
    installed; none otherwise."""
    if not mcp_installed():
        logger.info("no /mcp: the MCP SDK is not installed (pip install 'talkshow[mcp]')")
        return []
    endpoint = OnDemandMcp(app)
    app.router.routes.append(Route(MCP_PATH, endpoint, methods=["GET", "POST", "DELETE"]))
    return [endpoint]


def create_app(
    station: Station,
    hlsjs: Path | None,
    gate: TokenGate | None = None,
    topic_limiter: RateLimiter | None = None,
    hosts: frozenset[str] | None = LOOPBACK_NAMES,
) -> FastAPI:
    """The studio app for ``station`` (built elsewhere); the station runs for as long as the app does.

    With a ``gate`` that holds a token, control endpoints and the event stream need
    ``Authorization: Bearer <token>``. ``hosts`` are the names the Host header may carry
    (None: any, for a server bound beyond loopback, where the token guards).
    """
    studio, desk, board = station.studio, station.desk, station.switchboard
    show = studio.show
    hls_dir = show.hls_dir
    metrics = MetricsSink()
    show.telemetry.add_sink(metrics)
    gate = gate or TokenGate(None)

    published = PublishSignal()  # wakes blocking LL-HLS requests (hls_routes)
    show.ll_playlist.listen(published.fire)

    mcp: list[Any] = []  # the /mcp endpoint, once the app exists (it calls the app itself)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        published.attach(asyncio.get_running_loop())
        await station.start()
        tasks = TaskGroup("studio server")
        tasks.spawn(studio.hub.run(lambda: {**status_snapshot(studio), "line": station.line_summary()}), "event pump")
        try:
            async with contextlib.AsyncExitStack() as stack:
                for endpoint in mcp:
                    await stack.enter_async_context(endpoint.running())
                yield
        finally:
            tasks.cancel()
            await station.stop()

    app = FastAPI(
        title="talkshow studio",
        summary="Run, watch and steer live AI cartoon shows.",
        lifespan=lifespan,
        docs_url=None,  # served below from the npm package, not a CDN: /docs works offline
    )
    sockets = frozenset({"/api/events"}) if gate.required else frozenset()
    app.add_middleware(RequestGuard, gate=gate, hosts=hosts, max_body=MAX_FORM_BYTES, gated_sockets=sockets)
    app.include_router(api_router(studio, gate, topic_limiter or RateLimiter(burst=5, per_s=6.0)))
    app.include_router(held_router(studio, gate))
    app.include_router(memory_router(studio.recorder.memory.memory, gate))
    app.include_router(hls_router(hls_dir, show.ll_playlist, published))
    app.include_router(cast_router(user_packs_dir(), gate, show.config.cache_dir or default_cache_dir()))
    for chat_routes in station.chat.routes() if station.chat is not None else ():
        app.include_router(chat_routes)
    app.include_router(talk_router(desk, station.webrtc, gate, station.line_status, station.engine.settings.sfu_player))
    app.include_router(phone_router(board, gate))
    app.include_router(agent_router(station, gate))
    app.include_router(overlay_router(show))
    for router in tutor_router(desk, gate, lambda: station.engine.config.section(TutorSettings).learners):
        app.include_router(router)
    for transport in station.transports:
        routes = transport.routes()
        if routes is not None:
            app.include_router(routes)
    app.state.station = station
    mcp.extend(_mcp_endpoint(app))

    generated_schema = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = describe_choices(documented_errors(generated_schema()), studio.catalog.choices())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented way to extend the schema

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        headers = dict(exc.headers or {})
        if exc.status_code == 405:  # every method served here, not only those of the first route that matched
            headers["Allow"] = ", ".join(allowed_methods(app.openapi(), app.router.routes, request.scope))
        return JSONResponse({"error": exc.detail}, status_code=exc.status_code, headers=headers)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        # A bug, not the client's fault: say so in JSON and keep the connection; the stream is untouched.
        logger.exception("%s %s failed", request.method, request.url.path)
        return JSONResponse({"error": f"internal error: {redact_text(type(exc).__name__)}"}, status_code=500)

    @app.get("/healthz", tags=["telemetry"], responses={503: {"description": "no frame went out lately (why)"}})
    def healthz() -> JSONResponse:
        """200 while frames are going out (a liveness probe); 503 with the reason otherwise."""
        if show.healthy():
            return JSONResponse({"ok": True, "frames": show.frames_sent})
        reason = show.fatal_reason or "no frame went out in the last 2 s"
        return JSONResponse({"ok": False, "error": reason}, status_code=503)

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        if find_web_asset("swagger-ui-dist/swagger-ui-bundle.js") is None:
            return HTMLResponse(
                "<p>Swagger UI is not installed (run <code>make setup</code>); "
                'the schema is at <a href="/openapi.json">/openapi.json</a>.</p>'
            )
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="talkshow studio API",
            swagger_js_url="/vendor/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/vendor/swagger-ui/swagger-ui.css",
            swagger_favicon_url="/vendor/swagger-ui/favicon",
        )

    @app.get("/vendor/swagger-ui/{name}", include_in_schema=False)
    def swagger_file(name: str) -> Response:
        path = find_web_asset(f"swagger-ui-dist/{name}") if name in _SWAGGER_FILES else None
        if path is None:
            return Response(status_code=204) if name == "favicon" else _not_found(name)
        return FileResponse(path, media_type=_SWAGGER_FILES[name])

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [_describe(e) for e in exc.errors()]
        return JSONResponse({"error": "; ".join(problems), "problems": problems}, status_code=422)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def page() -> str:
        return _static_text("index.html")

    @app.get("/talk", response_class=HTMLResponse, include_in_schema=False)
    def talk_page() -> str:
        return _static_text("talk.html")

    @app.get("/cast", response_class=HTMLResponse, include_in_schema=False)
    def cast_page() -> str:
        return _static_text("cast.html")

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

    @app.get("/metrics", tags=["telemetry"], response_class=PlainTextResponse, responses=_METRICS_BODY)
    def prometheus() -> Response:
        """Prometheus metrics: compose time, lateness, turn gaps, TTS, queue depth, CPU, memory."""
        return Response(metrics.exposition(), media_type="text/plain; version=0.0.4; charset=utf-8")

    @app.websocket("/api/events")
    async def events(socket: WebSocket) -> None:
        """The live timeline: a JSON batch ten times a second (see docs/telemetry.md); gated like control."""
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


def _not_found(name: str) -> Response:
    return JSONResponse({"error": f"no such file: {name[:80]}"}, status_code=404)


def run_server(app: FastAPI, studio: Studio, host: str, port: int) -> None:
    """Serve until Ctrl-C / SIGTERM, the show's frame limit, or a stream that cannot go on."""
    import signal
    import threading

    import uvicorn

    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="on"))

    def stop_when_the_stream_ends(stop: threading.Event) -> None:
        # The pacer ends at the frame limit, or when the stream cannot go on (the supervisor
        # says why); either way the server shuts down cleanly and the CLI reports the exit code.
        while not stop.is_set():
            if studio.show.wait_stopped(timeout=0.5):
                server.should_exit = True
                return

    watch = Worker("stream-end-watch", stop_when_the_stream_ends, policy=Policy.FALLBACK)
    watch.start()
    # uvicorn shuts down gracefully on SIGINT/SIGTERM, then re-raises the signal to whatever
    # handler was there before; a no-op one lets the CLI report and exit with status 0.
    previous: dict[Any, Any] = {sig: signal.signal(sig, lambda *_: None) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        server.run()
    finally:
        watch.stop(timeout=1)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
