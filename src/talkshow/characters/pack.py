"""Character packs: a folder with ``manifest.toml`` and RGBA PNG layers.

Every layer shares the pack's canvas size, so a user draws each part in place in
any paint program. Mouths are named by Rhubarb letter. See docs/character-packs.md.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from PIL import Image, UnidentifiedImageError

from talkshow.core.errors import CharacterPackError, UnknownCharacterError
from talkshow.lipsync.shapes import SHAPES

__all__ = [
    "BROW_POSES",
    "EYE_STATES",
    "CharacterPack",
    "Layer",
    "bundled_packs_dir",
    "find_pack",
    "list_packs",
    "load_pack",
    "user_packs_dir",
]

EYE_STATES = ("open", "half", "closed", "wide")
BROW_POSES = ("neutral", "raised", "frown", "worried")
MOUTH_SETS = ("neutral", "smile", "frown")

RGBA = npt.NDArray[np.uint8]


@dataclass(frozen=True)
class Layer:
    """A layer cropped to its visible pixels: RGBA ``pixels`` placed at ``(x, y)``."""

    pixels: RGBA
    x: int
    y: int


@dataclass(frozen=True)
class CharacterPack:
    """A loaded pack: every part as a cropped layer, plus rig hints."""

    id: str
    name: str
    description: str
    folder: Path
    canvas: tuple[int, int]
    body: tuple[Layer, ...]
    head: Layer
    eye_whites: Layer
    pupils: Layer
    eyes: dict[str, Layer]
    brows: dict[str, Layer]
    mouths: dict[str, dict[str, Layer]]
    overlays: tuple[Layer, ...]
    gaze_range: tuple[int, int]
    facing: str


def bundled_packs_dir() -> Path:
    """Folder of the packs shipped with talkshow."""
    return Path(__file__).resolve().parent.parent / "assets" / "characters"


def user_packs_dir() -> Path:
    """Where ``talkshow characters import`` puts packs: ``$XDG_DATA_HOME/talkshow/characters``."""
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "talkshow" / "characters"


def list_packs(extra_dirs: tuple[Path, ...] = ()) -> dict[str, Path]:
    """Pack name -> folder for bundled packs, the user's imported packs, and any in ``extra_dirs``."""
    found: dict[str, Path] = {}
    for folder in (bundled_packs_dir(), user_packs_dir(), *extra_dirs):
        if folder.is_dir():
            for child in sorted(folder.iterdir()):
                if (child / "manifest.toml").is_file():
                    found.setdefault(child.name, child)  # a bundled name cannot be shadowed
    return found


def find_pack(name_or_path: str, base_dir: Path | None = None) -> Path:
    """Resolve a pack by bundled name or by folder path (relative to ``base_dir``)."""
    candidate = Path(name_or_path)
    if not candidate.is_absolute() and base_dir is not None:
        candidate = base_dir / candidate
    if (candidate / "manifest.toml").is_file():
        return candidate
    packs = list_packs()
    if name_or_path in packs:
        return packs[name_or_path]
    raise UnknownCharacterError(name_or_path, list(packs))


def load_pack(folder: Path) -> CharacterPack:
    """Load and check a pack folder; raises CharacterPackError naming the problem."""
    manifest_path = folder / "manifest.toml"
    try:
        manifest = tomllib.loads(manifest_path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise CharacterPackError(folder, "manifest.toml is missing") from exc
    except UnicodeDecodeError as exc:
        raise CharacterPackError(folder, f"manifest.toml is not UTF-8 text ({exc.reason})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise CharacterPackError(folder, f"manifest.toml is not valid TOML: {exc}") from exc
    info = _table(folder, manifest, "character")
    canvas = info.get("canvas")
    if not (isinstance(canvas, list) and len(canvas) == 2 and all(isinstance(v, int) and v > 0 for v in canvas)):
        raise CharacterPackError(folder, "[character] canvas must be [width, height]")
    size = (int(canvas[0]), int(canvas[1]))
    loader = _LayerLoader(folder, size)
    layers = _table(folder, manifest, "layers")
    eyes = _table(folder, manifest, "eyes")
    brows = _table(folder, manifest, "brows")
    mouths = _table(folder, manifest, "mouths")
    if "neutral" not in mouths:
        raise CharacterPackError(folder, "[mouths.neutral] is required")
    mouth_layers: dict[str, dict[str, Layer]] = {}
    for set_name, table in mouths.items():
        if set_name not in MOUTH_SETS:
            raise CharacterPackError(folder, f"unknown mouth set {set_name!r}; use {', '.join(MOUTH_SETS)}")
        if not isinstance(table, dict):
            raise CharacterPackError(folder, f"[mouths.{set_name}] must be a table of shape = file")
        missing = [s for s in SHAPES if s not in table]
        if missing:
            raise CharacterPackError(folder, f"[mouths.{set_name}] lacks shapes {', '.join(missing)}")
        mouth_layers[set_name] = {shape: loader.load(table[shape], f"mouths.{set_name}.{shape}") for shape in SHAPES}
    for required in ("open", "half", "closed"):
        if required not in eyes:
            raise CharacterPackError(folder, f"[eyes] needs {required!r}")
    if "neutral" not in brows:
        raise CharacterPackError(folder, "[brows] needs 'neutral'")
    eye_layers = {state: loader.load(eyes[state], f"eyes.{state}") for state in EYE_STATES if state in eyes}
    eye_layers.setdefault("wide", eye_layers["open"])
    brow_layers = {pose: loader.load(brows[pose], f"brows.{pose}") for pose in BROW_POSES if pose in brows}
    for pose in BROW_POSES:
        brow_layers.setdefault(pose, brow_layers["neutral"])
    for set_name in MOUTH_SETS:
        mouth_layers.setdefault(set_name, mouth_layers["neutral"])
    body = layers.get("body")
    body_files = body if isinstance(body, list) else [body]
    overlays = layers.get("overlays", [])
    if not isinstance(overlays, list):
        raise CharacterPackError(folder, "[layers] overlays must be a list of PNG files")
    gaze, facing = _rig(folder, manifest)
    return CharacterPack(
        id=str(info.get("id", folder.name)),
        name=str(info.get("name", folder.name.title())),
        description=str(info.get("description", "")),
        folder=folder,
        canvas=size,
        body=tuple(loader.load(f, "layers.body") for f in body_files),
        head=loader.load(layers.get("head"), "layers.head"),
        eye_whites=loader.load(layers.get("eye_whites"), "layers.eye_whites"),
        pupils=loader.load(layers.get("pupils"), "layers.pupils"),
        eyes=eye_layers,
        brows=brow_layers,
        mouths=mouth_layers,
        overlays=tuple(loader.load(f, "layers.overlays") for f in overlays),
        gaze_range=gaze,
        facing=facing,
    )


def _rig(folder: Path, manifest: dict[str, Any]) -> tuple[tuple[int, int], str]:
    """The ``[rig]`` hints: how far the pupils move, and which way the character faces."""
    rig = manifest.get("rig", {})
    if not isinstance(rig, dict):
        raise CharacterPackError(folder, "[rig] must be a table")
    gaze = rig.get("gaze_range", [8, 4])
    if not (isinstance(gaze, list) and len(gaze) == 2 and all(_small_int(v) for v in gaze)):
        raise CharacterPackError(folder, "[rig] gaze_range must be [x, y] in pixels (0 to 200)")
    facing = rig.get("facing", "right")
    if facing not in ("left", "right"):
        raise CharacterPackError(folder, f"[rig] facing must be 'left' or 'right', not {facing!r}")
    return (int(gaze[0]), int(gaze[1])), str(facing)


def _small_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 200


def _table(folder: Path, manifest: dict[str, Any], name: str) -> dict[str, Any]:
    table = manifest.get(name)
    if not isinstance(table, dict):
        raise CharacterPackError(folder, f"manifest.toml needs a [{name}] table")
    return table


class _LayerLoader:
    def __init__(self, folder: Path, size: tuple[int, int]) -> None:
        self.folder = folder
        self.size = size

    def load(self, name: Any, key: str) -> Layer:
        if not isinstance(name, str):
            raise CharacterPackError(self.folder, f"{key} must name a PNG file")
        path = self.folder / name
        try:
            with Image.open(path) as image:
                if image.size != self.size:
                    raise CharacterPackError(
                        self.folder,
                        f"{name} is {image.size[0]}x{image.size[1]}, canvas is {self.size[0]}x{self.size[1]}",
                    )
                rgba = np.asarray(image.convert("RGBA"), dtype=np.uint8)
        except FileNotFoundError as exc:
            raise CharacterPackError(self.folder, f"{key}: file {name} is missing") from exc
        except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError) as exc:
            raise CharacterPackError(self.folder, f"{key}: {name} is not a readable PNG ({exc})") from exc
        return _crop(rgba)


def _crop(rgba: RGBA) -> Layer:
    alpha = rgba[:, :, 3]
    rows = np.flatnonzero(alpha.any(axis=1))
    cols = np.flatnonzero(alpha.any(axis=0))
    if len(rows) == 0:
        return Layer(np.zeros((2, 2, 4), np.uint8), 0, 0)
    # Even origins keep the 4:2:0 chroma planes aligned with luma.
    top, left = int(rows[0]) & ~1, int(cols[0]) & ~1
    bottom, right = int(rows[-1]) + 1, int(cols[-1]) + 1
    bottom += (bottom - top) % 2
    right += (right - left) % 2
    cropped = np.zeros((bottom - top, right - left, 4), np.uint8)
    src = rgba[top:bottom, left:right]
    cropped[: src.shape[0], : src.shape[1]] = src
    return Layer(np.ascontiguousarray(cropped), left, top)
