"""A live channel on a local Ray cluster, for the channel test and the channel-move benchmark: its house's view of
it, its playlist through the house, and when it is on air again from another node."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx

from support.episodes import TINY_SHOW
from support.serve import free_port

CHANNEL = "moving"


def channels_file(folder: Path, rtmp_port: int | None = None, turns: int = 12) -> Path:
    """A channels file of one tiny channel (publishing to ``rtmp_port`` if given), its show beside it."""
    (folder / "tiny.toml").write_text(TINY_SHOW.format(turns=turns))
    rtmp = f'rtmp = ["rtmp://127.0.0.1:{rtmp_port}/live/test"]\n' if rtmp_port else ""
    path = folder / "channels.toml"
    path.write_text(
        f'[house]\ndata = "air"\n[[channel]]\nname = "{CHANNEL}"\nshow = "tiny.toml"\nsize = "320x184"\n'
        f"port = {free_port()}\n{rtmp}"
    )
    return path


def channel(base: str) -> dict[str, Any]:
    """The house's row for the one channel."""
    rows = httpx.get(base + "/api/channels", timeout=5).json()["channels"]
    assert len(rows) == 1, rows
    return dict(rows[0])


def segments(base: str) -> set[str]:
    """The segments the channel's playlist lists now, read through the house wherever the channel runs."""
    reply = httpx.get(f"{base}/channels/{CHANNEL}/hls/live.m3u8", timeout=5)
    return set(re.findall(r"^[^#\s].*$", reply.text, re.M)) if reply.status_code == 200 else set()


def on_air_elsewhere(base: str, before: dict[str, Any], old_segments: set[str]) -> bool:
    """Whether the channel runs on a node other than ``before``'s and its playlist has a segment made there."""
    row = channel(base)
    return row["state"] == "running" and row["node"] != before["node"] and bool(segments(base) - old_segments)
