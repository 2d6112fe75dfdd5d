"""Overlay pages on one asyncio loop: the cast built once, each aired frame placed once, sent to every page.

A page gets a JSON greeting (the canvas, each character's box and mouth, how many sprites
there are), then one binary message per stream frame:

    4 bytes  little-endian length of the header
    header   JSON: {"f": stream frame, "items": [[sprite, x, y], ...], "speaker": id, "text": line}
    audio    the frame's 1600 samples, 16-bit little-endian (absent in a silent frame)

The page schedules the audio on its own clock and draws each frame's sprites when that
frame's sound is heard, so mouth and voice agree there whatever the network did. A page
that falls two seconds behind is closed ("too slow"), and reconnects: it never holds a
frame of the show's, which this loop only hands over.
"""

from __future__ import annotations

import asyncio
import json
import logging
import struct
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass, field
from typing import Any

from talkshow.config import ShowConfig
from talkshow.core.errors import InputError
from talkshow.overlay.cast import OverlayCast
from talkshow.overlay.feed import AiredFrame, OverlayFeed, OverlaySubscription

logger = logging.getLogger(__name__)

__all__ = ["OverlayPage", "OverlayStream", "UnknownCharacterError"]

PAGE_BACKLOG_FRAMES = 60  # two seconds of frames waiting for a page before it is called too slow


class UnknownCharacterError(InputError):
    """An overlay asked for a character that is not in the cast."""


@dataclass(eq=False)
class OverlayPage:
    """One open overlay page: the character it shows ("" for the cast) and its frames waiting to be sent."""

    character: str
    queue: asyncio.Queue[bytes] = field(default_factory=lambda: asyncio.Queue(PAGE_BACKLOG_FRAMES))
    too_slow: asyncio.Event = field(default_factory=asyncio.Event)


class OverlayStream:
    """Every overlay page served from this loop, fed by ``feed``; the cast is built at the first page."""

    def __init__(self, feed: OverlayFeed, config: ShowConfig) -> None:
        self._feed = feed
        self._config = config
        self._cast: OverlayCast | None = None
        self._building = asyncio.Lock()
        self._pages: list[OverlayPage] = []
        self._subscription: OverlaySubscription | None = None

    async def cast(self) -> OverlayCast:
        """The overlay's rigs and sprites (built once, off the loop: loading packs takes a second), their sheet
        made with them, so a page's first load encodes nothing."""
        async with self._building:
            if self._cast is None:
                self._cast = await asyncio.to_thread(_built, self._config)
            return self._cast

    async def greeting(self, character: str) -> dict[str, Any]:
        """What a page needs before its first frame; UnknownCharacterError for a name not in the cast."""
        cast = await self.cast()
        if character and character not in cast.characters:
            known = ", ".join(sorted(cast.characters))
            raise UnknownCharacterError(f"no character {character!r} in this show's cast; it has {known}")
        clock = self._config.video
        views = {cid: asdict(view) for cid, view in cast.characters.items()}
        return {
            "width": cast.width,
            "height": cast.height,
            "fps": clock.fps,
            "sample_rate": 48_000,
            "character": character,
            "characters": views,
            "sprites": cast.sprite_count,
        }

    @asynccontextmanager
    async def page(self, character: str) -> AsyncIterator[OverlayPage]:
        """An open page: frames go to its queue from now until the block ends."""
        await self.cast()
        page = OverlayPage(character)
        self._pages.append(page)
        if self._subscription is None:
            self._subscription = self._feed.subscribe(asyncio.get_running_loop(), self._aired)
        try:
            yield page
        finally:
            self._pages.remove(page)
            if not self._pages and self._subscription is not None:
                self._feed.unsubscribe(self._subscription)
                self._subscription = None

    def _aired(self, frame: AiredFrame) -> None:
        """One frame on air (this loop): placed once, framed once per page's character."""
        cast = self._cast
        if cast is None or not self._pages:
            return
        placed = cast.placements(frame.seconds, frame.poses)
        voiced = bool(frame.audio.any())
        messages: dict[str, bytes] = {}
        for page in self._pages:
            message = messages.get(page.character)
            if message is None:
                message = messages[page.character] = _message(frame, placed, page.character, voiced)
            try:
                page.queue.put_nowait(message)
            except asyncio.QueueFull:
                page.too_slow.set()


def _built(config: ShowConfig) -> OverlayCast:
    cast = OverlayCast(config)
    cast.sheet()
    return cast


def _message(frame: AiredFrame, placed: dict[str, list[tuple[int, int, int]]], character: str, voiced: bool) -> bytes:
    """One frame for a page showing ``character`` ("" for all): its voice only while it speaks."""
    items = placed.get(character, []) if character else [p for cid in placed for p in placed[cid]]
    theirs = not character or frame.speaker == character
    speaker, text = (frame.speaker, frame.text) if theirs else ("", "")
    header = {"f": frame.index, "items": items, "speaker": speaker, "text": text}
    head = json.dumps(header, separators=(",", ":")).encode()
    audio = frame.audio.astype("<i2", copy=False).tobytes() if voiced and theirs else b""
    return struct.pack("<I", len(head)) + head + audio
