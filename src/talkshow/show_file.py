"""Show files: TOML (see ``docs/show-file.md``) read into a ``ShowConfig``, every field checked.

A problem is a ``ShowFileError`` that names the file and the line: a bad value, an unknown
key, a provider name no registry knows (with the choices). Reading builds nothing: that a
character pack or voice is there, and that a writer takes its options, is
``talkshow.show_check``'s to say.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from talkshow.config import (
    DEFAULT_VOICE,
    CastMember,
    LightingSettings,
    SceneSettings,
    ShowConfig,
    VideoSettings,
    VoiceSettings,
    WriterSettings,
    default_cast,
)
from talkshow.core.cast import Persona
from talkshow.core.errors import CharacterCardError, ShowFileError
from talkshow.core.registry import Registry, UnknownProviderError
from talkshow.core.sections import Section, Sections
from talkshow.providers import PERSONA_FORMATS, SECTIONS, WRITERS

__all__ = ["ShowSource", "read_show"]

_TOP_KEYS = {"title", "topic", "turns", "pause", "voicing_parallel", "seed", "video", "scene", "writer", "cast"}
_TEMPERAMENTS = ("confident", "anxious", "neutral")


class ShowSource:
    """The raw text of a show file, to point errors at a line."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()

    def line_of(self, key: str, value: Any = None, after: int = 0) -> int | None:
        """First line (1-based, from ``after``) that sets ``key`` (to ``value``)."""
        key_re = re.compile(rf"^\s*(\[+\s*)?[\w.]*\b{re.escape(key)}\b")
        for number, raw in enumerate(self.lines[after:], start=after + 1):
            if key_re.search(raw) and (value is None or str(value) in raw):
                return number
        return None

    def table_line(self, name: str, index: int = 0) -> int:
        """Line of the ``index``-th ``[name]`` or ``[[name]]`` header."""
        header = re.compile(rf"^\s*\[\[?\s*{re.escape(name)}\s*\]\]?")
        seen = -1
        for number, raw in enumerate(self.lines, start=1):
            if header.search(raw):
                seen += 1
                if seen == index:
                    return number
        return 0

    def error(self, message: str, key: str | None = None, value: Any = None, after: int = 0) -> ShowFileError:
        """A ShowFileError pointing at the line that sets ``key``."""
        line = self.line_of(key, value, after) if key else None
        return ShowFileError(self.path, message, line or (after or None))


def read_show(path: Path | str) -> tuple[ShowConfig, ShowSource]:
    """Parse a show file into plain data (building nothing); raises ShowFileError naming file and line.

    The ``ShowSource`` points later errors at their line (``talkshow.show_check`` checks the parts it names).
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ShowFileError(path, "file not found") from exc
    except UnicodeDecodeError as exc:
        raise ShowFileError(path, f"not UTF-8 text ({exc.reason})") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # Python 3.11's TOMLDecodeError has no lineno; its message says "at line N".
        found = re.search(r"line (\d+)", str(exc))
        line = int(found.group(1)) if found else max(len(text.splitlines()), 1)
        raise ShowFileError(path, f"invalid TOML: {exc}", line) from exc
    source = ShowSource(path, text)
    return _parse_show(data, source), source


def _expect(
    src: ShowSource, data: dict[str, Any], key: str, kind: type | tuple[type, ...], default: Any, after: int = 0
) -> Any:
    if key not in data:
        return default
    value = data[key]
    if isinstance(value, bool) and kind in (int, float, (int, float)):
        raise src.error(f"{key} must be a number, got {value!r}", key, after=after)
    if not isinstance(value, kind):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise src.error(f"{key} must be {names}, got {value!r}", key, after=after)
    return value


def _no_unknown(src: ShowSource, data: dict[str, Any], allowed: set[str], where: str, after: int = 0) -> None:
    for key in data:
        if key not in allowed:
            hint = ", ".join(sorted(allowed))
            raise src.error(f"unknown key {key!r} in {where} (expected one of: {hint})", key, after=after)


def _parse_show(data: dict[str, Any], src: ShowSource) -> ShowConfig:
    _no_unknown(src, data, _TOP_KEYS | set(SECTIONS), "the show")
    topic = str(_expect(src, data, "topic", str, "")).strip()
    title = str(_expect(src, data, "title", str, topic[:60] or src.path.stem))
    turns = int(_expect(src, data, "turns", int, 12))
    if turns < 1:
        raise src.error(f"turns must be at least 1, got {turns}", "turns")
    pause = float(_expect(src, data, "pause", (int, float), 0.35))
    if not 0 <= pause <= 10:
        raise src.error(f"pause must be between 0 and 10 seconds, got {pause}", "pause")
    voicing_parallel = int(_expect(src, data, "voicing_parallel", int, 2))
    if not 1 <= voicing_parallel <= 8:
        raise src.error(f"voicing_parallel must be 1-8 lines, got {voicing_parallel}", "voicing_parallel")
    seed = int(_expect(src, data, "seed", int, 0))
    writer = _parse_writer(src, _expect(src, data, "writer", dict, {}))
    if writer.kind != "script" and not topic:
        raise src.error("topic is empty: give the show something to talk about", "topic")
    cast_data = _expect(src, data, "cast", list, None)
    if cast_data is None:
        cast = default_cast()
    else:
        cast = tuple(_parse_member(src, entry, i) for i, entry in enumerate(cast_data))
    if len(cast) < 2:
        raise src.error("a show needs two or more cast members", "cast")
    ids = [m.id for m in cast]
    for cast_id in ids:
        if ids.count(cast_id) > 1:
            raise src.error(f"cast id {cast_id!r} is used twice", "id", cast_id)
    return ShowConfig(
        title=title,
        topic=topic,
        cast=cast,
        turns=turns,
        pause=pause,
        voicing_parallel=voicing_parallel,
        seed=seed,
        scene=_parse_scene(src, _expect(src, data, "scene", dict, {})),
        writer=writer,
        sections=_parse_sections(src, data, frozenset(ids)),
        video=_parse_video(src, _expect(src, data, "video", dict, {})),
        base_dir=src.path.parent.resolve(),
    )


def _parse_member(src: ShowSource, entry: Any, index: int) -> CastMember:
    after = src.table_line("cast", index)
    if not isinstance(entry, dict):
        raise ShowFileError(src.path, f"cast entry {index + 1} must be a table", after or None)
    keys = {"id", "character", "name", "persona", "card", "voice", "temperament"}
    _no_unknown(src, entry, keys, "[[cast]]", after)
    pack = _expect(src, entry, "character", str, None, after)
    if not pack:
        raise ShowFileError(
            src.path, f"cast entry {index + 1} needs a character (a pack name or folder)", after or None
        )
    cast_id = str(_expect(src, entry, "id", str, Path(pack).name)).strip().lower()
    if not re.fullmatch(r"[a-z0-9_-]+", cast_id):
        raise src.error(f"cast id {cast_id!r} may only use a-z, 0-9, _ and -", "id", after=after)
    temperament = str(_expect(src, entry, "temperament", str, "neutral", after))
    if temperament not in _TEMPERAMENTS:
        raise src.error(
            f"temperament must be one of {', '.join(_TEMPERAMENTS)}, got {temperament!r}", "temperament", after=after
        )
    voice_data = _expect(src, entry, "voice", dict, {}, after)
    voice = _parse_voice(src, voice_data, src.line_of("voice", after=after) or after, "[cast.voice]")
    card_file = _expect(src, entry, "card", str, "", after)
    card = _read_card(src, str(card_file), after) if card_file else Persona(name=cast_id.title(), persona="")
    return CastMember(  # what the table says wins over what its card says
        id=cast_id,
        pack=str(pack),
        name=str(_expect(src, entry, "name", str, card.name, after)),
        persona=str(_expect(src, entry, "persona", str, card.persona, after)),
        voice=voice,
        temperament=temperament,
        greeting=card.greeting,
        examples=card.examples,
    )


def _read_card(src: ShowSource, name: str, after: int) -> Persona:
    """The persona in the card file ``name`` (beside the show file), by the reader of its suffix."""
    path = Path(name) if Path(name).is_absolute() else src.path.parent / name
    readers = [PERSONA_FORMATS.load(kind)() for kind in PERSONA_FORMATS]
    reader = next((r for r in readers if path.suffix.lower() in r.suffixes), None)
    if reader is None:
        known = ", ".join(sorted({suffix for r in readers for suffix in r.suffixes}))
        what = f"card {name!r}: no persona format reads {path.suffix or 'that'} files ({known})"
        raise src.error(what, "card", after=after)
    try:
        return reader.read(path)
    except CharacterCardError as exc:
        raise src.error(str(exc), "card", after=after) from None


def _parse_voice(src: ShowSource, data: dict[str, Any], after: int, table: str) -> VoiceSettings:
    """A ``[cast.voice]`` table (or its ``fallback``); model paths resolve against the show file."""
    _no_unknown(src, data, {"engine", "voice", "pitch", "rate", "range", "options", "fallback"}, table, after)
    # A table naming a voice but no engine predates the neural default: it meant espeak-ng.
    implied = "espeak" if "voice" in data else DEFAULT_VOICE.engine
    engine = str(_expect(src, data, "engine", str, implied, after))
    default_name = DEFAULT_VOICE.voice if engine == DEFAULT_VOICE.engine else "en-us"
    name = str(_expect(src, data, "voice", str, default_name, after))
    if name.endswith(".onnx") and not Path(name).is_absolute():
        name = str((src.path.parent / name).resolve())
    options = dict(_expect(src, data, "options", dict, {}, after))
    for key in ("model", "voices"):  # user-supplied model files, beside the show file
        if isinstance(options.get(key), str) and not Path(options[key]).is_absolute():
            options[key] = str((src.path.parent / options[key]).resolve())
    fallback_data = _expect(src, data, "fallback", dict, None, after)
    fallback = None
    if fallback_data is not None:
        fallback_after = src.line_of("fallback", after=after) or after
        fallback = _parse_voice(src, fallback_data, fallback_after, f"{table[:-1]}.fallback]")
    voice = VoiceSettings(
        engine=engine,
        voice=name,
        pitch=int(_expect(src, data, "pitch", int, 50, after)),
        rate=int(_expect(src, data, "rate", int, 175, after)),
        pitch_range=int(_expect(src, data, "range", int, 50, after)),
        options=options,
        fallback=fallback,
    )
    if not 0 <= voice.pitch <= 100 or not 80 <= voice.rate <= 450:
        raise src.error("voice pitch must be 0-100 and rate 80-450 words per minute", "pitch", after=after)
    return voice


def _parse_scene(src: ShowSource, data: dict[str, Any]) -> SceneSettings:
    after = src.table_line("scene")
    _no_unknown(src, data, {"background", "tv", "lighting", "captions"}, "[scene]", after)
    light = _expect(src, data, "lighting", dict, {}, after)
    _no_unknown(src, light, {"warmth", "brightness", "vignette"}, "[scene.lighting]", after)
    lighting = LightingSettings(
        warmth=float(_expect(src, light, "warmth", (int, float), 0.25, after)),
        brightness=float(_expect(src, light, "brightness", (int, float), 1.0, after)),
        vignette=float(_expect(src, light, "vignette", (int, float), 0.35, after)),
    )
    if not (0 <= lighting.warmth <= 1 and 0.2 <= lighting.brightness <= 2 and 0 <= lighting.vignette <= 1):
        raise src.error("lighting: warmth 0-1, brightness 0.2-2, vignette 0-1", "lighting", after=after)
    return SceneSettings(
        background=str(_expect(src, data, "background", str, "studio", after)),
        tv=str(_expect(src, data, "tv", str, "channel:news", after)),
        lighting=lighting,
        captions=bool(_expect(src, data, "captions", bool, True, after)),
    )


def _parse_writer(src: ShowSource, data: dict[str, Any]) -> WriterSettings:
    after = src.table_line("writer")
    kind = str(_expect(src, data, "kind", str, "improv", after))
    _registered(src, WRITERS, kind, "writer kind", "kind", after)
    return WriterSettings(kind=kind, options={k: v for k, v in data.items() if k != "kind"})


def _registered(src: ShowSource, registry: Registry[Any], name: str, what: str, key: str, after: int) -> None:
    """A ShowFileError at ``key``'s line unless a provider of the registry's kind is called ``name``."""
    try:
        registry.check(name)
    except UnknownProviderError as exc:
        raise src.error(f"{what}: {exc}", key, after=after) from exc


def _parse_sections(src: ShowSource, data: dict[str, Any], cast_ids: frozenset[str]) -> Sections:
    """Each package's table, parsed by the section it registered (a table the show leaves out: its defaults)."""
    values = []
    for name in SECTIONS:
        if name in data:
            section: Section[object] = SECTIONS.load(name)
            table = _expect(src, data, name, dict, {})
            values.append(section.parse(table, _TableReader(src, name, cast_ids)))
    return Sections.of(values)


class _TableReader:
    """A ``SectionReader`` over one table of the show file: its errors point at the key's line in that table."""

    def __init__(self, src: ShowSource, table: str, cast_ids: frozenset[str]) -> None:
        self.src = src
        self.after = src.table_line(table)
        self._cast_ids = cast_ids

    @property
    def cast_ids(self) -> frozenset[str]:
        return self._cast_ids

    def fail(self, message: str, key: str = "") -> Exception:
        return self.src.error(message, key or None, after=self.after)

    def value(self, table: Mapping[str, Any], key: str, kind: type | tuple[type, ...], default: Any) -> Any:
        return _expect(self.src, dict(table), key, kind, default, self.after)

    def check_provider(self, registry: Registry[Any], name: str, what: str, key: str) -> None:
        _registered(self.src, registry, name, what, key, self.after)


def _parse_video(src: ShowSource, data: dict[str, Any]) -> VideoSettings:
    after = src.table_line("video")
    _no_unknown(src, data, {"width", "height", "fps", "preset", "crf", "tune", "maxrate_kbps"}, "[video]", after)
    d = VideoSettings()
    video = VideoSettings(
        width=int(_expect(src, data, "width", int, d.width, after)),
        height=int(_expect(src, data, "height", int, d.height, after)),
        fps=int(_expect(src, data, "fps", int, d.fps, after)),
        preset=str(_expect(src, data, "preset", str, d.preset, after)),
        crf=int(_expect(src, data, "crf", int, d.crf, after)),
        tune=str(_expect(src, data, "tune", str, d.tune, after)),
        maxrate_kbps=int(_expect(src, data, "maxrate_kbps", int, d.maxrate_kbps, after)),
    )
    if video.width % 16 or video.height % 8 or not 160 <= video.width <= 3840:
        raise src.error("width must be a multiple of 16 (160-3840) and height a multiple of 8", "width", after=after)
    if video.fps not in (15, 24, 25, 30, 48, 50, 60):
        raise src.error(f"fps must be one of 15, 24, 25, 30, 48, 50, 60, got {video.fps}", "fps", after=after)
    return video
