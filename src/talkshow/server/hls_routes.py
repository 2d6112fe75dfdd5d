"""The stream's files over HTTP: plain HLS, and Low-Latency HLS with blocking requests.

Plain HLS (``live.m3u8``, ``segNNNNNN.ts``) and LL-HLS (``ll.m3u8``, ``init.mp4``, parts and
segments) are read from the private HLS directory, only by the names those outputs write
and never through a symlink. Two LL-HLS requests may wait for the stream:

- ``ll.m3u8?_HLS_msn=M[&_HLS_part=P]`` (blocking playlist reload) is answered as soon as
  segment M, or its part P, is published;
- a request for the part the preload hint names is answered as soon as that part exists.

A waiting request is a coroutine on the server's event loop, woken by the publisher
through ``call_soon_threadsafe``: no thread per waiting client. Each waits at most three
target durations (3 s), then gets 503 (the spec's answer when the stream has stalled).
"""

from __future__ import annotations

import asyncio
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import Response

from talkshow.broadcast.hls import HLS_FILE_NAME
from talkshow.broadcast.llhls import LL_FILE_NAME, LL_PLAYLIST_NAME, LlHlsPlaylist

__all__ = ["PublishSignal", "hls_router", "read_own_file"]

WAIT_S = 3.0  # three target durations
_MEDIA_TYPES = {
    ".m3u8": "application/vnd.apple.mpegurl",
    ".ts": "video/mp2t",
    ".m4s": "video/iso.segment",
    ".mp4": "video/mp4",
}


class PublishSignal:
    """Wakes the waiting requests when LL-HLS publishes; ``fire`` may be called from any thread."""

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._event = asyncio.Event()

    def attach(self, loop: asyncio.AbstractEventLoop) -> None:
        """Bind to the server's loop (at startup)."""
        self._loop = loop

    def fire(self) -> None:
        """Something was published: wake every waiter (thread-safe, never blocks)."""
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._wake)

    def _wake(self) -> None:
        self._event.set()
        self._event = asyncio.Event()  # later waiters wait for the next publish

    async def until(self, ready: Callable[[], bool], seconds: float) -> bool:
        """Wait until ``ready()`` is true (checked at each publish), at most ``seconds``."""
        deadline = asyncio.get_running_loop().time() + seconds
        while True:
            event = self._event  # taken before the check, so a publish in between is not missed
            if ready():
                return True
            left = deadline - asyncio.get_running_loop().time()
            if left <= 0:
                return False
            try:
                await asyncio.wait_for(event.wait(), left)
            except TimeoutError:
                return bool(ready())


def hls_router(hls_dir: Path, playlist: LlHlsPlaylist, signal: PublishSignal) -> APIRouter:
    """``GET /hls/{name}`` for both playlists and their media."""
    router = APIRouter()

    @router.get("/hls/{name}", include_in_schema=False)
    async def hls_file(
        name: str,
        msn: Annotated[int | None, Query(alias="_HLS_msn", ge=0)] = None,
        part: Annotated[int | None, Query(alias="_HLS_part", ge=0)] = None,
    ) -> Response:
        if name == LL_PLAYLIST_NAME and msn is not None:
            return await _blocking_playlist(playlist, signal, msn, part)
        if part is not None:
            raise HTTPException(400, "_HLS_part needs _HLS_msn")
        if not (HLS_FILE_NAME.match(name) or LL_FILE_NAME.match(name)):
            raise HTTPException(404, f"no such stream file: {name[:80]}")
        data = read_own_file(hls_dir, name)
        if data is None and name == playlist.hint:  # the next part, asked for early: send it when it exists
            await signal.until(lambda: (hls_dir / name).exists(), WAIT_S)
            data = read_own_file(hls_dir, name)
        if data is None:
            raise HTTPException(404, f"no such stream file: {name[:80]}")
        suffix = Path(name).suffix
        # Playlists change; media files never change once written.
        cache = "no-cache" if suffix == ".m3u8" else "max-age=60"
        return Response(data, media_type=_MEDIA_TYPES[suffix], headers={"Cache-Control": cache})

    return router


async def _blocking_playlist(playlist: LlHlsPlaylist, signal: PublishSignal, msn: int, part: int | None) -> Response:
    if msn > playlist.last_msn + 2:  # the spec: more than two segments ahead is a client error
        raise HTTPException(400, f"_HLS_msn={msn} is more than two segments past the newest ({playlist.last_msn})")
    if not await signal.until(lambda: playlist.has(msn, part), WAIT_S):
        raise HTTPException(503, f"segment {msn} part {part} did not come within {WAIT_S:g} s")
    return Response(
        playlist.text, media_type=_MEDIA_TYPES[".m3u8"], headers={"Cache-Control": "max-age=1"}
    )  # a blocking answer may be cached briefly (the spec allows it; a CDN can collapse requests)


def read_own_file(directory: Path, name: str) -> bytes | None:
    """The bytes of a regular file ``directory/name``, or None; a symlink is never followed."""
    try:
        handle = os.open(directory / name, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            return None
        with os.fdopen(handle, "rb", closefd=False) as file:
            return file.read()
    finally:
        os.close(handle)
