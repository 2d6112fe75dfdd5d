"""A channels file: several shows from one command, each its own ``talkshow serve`` child.

.. code-block:: toml

    [house]                      # optional
    data = "channels-data"       # where each channel's HLS folder and database live (per channel: DATA/NAME)
    late_rate_limit = 0.005      # admission: refuse a new channel while any running one is later than this
    cpu_reserve = 0.2            # admission: cores left free after the new channel's measured need

    [[channel]]
    name = "lambo"               # letters, digits, - and _; the folder and the log's name
    show = "lambo.toml"          # a show file (relative to this file); omitted: the default show
    topics = ["why there's a lambo in the room"]
    size = "1280x720"            # the picture (default: the show's)
    port = 8001                  # its studio (default: the house port + 1, + 2, ...)
    cpus = [0]                   # the cores it may use (default: one core each while there are enough)
    rtmp = ["env:RTMP_LAMBO"]    # its own outputs, as serve's --rtmp and --whip take them
    whip = []

Paths are relative to the file. Keys are checked: a typo is an error naming it.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from talkshow.config import parse_video_size
from talkshow.core.errors import InputError

__all__ = ["ChannelSpec", "HouseSpec", "load_channels"]

NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,39}")
CHANNEL_KEYS = {"name", "show", "topics", "size", "port", "cpus", "rtmp", "whip"}
HOUSE_KEYS = {"data", "late_rate_limit", "cpu_reserve"}
MAX_CHANNELS = 16


@dataclass(frozen=True)
class ChannelSpec:
    """One channel: what it shows, where, and on which cores."""

    name: str
    port: int
    show: Path | None = None
    topics: tuple[str, ...] = ()
    size: tuple[int, int] | None = None
    cpus: tuple[int, ...] = ()  # empty: not pinned
    rtmp: tuple[str, ...] = ()
    whip: tuple[str, ...] = ()

    @property
    def pixels(self) -> int:
        """Its picture's pixels (1080p when the show's own size is used), for scaling a measured cost."""
        width, height = self.size or (1920, 1080)
        return width * height


@dataclass(frozen=True)
class HouseSpec:
    """The channels, and the rules for letting one more in."""

    channels: tuple[ChannelSpec, ...]
    data: Path
    late_rate_limit: float = 0.005  # half a percent of frames late in the last window
    cpu_reserve: float = 0.2  # of a core, kept free after the newcomer's need


def load_channels(path: Path, house_port: int, cores: int | None = None) -> HouseSpec:
    """Read and check a channels file; InputError naming the file, the channel and the key that is wrong."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"{path}: cannot read the channels file: {exc}") from exc
    cores = cores or os.cpu_count() or 1
    house = _table(data.get("house", {}), "[house]", path)
    _only(house, HOUSE_KEYS, "[house]", path)
    entries = data.get("channel")
    unknown = set(data) - {"house", "channel"}
    if unknown:
        raise InputError(f"{path}: unknown table {sorted(unknown)[0]!r}; a channels file has [house] and [[channel]]")
    if not isinstance(entries, list) or not entries:
        raise InputError(f"{path}: no [[channel]] tables: give at least one channel")
    if len(entries) > MAX_CHANNELS:
        raise InputError(f"{path}: {len(entries)} channels; the limit is {MAX_CHANNELS}")
    pin = len(entries) <= cores  # one core each while there are enough; else the scheduler shares them
    channels = [
        _channel(_table(e, "[[channel]]", path), i, house_port, cores, pin, path) for i, e in enumerate(entries)
    ]
    for field in ("name", "port"):
        seen = [getattr(c, field) for c in channels]
        twice = {v for v in seen if seen.count(v) > 1}
        if twice:
            raise InputError(f"{path}: two channels have the {field} {sorted(twice)[0]!r}")
    if house_port in {c.port for c in channels}:
        raise InputError(f"{path}: a channel's port is the house's own ({house_port})")
    limit = _number(house, "late_rate_limit", 0.005, 0.0, 1.0, path)
    reserve = _number(house, "cpu_reserve", 0.2, 0.0, float(cores), path)
    data_dir = (path.parent / str(house.get("data", "channels-data"))).resolve()
    return HouseSpec(tuple(channels), data_dir, limit, reserve)


def _channel(entry: dict[str, Any], index: int, house_port: int, cores: int, pin: bool, path: Path) -> ChannelSpec:
    where = f"channel {index + 1}"
    _only(entry, CHANNEL_KEYS, where, path)
    name = entry.get("name")
    if not isinstance(name, str) or not NAME.fullmatch(name):
        raise InputError(f"{path}: {where}: name must be 1-40 letters, digits, - or _ (got {name!r})")
    where = f"channel {name!r}"
    port = entry.get("port", house_port + 1 + index)
    if not isinstance(port, int) or not 1024 <= port <= 65535:
        raise InputError(f"{path}: {where}: port must be a number from 1024 to 65535 (got {port!r})")
    show = entry.get("show")
    if show is not None:
        if not isinstance(show, str) or not (path.parent / show).is_file():
            raise InputError(f"{path}: {where}: show {show!r} is not a file (paths are relative to this file)")
        show = path.parent / show
    size = entry.get("size")
    if size is not None:
        try:
            size = parse_video_size(str(size))
        except ValueError as exc:
            raise InputError(f"{path}: {where}: {exc}") from exc
    cpus = entry.get("cpus", [index] if pin else [])
    if not isinstance(cpus, list) or not all(isinstance(c, int) and 0 <= c < cores for c in cpus):
        raise InputError(f"{path}: {where}: cpus must be a list of core numbers from 0 to {cores - 1} (got {cpus!r})")
    return ChannelSpec(
        name, port, show, _strings(entry, "topics", where, path), size, tuple(cpus),
        _strings(entry, "rtmp", where, path), _strings(entry, "whip", where, path),
    )  # fmt: skip


def _table(value: object, where: str, path: Path) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InputError(f"{path}: {where} must be a table")
    return value


def _only(table: dict[str, Any], allowed: set[str], where: str, path: Path) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise InputError(f"{path}: {where}: unknown key {unknown[0]!r}; the keys are {', '.join(sorted(allowed))}")


def _strings(entry: dict[str, Any], key: str, where: str, path: Path) -> tuple[str, ...]:
    value = entry.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise InputError(f"{path}: {where}: {key} must be a list of non-empty strings")
    return tuple(v.strip() for v in value)


def _number(table: dict[str, Any], key: str, default: float, low: float, high: float, path: Path) -> float:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise InputError(f"{path}: [house]: {key} must be a number from {low:g} to {high:g} (got {value!r})")
    return float(value)
