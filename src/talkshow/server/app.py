"""The studio web server: the player page, the HLS files, status, and the engine's lifetime.

Starting the app starts the stream; stopping it (Ctrl-C, SIGTERM) ends the stream
cleanly, so the playlist gets its ENDLIST and no segment is left half written.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, File, Form, Header, HTTPException, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response

from talkshow.audio import AudioDecodeError
from talkshow.broadcast.hls import PLAYLIST_NAME
from talkshow.errors import InputError, UnknownCharacterError
from talkshow.live import LiveEngine
from talkshow.telemetry.metrics import MetricsSink

logger = logging.getLogger(__name__)

__all__ = ["create_app", "find_hlsjs", "run_server"]

MAX_UPLOAD_BYTES = 20 * 2**20
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


def create_app(engine: LiveEngine, hlsjs: Path | None, token: str | None = None) -> FastAPI:
    """The studio app for ``engine``; the engine runs for as long as the app does.

    With a ``token``, control endpoints (``/api/say``) need ``Authorization: Bearer <token>``.
    """
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

    def authorize(authorization: str | None) -> JSONResponse | None:
        if token is not None and not secrets.compare_digest(authorization or "", f"Bearer {token}"):
            return _error(401, "missing or wrong bearer token")
        return None

    @app.post("/api/say", status_code=202)
    async def say(
        character: Annotated[str, Form()],
        text: Annotated[str, Form()] = "",
        emotion: Annotated[str, Form()] = "neutral",
        audio: Annotated[UploadFile | None, File()] = None,
        authorization: Annotated[str | None, Header()] = None,
    ) -> JSONResponse:
        """Put a line on air next: text in the character's voice, or an audio clip (text optional)."""
        denied = authorize(authorization)
        if denied is not None:
            return denied
        data = None
        if audio is not None:
            data = await audio.read(MAX_UPLOAD_BYTES + 1)
            if len(data) > MAX_UPLOAD_BYTES:
                return _error(413, f"audio is larger than {MAX_UPLOAD_BYTES // 2**20} MB")
        try:
            turn = await asyncio.to_thread(engine.say, character, text, data, emotion)
        except UnknownCharacterError as exc:
            return _error(404, str(exc))
        except AudioDecodeError as exc:
            return _error(415, str(exc))
        except InputError as exc:
            return _error(400, str(exc))
        body = {
            "turn": turn.index,
            "character": turn.line.speaker,
            "audio_s": round(len(turn.audio) / engine.clock.sample_rate, 3),
            "prep_ms": round(turn.timings["prep_ms"], 3),
        }
        return JSONResponse(body, status_code=202)

    @app.get("/api/characters")
    def characters() -> JSONResponse:
        """The cast on air: id, name, character pack and voice."""
        cast = [
            {"id": m.id, "name": m.name, "pack": m.pack, "voice": m.voice.voice, "engine": m.voice.engine}
            for m in engine.config.cast
        ]
        return JSONResponse(cast)

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


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


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
