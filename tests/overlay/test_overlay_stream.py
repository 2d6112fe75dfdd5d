"""The overlay's feed and framing, on the real cast of shows/cohost.toml (no server, no browser)."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import struct
from typing import Any

import numpy as np
import pytest

from support.paths import SHOWS
from talkshow.acting.types import Pose
from talkshow.config import ShowConfig
from talkshow.overlay.feed import AiredFrame, OverlayFeed
from talkshow.overlay.stream import PAGE_BACKLOG_FRAMES, OverlayStream, UnknownCharacterError
from talkshow.show_file import read_show


@pytest.fixture(scope="module")
def config() -> ShowConfig:
    config, _ = read_show(SHOWS / "cohost.toml")
    return dataclasses.replace(config, video=dataclasses.replace(config.video, width=640, height=360))


def _frame(index: int, speaker: str, mouth: str = "D") -> AiredFrame:
    voice = (np.sin(np.arange(1600) / 8) * 8000).astype(np.int16) if speaker else np.zeros(1600, np.int16)
    poses = {"duke": Pose(mouth=mouth if speaker == "duke" else "X"), "wendell": Pose()}
    return AiredFrame(index, index / 30, poses, speaker, "Well, well." if speaker else "", voice)


def _read(message: bytes) -> tuple[dict[str, Any], np.ndarray]:
    (length,) = struct.unpack_from("<I", message)
    header = json.loads(message[4 : 4 + length])
    return header, np.frombuffer(message[4 + length :], "<i2")


def test_each_page_gets_its_characters_sprites_and_only_their_voice(config: ShowConfig) -> None:
    async def run() -> dict[str, list[bytes]]:
        feed = OverlayFeed()
        stream = OverlayStream(feed, config)
        with pytest.raises(UnknownCharacterError, match="duke, wendell"):
            await stream.greeting("nobody")
        greeting = await stream.greeting("duke")
        assert greeting["sprites"] > 10 and greeting["characters"]["duke"]["box"][2] <= 640
        async with stream.page("duke") as duke, stream.page("") as cast, stream.page("wendell") as wendell:
            assert feed.subscribers == 1, "one subscription serves every page on the loop"
            for index, speaker in enumerate(["duke", "duke", "", "wendell"]):
                feed.aired(_frame(index, speaker))
            await asyncio.sleep(0.05)
            pages = {"duke": duke, "cast": cast, "wendell": wendell}
            got = {name: [page.queue.get_nowait() for _ in range(page.queue.qsize())] for name, page in pages.items()}
        assert feed.subscribers == 0, "the last page closed: the pacer has nobody to tell"
        return got

    got = asyncio.run(run())
    duke = [_read(m) for m in got["duke"]]
    cast = [_read(m) for m in got["cast"]]
    wendell = [_read(m) for m in got["wendell"]]
    assert [h["f"] for h, _ in duke] == [0, 1, 2, 3]
    assert [len(a) for _, a in duke] == [1600, 1600, 0, 0], "Duke's page plays Duke, never Wendell"
    assert [len(a) for _, a in wendell] == [0, 0, 0, 1600]
    assert [len(a) for _, a in cast] == [1600, 1600, 0, 1600]
    assert duke[0][0]["text"] == "Well, well." and duke[3][0]["text"] == "" and cast[3][0]["speaker"] == "wendell"
    assert len(cast[0][0]["items"]) == len(duke[0][0]["items"]) + len(wendell[0][0]["items"])
    assert duke[0][0]["items"] != duke[2][0]["items"], "an open mouth and a resting one are other sprites"


def test_a_page_that_cannot_keep_up_is_told_so_and_the_feed_never_waits_for_it(config: ShowConfig) -> None:
    async def run() -> tuple[bool, int]:
        feed = OverlayFeed()
        stream = OverlayStream(feed, config)
        async with stream.page("duke") as page:
            for index in range(PAGE_BACKLOG_FRAMES + 5):
                feed.aired(_frame(index, "duke"))
            await asyncio.sleep(0.05)
            return page.too_slow.is_set(), page.queue.qsize()

    too_slow, waiting = asyncio.run(run())
    assert too_slow and waiting == PAGE_BACKLOG_FRAMES
