"""The studio's cast editor: import an avatar, map its mouths, pick its voice, preview it in the set.

An avatar file is a stranger's: it is read, checked and converted in a child process with a
memory cap, a CPU-time cap, a lower priority and a deadline, so a hostile or huge file can
fail only that child, never the live show. The preview clip (the pack saying a test line in
the set, voiced and lip-synced) is rendered the same way. Every route is control: off
loopback it needs the studio token.

The stage draws its characters when the stream starts, so a saved pack goes on air in the
next ``talkshow serve --cast NAME,duke``; the editor shows that command.
"""

from __future__ import annotations

import asyncio
import contextlib
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import FileResponse, Response
from pydantic import BaseModel, Field

from talkshow.characters.editing import edit_pack, imported_packs, pack_summary, set_mouths, set_voice
from talkshow.characters.layered import load_layered_pack
from talkshow.core.errors import TalkshowError
from talkshow.limited_run import limited_argv
from talkshow.server.models import PLAIN_TEXT
from talkshow.server.openapi_truth import CONFLICT
from talkshow.server.security import TokenGate, control_dependency

__all__ = ["cast_router"]

MAX_AVATAR_BYTES = 20 * 2**20  # the studio's upload limit (the command line takes up to 64 MB)
_FILENAME = r"^[^/\\\x00-\x1f]*[^/\\.\x00-\x1f]\.[A-Za-z0-9]+$"  # a name with a suffix naming its format
_AVATAR_BODY = {
    "requestBody": {
        "required": True,
        "description": "the avatar file itself (a PNGTuber Plus .save, a VTube-style folder zipped, ...)",
        "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
    }
}
CHILD_MEMORY_MB = 3072  # a 4096x4096 sheet decoded, resized and flattened fits well inside this
IMPORT_DEADLINE_S = 60.0
PREVIEW_DEADLINE_S = 90.0


class MouthMap(BaseModel):
    """Rhubarb shape (A-H, X) -> sprite id; empty to open the talking sprites on the cues instead."""

    mouths: dict[str, str] = Field(description="all nine shapes, or none")


class VoiceChoice(BaseModel):
    """The pack's voice: an engine and voice from GET /api/voices, pitch, rate and vocal-tract ratio."""

    engine: str = Field(default="piper", max_length=40)
    voice: str = Field(default="joe", max_length=200)
    pitch: int = Field(default=50, ge=0, le=100)
    rate: int = Field(default=175, ge=80, le=450)
    formants: float | None = Field(default=None, ge=0.7, le=1.4)


class PreviewRequest(BaseModel):
    """A test line for the preview, and optionally a voice to hear before saving it."""

    text: str = Field(default="Hello! I am new here, and I have opinions about soup.", min_length=1, max_length=200)
    voice: VoiceChoice | None = None


def cast_router(packs_dir: Path, gate: TokenGate, cache_dir: Path) -> APIRouter:
    """Routes under ``/api/cast`` for imported packs in ``packs_dir`` (previews voice into ``cache_dir``)."""
    router = APIRouter(prefix="/api/cast", tags=["cast"], dependencies=[Depends(control_dependency(gate))])
    busy = asyncio.Semaphore(1)  # one import or preview at a time: the show has the other core

    @router.get("/packs")
    def packs() -> dict[str, Any]:
        """The imported packs, with their sprites, mouth map and voice."""
        found = []
        for folder in imported_packs(packs_dir):
            with contextlib.suppress(TalkshowError):  # a pack broken on disk is left out, not fatal
                found.append(pack_summary(folder))
        return {"packs": found}

    @router.post("/import", status_code=201, openapi_extra=_AVATAR_BODY, responses=CONFLICT)
    async def import_file(
        request: Request,
        filename: Annotated[str, Query(min_length=3, max_length=200, pattern=_FILENAME)],
        id: Annotated[str, Query(max_length=40, pattern=r"^[A-Za-z0-9_-]*$")] = "",
        name: Annotated[str, Query(max_length=40, pattern=PLAIN_TEXT)] = "",
        replace: bool = False,
    ) -> dict[str, Any]:
        """Import an avatar file sent as the request body (``?filename=my.save`` names its format)."""
        body = await _bounded_body(request, MAX_AVATAR_BYTES)
        suffix = Path(filename).suffix.lower()
        if not suffix.isascii() or not suffix[1:].isalnum():
            raise HTTPException(400, f"filename {filename[:60]!r} needs a suffix that names its format (.save)")
        stem = Path(filename).stem[:40] or "avatar"
        async with _one_at_a_time(busy):
            with tempfile.TemporaryDirectory(prefix="talkshow-import-") as work:
                upload = Path(work) / f"{_safe_stem(stem)}{suffix}"
                upload.write_bytes(body)
                args = [str(upload), str(packs_dir), "--id", id, "--name", name, *(["--replace"] if replace else [])]
                shown = (str(upload), filename[:60])
                printed = await _run_child(
                    "talkshow.characters.importing", args, IMPORT_DEADLINE_S, "the import", shown
                )
        return pack_summary(_pack(packs_dir, Path(printed.splitlines()[-1]).name))

    @router.put("/packs/{pack}/mouths")
    def mouths(pack: str, body: MouthMap) -> dict[str, Any]:
        """Save the mouth map."""
        folder = _pack(packs_dir, pack)
        _edit(lambda: set_mouths(folder, body.mouths))
        return pack_summary(folder)

    @router.put("/packs/{pack}/voice")
    def voice(pack: str, body: VoiceChoice) -> dict[str, Any]:
        """Save the pack's voice."""
        folder = _pack(packs_dir, pack)
        _edit(lambda: set_voice(folder, body.model_dump(exclude_none=True)))
        return pack_summary(folder)

    @router.get("/packs/{pack}/sprites/{sprite}")
    def sprite(pack: str, sprite: str) -> FileResponse:
        """One sprite's image (the mouth map's thumbnails)."""
        folder = _pack(packs_dir, pack)
        spec = next((s for s in load_layered_pack(folder).sprites if s.id == sprite), None)
        if spec is None:
            raise HTTPException(404, f"pack {pack!r} has no sprite {sprite[:40]!r}")
        return FileResponse(folder / spec.file, media_type="image/png")  # checked inside the pack at load

    @router.post("/packs/{pack}/preview")
    async def preview(pack: str, body: PreviewRequest) -> Response:
        """A short MP4 of the pack saying the line in the set, with its saved voice or ``voice``."""
        folder = _pack(packs_dir, pack)
        voice_json = body.voice.model_dump_json(exclude_none=True) if body.voice else ""
        async with _one_at_a_time(busy):
            with tempfile.TemporaryDirectory(prefix="talkshow-preview-") as work:
                out = Path(work) / "preview.mp4"
                args = [str(folder), str(out), "--text", body.text, "--voice", voice_json, "--cache", str(cache_dir)]
                await _run_child("talkshow.station.preview", args, PREVIEW_DEADLINE_S, "the preview")
                return Response(out.read_bytes(), media_type="video/mp4")

    return router


def _pack(packs_dir: Path, name: str) -> Path:
    try:
        return edit_pack(packs_dir, name)
    except TalkshowError as exc:
        raise HTTPException(404, str(exc)) from exc


def _edit(change: Any) -> None:
    try:
        change()
    except (TalkshowError, ValueError) as exc:
        raise HTTPException(400, str(exc)) from exc


def _safe_stem(stem: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in stem) or "avatar"


@contextlib.asynccontextmanager
async def _one_at_a_time(busy: asyncio.Semaphore) -> Any:
    if busy.locked():
        raise HTTPException(
            409, "an import or preview is running; try again when it is done", headers={"Retry-After": "5"}
        )
    async with busy:
        yield


async def _bounded_body(request: Request, limit: int) -> bytes:
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise HTTPException(413, f"the file is over {limit // 2**20} MB, the studio's limit")
    if not body:
        raise HTTPException(400, "send the avatar file as the request body")
    return bytes(body)


async def _run_child(
    module: str, args: list[str], deadline_s: float, what: str, shown: tuple[str, str] = ("", "")
) -> str:
    """Run ``module`` in a capped child; returns its output. A refusal (exit 2) is a 400 with its message.

    ``shown``: a private path in messages, and the name the client knows it by.
    """
    argv = limited_argv(CHILD_MEMORY_MB, round(deadline_s), module, *args)
    child = await asyncio.create_subprocess_exec(*argv, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    try:
        out, err = await asyncio.wait_for(child.communicate(), deadline_s)
    except TimeoutError as exc:
        child.kill()
        await child.wait()
        raise HTTPException(504, f"{what} took over {deadline_s:.0f} s and was stopped") from exc
    text = err.decode("utf-8", "replace").strip()
    message = (text.replace(*shown) if shown[0] else text).splitlines()
    if child.returncode == 2:
        raise HTTPException(400, (message[-1] if message else f"{what} was refused").removeprefix("preview: "))
    if child.returncode != 0:
        raise HTTPException(500, f"{what} failed (exit {child.returncode}): {message[-1] if message else 'no message'}")
    return out.decode("utf-8", "replace").strip()
