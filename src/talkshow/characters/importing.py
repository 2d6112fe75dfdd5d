"""Turns an avatar file into a layered character pack: read, fit to the stage, map mouths, write.

The reader is a ``character_format`` provider chosen by the file's suffix. The avatar is scaled
once here (not every frame) to fit the seat the bundled characters fill, its motion scaled with
it, and written as PNGs plus a ``manifest.toml`` the user can edit.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
from PIL import Image

from talkshow.characters.layered import PACK_ID, LayeredPack, SpriteSpec, write_layered_manifest
from talkshow.characters.pngtuber import ImportedAvatar
from talkshow.characters.resize import resize_rgba
from talkshow.core.errors import InputError
from talkshow.lipsync.shapes import SHAPES

__all__ = ["CANVAS", "auto_mouths", "import_avatar", "read_avatar", "rest_boxes"]

CANVAS = (640, 900)  # the bundled packs' canvas, so an imported avatar takes the same seat
_FIT = (600, 700)  # the box the avatar is scaled into, its top at _TOP: the face clears the desk
_TOP = 110
_MAX_UPSCALE = 2.0
# How open each Rhubarb shape is, from 0 (closed) to 1 (wide): picks among mouths ranked by height.
_OPENNESS = {"B": 0.0, "C": 0.5, "D": 1.0, "E": 0.5, "F": 0.0, "G": 0.0, "H": 0.5}


def read_avatar(path: Path) -> ImportedAvatar:
    """Read ``path`` with the character format its suffix names."""
    from talkshow.providers import CHARACTER_FORMATS

    suffix = path.suffix.lower()
    for name in CHARACTER_FORMATS:
        reader = CHARACTER_FORMATS.load(name)()
        if suffix in reader.suffixes:
            return reader.read(path)
    known = ", ".join(sorted({s for n in CHARACTER_FORMATS for s in CHARACTER_FORMATS.load(n)().suffixes}))
    raise InputError(f"{path.name}: no character format reads {suffix or 'files without a suffix'} (known: {known})")


def import_avatar(path: Path, packs_dir: Path, pack_id: str = "", name: str = "", replace: bool = False) -> Path:
    """Import ``path`` as pack ``pack_id`` (default: the file's name) under ``packs_dir``; returns its folder."""
    pack_id = (pack_id or re.sub(r"[^a-z0-9_-]+", "-", path.stem.lower()).strip("-_"))[:40]
    if not PACK_ID.fullmatch(pack_id):
        raise InputError(
            f"pack id {pack_id!r} may only use a-z, 0-9, _ and - (up to 40), starting with a letter or digit"
        )
    folder = packs_dir / pack_id
    if folder.exists() and not replace:
        raise InputError(f"{folder} already exists; pass --replace to overwrite it")
    avatar = read_avatar(path)
    pack = fit_to_stage(avatar, pack_id, name or pack_id.replace("-", " ").title(), folder)
    packs_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{pack_id}-", dir=packs_dir))
    try:  # written beside the target and swapped in, so a failed import leaves no half pack
        (staging / "sprites").mkdir()
        for spec in pack.sprites:
            Image.fromarray(pack.images[spec.id], "RGBA").save(staging / spec.file)
        (staging / "manifest.toml").write_text(write_layered_manifest(pack, path.name), encoding="utf-8")
        if folder.exists():
            shutil.rmtree(folder)
        staging.rename(folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return folder


Box = tuple[float, float, float, float]


def rest_boxes(sprites: Sequence[SpriteSpec], sizes: dict[str, tuple[int, int]]) -> dict[str, Box]:
    """Each sprite's texture box ``(x0, y0, x1, y1)`` at rest, relative to the tree's root."""
    by_id = {s.id: s for s in sprites}
    nodes: dict[str, tuple[float, float]] = {}

    def node(sprite_id: str) -> tuple[float, float]:
        if sprite_id not in nodes:
            spec = by_id[sprite_id]
            px, py = node(spec.parent) if spec.parent else (0.0, 0.0)
            nodes[sprite_id] = (px + spec.position[0], py + spec.position[1])
        return nodes[sprite_id]

    boxes = {}
    for spec in sprites:
        x, y = node(spec.id)
        width, height = sizes[spec.id]
        frame_width = width / spec.frames
        x0, y0 = x + spec.offset[0] - frame_width / 2, y + spec.offset[1] - height / 2
        boxes[spec.id] = (x0, y0, x0 + frame_width, y0 + height)
    return boxes


def fit_to_stage(avatar: ImportedAvatar, pack_id: str, name: str, folder: Path) -> LayeredPack:
    """Scale the avatar (images, positions and motion) into the seat, and propose a mouth map."""
    sizes = {k: (v.shape[1], v.shape[0]) for k, v in avatar.images.items()}
    boxes = rest_boxes(avatar.sprites, sizes)
    shown = [boxes[s.id] for s in avatar.sprites if s.costumes[0]] or list(boxes.values())
    x0, y0 = min(b[0] for b in shown), min(b[1] for b in shown)
    x1, y1 = max(b[2] for b in shown), max(b[3] for b in shown)
    scale = min(_FIT[0] / max(x1 - x0, 1.0), _FIT[1] / max(y1 - y0, 1.0), _MAX_UPSCALE)
    origin = (CANVAS[0] / 2 - (x0 + x1) / 2 * scale, _TOP - y0 * scale)
    sprites, images = [], {}
    for spec in avatar.sprites:
        images[spec.id] = _resize_sheet(avatar.images[spec.id], spec.frames, scale)
        ax, fx, ay, fy = spec.wobble
        sprites.append(
            SpriteSpec(
                id=spec.id, parent=spec.parent, file=spec.file,
                position=(spec.position[0] * scale, spec.position[1] * scale),
                offset=(spec.offset[0] * scale, spec.offset[1] * scale),
                z=spec.z, talk=spec.talk, blink=spec.blink, wobble=(ax * scale, fx, ay * scale, fy),
                drag_s=spec.drag_s, frames=spec.frames, frame_rate=spec.frame_rate,
                costumes=spec.costumes, clipped=spec.clipped,
            )
        )  # fmt: skip
    return LayeredPack(
        id=pack_id,
        name=name,
        description=f"Imported from {avatar.source.name} ({avatar.format}).",
        folder=folder,
        canvas=CANVAS,
        origin=origin,
        sprites=tuple(sprites),
        images=images,
        mouths=auto_mouths(tuple(sprites), images),
        bounce_px=avatar.bounce_px * scale,
        bounce_s=avatar.bounce_s,
    )


def auto_mouths(sprites: tuple[SpriteSpec, ...], images: dict[str, npt.NDArray[np.uint8]]) -> dict[str, str]:
    """A mouth map when the avatar has several talking sprites in one place; else none (two-state).

    The talking sprites that overlap the largest one are taken as mouths and ranked by how tall
    their opaque part is; each Rhubarb shape gets the one as open as it is. A sprite shown only
    when silent, in the same place, is the closed mouth (A and X).
    """
    sizes = {k: (v.shape[1], v.shape[0]) for k, v in images.items()}
    boxes = rest_boxes(sprites, sizes)
    talking = [s.id for s in sprites if s.talk == "talking"]
    if len(talking) < 2:
        return {}
    anchor = max(talking, key=lambda i: _opaque_height(images[i]))
    mouths = [i for i in talking if _overlap(boxes[i], boxes[anchor]) > 0.3]
    if len(mouths) < 2:
        return {}
    mouths.sort(key=lambda i: _opaque_height(images[i]))
    closed = [s.id for s in sprites if s.talk == "silent" and _overlap(boxes[s.id], boxes[anchor]) > 0.3]
    mapping = {"A": closed[0] if closed else "", "X": closed[0] if closed else ""}
    for shape, openness in _OPENNESS.items():
        mapping[shape] = mouths[round(openness * (len(mouths) - 1))]
    return {shape: mapping[shape] for shape in SHAPES}


def _opaque_height(rgba: npt.NDArray[np.uint8]) -> int:
    rows = np.flatnonzero(rgba[:, :, 3].max(axis=1) > 16)
    return int(rows[-1] - rows[0] + 1) if len(rows) else 0


def _overlap(a: Box, b: Box) -> float:
    """Intersection over the smaller box's area."""
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    if width <= 0 or height <= 0:
        return 0.0
    smaller = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
    return float(width * height / max(smaller, 1e-6))


def _resize_sheet(rgba: npt.NDArray[np.uint8], frames: int, scale: float) -> npt.NDArray[np.uint8]:
    """Resize each frame of a sheet alone (premultiplied), so frames stay equal and unblended."""
    if abs(scale - 1.0) < 1e-3:
        return rgba
    width = rgba.shape[1] // frames
    size = (max(1, round(width * scale)), max(1, round(rgba.shape[0] * scale)))
    parts = [resize_rgba(rgba[:, i * width : (i + 1) * width], size) for i in range(frames)]
    return np.ascontiguousarray(np.concatenate(parts, axis=1))


def main(argv: list[str] | None = None) -> int:
    """``python -m talkshow.characters.importing FILE PACKS [--id] [--name] [--replace]``: the studio's import.

    Prints the pack's folder on success; a refusal is one plain line on stderr and exit code 2.
    """
    import argparse
    import sys

    from talkshow.core.errors import TalkshowError

    parser = argparse.ArgumentParser(description="Import an avatar file as a character pack.")
    parser.add_argument("file", type=Path)
    parser.add_argument("packs", type=Path)
    parser.add_argument("--id", default="")
    parser.add_argument("--name", default="")
    parser.add_argument("--replace", action="store_true")
    args = parser.parse_args(argv)
    try:
        print(import_avatar(args.file, args.packs, args.id, args.name, args.replace))
    except TalkshowError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
