"""An episodes file: the shows one ``talkshow render-batch`` renders, one ``[[episode]]`` table each.

.. code-block:: toml

    [[episode]]
    name = "cereal-soup"          # letters, digits, - and _: the file is NAME.mp4
    topic = "is cereal a soup"    # or show = "lambo.toml" (relative to this file), not both
    turns = 8                     # optional: the show's (a topic's: 12)
    cast = ["my", "duke"]         # optional: characters by pack name
    seed = 3                      # optional: the show's (a topic's: 0)

Keys are checked: a typo is an error naming the episode and the key.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from talkshow.config import ShowConfig, show_from_topic
from talkshow.core.errors import InputError

__all__ = ["EpisodeSpec", "load_episodes"]

NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,79}")
KEYS = {"name", "topic", "show", "turns", "cast", "seed"}
MAX_EPISODES = 10_000
MAX_TURNS = 200


@dataclass(frozen=True)
class EpisodeSpec:
    """One episode: its name, what it is about (a topic or a show file) and its overrides."""

    name: str
    topic: str | None = None
    show: Path | None = None
    turns: int | None = None
    cast: tuple[str, ...] = ()
    seed: int | None = None

    @property
    def file_name(self) -> str:
        """The finished episode's file name in the output folder."""
        return f"{self.name}.mp4"

    def show_config(self) -> ShowConfig:
        """The show to render, built where it renders (a worker reads the show file on its own node)."""
        from talkshow.characters.cast import cast_from_names
        from talkshow.show_check import load_show

        if self.show is not None:
            config = load_show(self.show)
        else:
            assert self.topic is not None  # load_episodes saw to it
            config = show_from_topic(self.topic)
        if self.cast:
            config = config.with_overrides(cast=cast_from_names(",".join(self.cast), config.base_dir))
        if self.turns is not None:
            config = config.with_overrides(turns=self.turns)
        if self.seed is not None:
            config = config.with_overrides(seed=self.seed)
        return config


def load_episodes(path: Path) -> tuple[EpisodeSpec, ...]:
    """Read and check an episodes file; InputError naming the file, the episode and the key that is wrong."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"{path}: cannot read the episodes file: {exc}") from exc
    unknown = sorted(set(data) - {"episode"})
    if unknown:
        raise InputError(f"{path}: unknown key {unknown[0]!r}; an episodes file has [[episode]] tables only")
    entries = data.get("episode")
    if not isinstance(entries, list) or not entries:
        raise InputError(f"{path}: no [[episode]] tables: give at least one episode")
    if len(entries) > MAX_EPISODES:
        raise InputError(f"{path}: {len(entries)} episodes; the limit is {MAX_EPISODES}")
    episodes = [_episode(entry, index, path) for index, entry in enumerate(entries)]
    names = [e.name.lower() for e in episodes]  # case-folded: two names must not be one file on macOS or S3 tools
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise InputError(f"{path}: two episodes are named {twice[0]!r}: each name is a file and must be unique")
    return tuple(episodes)


def _episode(entry: object, index: int, path: Path) -> EpisodeSpec:
    where = f"episode {index + 1}"
    if not isinstance(entry, dict):
        raise InputError(f"{path}: {where} must be a table")
    unknown = sorted(set(entry) - KEYS)
    if unknown:
        raise InputError(f"{path}: {where}: unknown key {unknown[0]!r}; the keys are {', '.join(sorted(KEYS))}")
    name = entry.get("name")
    if not isinstance(name, str) or not NAME.fullmatch(name):
        raise InputError(f"{path}: {where}: name must be 1-80 letters, digits, - or _ (got {name!r})")
    where = f"episode {name!r}"
    topic, show = entry.get("topic"), entry.get("show")
    if (topic is None) == (show is None):
        raise InputError(f"{path}: {where}: give a topic or a show file (one of them)")
    if topic is not None and (not isinstance(topic, str) or not topic.strip() or len(topic) > 500):
        raise InputError(f"{path}: {where}: topic must be 1-500 characters of text")
    show_path = None
    if show is not None:
        if not isinstance(show, str) or not (path.parent / show).is_file():
            raise InputError(f"{path}: {where}: show {show!r} is not a file (paths are relative to this file)")
        show_path = (path.parent / show).resolve()
    return EpisodeSpec(
        name,
        topic.strip() if isinstance(topic, str) else None,
        show_path,
        _whole(entry, "turns", 1, MAX_TURNS, where, path),
        _cast(entry.get("cast"), where, path),
        _whole(entry, "seed", 0, 2**31 - 1, where, path),
    )


def _whole(entry: dict[str, Any], key: str, low: int, high: int, where: str, path: Path) -> int | None:
    value = entry.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InputError(f"{path}: {where}: {key} must be a whole number from {low} to {high} (got {value!r})")
    return value


def _cast(value: object, where: str, path: Path) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or len(value) < 2 or not all(isinstance(v, str) and v.strip() for v in value):
        raise InputError(f"{path}: {where}: cast must be a list of two or more character names")
    return tuple(v.strip() for v in value)
