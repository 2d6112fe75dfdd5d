"""Short episodes for the batch tests: a 320x180 show of a few lines, and what a finished batch must hold."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import av

TINY_SHOW = """title = "Tiny"
topic = "is cereal a soup"
turns = {turns}
pause = 0.2
[video]
width = 320
height = 184
"""


def episodes_file(folder: Path, names: list[str], turns: int = 2, longer: dict[str, int] | None = None) -> Path:
    """An episodes file of ``names``, each a tiny show on its own seed (``longer``: these names' own turns)."""
    (folder / "tiny.toml").write_text(TINY_SHOW.format(turns=turns))
    own = longer or {}
    tables = [
        f'[[episode]]\nname = "{name}"\nshow = "tiny.toml"\nseed = {i + 1}\n'
        + (f"turns = {own[name]}\n" if name in own else "")
        for i, name in enumerate(names)
    ]
    path = folder / "episodes.toml"
    path.write_text("\n".join(tables))
    return path


def decoded_frames(path: Path) -> int:
    """The H.264 frames decoded back from an MP4 (0 if it has no video)."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        assert stream.codec_context.name == "h264", stream.codec_context.name
        return sum(1 for _ in container.decode(stream))


def checked_manifest(out: Path, names: list[str]) -> dict[str, dict[str, Any]]:
    """The manifest, checked against the folder: one entry per name, each file there, whole and decodable."""
    entries = json.loads((out / "manifest.json").read_text())["episodes"]
    assert sorted(e["name"] for e in entries) == sorted(names), entries
    for entry in entries:
        file = out / entry["file"]
        assert hashlib.sha256(file.read_bytes()).hexdigest() == entry["sha256"], entry["name"]
        assert decoded_frames(file) == entry["frames"] > 0, entry["name"]
        assert entry["duration_s"] > 0 and entry["cpu_s"] > 0 and entry["node"], entry
    assert sorted(p.name for p in out.iterdir()) == sorted([*(f"{n}.mp4" for n in names), "manifest.json"])
    return {e["name"]: e for e in entries}
