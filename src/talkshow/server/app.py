"""The studio web server: the player page, the HLS files, status, and the engine's lifetime.

Starting the app starts the stream; stopping it (Ctrl-C, SIGTERM) ends the stream
cleanly, so the playlist gets its ENDLIST and no segment is left half written.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI, HTTPException
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response

from talkshow.broadcast.hls import PLAYLIST_NAME
from talkshow.live import LiveEngine
from talkshow.telemetry.metrics import MetricsSink

logger = logging.getLogger(__name__)

__all__ = ["create_app", "find_hlsjs", "run_server"]

_MEDIA_TYPES = {".m3u8": "application/vnd.apple.mpegurl", ".ts": "video/mp2t"}


def find_hlsjs(start: Path | None = None) -> Path | None:
    """hls.js as installed by npm into ``web/node_modules`` (searched from cwd and the source tree)."""
    relative = Path("web/node_modules/hls.js/dist/hls.min.js")
    roots = [start or Path.cwd(), *Path(__file__).resolve().parents]
    for root in roots:
        candidate = root / relative
        if candidate.is_file():
            return candidate
    return None


def create_app(engine: LiveEngine, hlsjs: Path | None) -> FastAPI:
    """The studio app for ``engine``; the engine runs for as long as the app does."""
    hls_dir = engine.settings.hls_dir
    metrics = MetricsSink()
    engine.telemetry.add_sink(metrics)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        engine.start()
        try:
            yield
        finally:
            engine.stop()

    app = FastAPI(title="talkshow studio", lifespan=lifespan)

    @app.get("/", response_class=HTMLResponse)
    def page() -> str:
        return resources.files("talkshow.server").joinpath("static/index.html").read_text(encoding="utf-8")

    @app.get("/vendor/hls.min.js")
    def vendor_hlsjs() -> FileResponse:
        if hlsjs is None:
            raise HTTPException(404, "hls.js is not installed: run `make setup` (npm install in web/)")
        return FileResponse(hlsjs, media_type="text/javascript")

    @app.get("/hls/{name}")
    def hls_file(name: str) -> FileResponse:
        path = hls_dir / name
        suffix = path.suffix
        if "/" in name or suffix not in _MEDIA_TYPES or not path.is_file():
            raise HTTPException(404, f"no such stream file: {name}")
        # The playlist changes every second; segments never change once written.
        cache = "no-cache" if suffix == ".m3u8" else "max-age=60"
        return FileResponse(path, media_type=_MEDIA_TYPES[suffix], headers={"Cache-Control": cache})

    @app.get("/metrics")
    def prometheus() -> Response:
        return Response(metrics.exposition(), media_type="text/plain; version=0.0.4; charset=utf-8")

    @app.get("/api/status")
    def status() -> JSONResponse:
        stats = engine.stats
        body: dict[str, Any] = {
            "playlist": f"/hls/{PLAYLIST_NAME}",
            "frames": stats.frames,
            "late_frames": stats.late,
            "repeated_frames": stats.repeated,
            "max_lateness_ms": round(stats.max_lateness_ms, 3),
            "segments_published": engine.hls.published,
            "shows_started": engine.programme.shows_started,
            "shows_done": engine.programme.shows_done,
            "turns_done": engine.director.turns_done,
            "on_air": engine.director.on_air.line.text if engine.director.on_air else None,
            "cpu_cores": round(engine.resources.mean_cores, 3),
        }
        return JSONResponse(body)

    return app


def run_server(app: FastAPI, engine: LiveEngine, host: str, port: int) -> None:
    """Serve until Ctrl-C / SIGTERM, or until the engine reaches its frame limit."""
    import signal
    import threading

    import uvicorn

    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="on"))

    def stop_at_frame_limit() -> None:
        if engine.settings.frame_limit:
            engine.pacer.done.wait()
            server.should_exit = True

    threading.Thread(target=stop_at_frame_limit, name="frame-limit-watch", daemon=True).start()
    # uvicorn shuts down gracefully on SIGINT/SIGTERM, then re-raises the signal to whatever
    # handler was there before; a no-op one lets the CLI report and exit with status 0.
    previous = {sig: signal.signal(sig, lambda *_: None) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        server.run()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
