"""Moderation's settings (``[moderation]`` in a show file): plain data."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from talkshow.core.sections import Section, SectionReader
from talkshow.providers import MODERATORS

__all__ = ["SECTION", "ModerationSettings", "parse_moderation_table", "read_moderation_section"]


@dataclass(frozen=True)
class ModerationSettings:
    """What is checked before a line airs: words and meaning offline (on by default), then ``semantic`` if set."""

    blocklist: tuple[str, ...] = ()  # words or phrases that never air; a trailing * matches any ending
    allowlist: tuple[str, ...] = ()  # terms taken out before the classifier reads a line (a name it misreads)
    builtin_blocklist: bool = True  # also hold talkshow's own list (threats, self-harm urging, calm hate)
    classifier: bool = True  # stage 1's offensive-language classifier
    threshold: float = 0.8  # the classifier's P(offensive) at which a line is held
    meaning: bool = True  # the offline check by meaning (sentence embeddings against labelled examples)
    meaning_options: dict[str, Any] = field(default_factory=dict)  # [moderation.meaning]: examples, k, floor, sure
    semantic: str = ""  # stage 2: "openai", "judge" (a chat model), "onnx", "meaning" or a plug-in
    semantic_options: dict[str, Any] = field(default_factory=dict)
    timeout_s: float = 2.0  # stage 2 has this long to answer; after it, the line is held (fail closed)


Fail = Callable[[str, str], Exception]  # (message, key) -> the error to raise, pointing at the key
MAX_TERMS = 5000  # a list longer than this is a mistake (a dictionary pasted in), not a show's words
_KEYS = {"blocklist", "allowlist", "builtin_blocklist", "classifier", "meaning", "threshold", "semantic", "timeout_s"}


def read_moderation_section(data: dict[str, Any], reader: SectionReader) -> ModerationSettings:
    """``[moderation]`` from a show file: the table checked and its stage 2 provider registered."""
    moderation = parse_moderation_table(data, reader.fail)
    if moderation.semantic:
        reader.check_provider(MODERATORS, moderation.semantic, "moderation semantic", "semantic")
    return moderation


def parse_moderation_table(data: dict[str, Any], fail: Fail) -> ModerationSettings:
    """``[moderation]`` from a show file, every value checked; stage 2's own options are ``[moderation.NAME]``."""
    semantic = data.get("semantic", "")
    if not isinstance(semantic, str):
        raise fail(f"moderation semantic must be a provider name, got {semantic!r}", "semantic")
    for key, value in data.items():
        if key not in _KEYS and not (key == semantic and isinstance(value, dict)):
            hint = ", ".join(sorted(_KEYS)) + (f", [moderation.{semantic}]" if semantic else "")
            raise fail(f"unknown key {key!r} in [moderation] (expected one of: {hint})", key)
    meaning_options: dict[str, Any] = {}
    if isinstance(data.get("meaning"), dict):  # [moderation.meaning]: the check is on, with these options
        meaning_options = dict(data["meaning"])
        data = {**data, "meaning": True}
    lists = {key: _terms(data, key, fail) for key in ("blocklist", "allowlist")}
    switches = {key: data.get(key, True) for key in ("classifier", "builtin_blocklist", "meaning")}
    for key, value in switches.items():
        if not isinstance(value, bool):
            raise fail(f"moderation {key} must be true or false, got {value!r}", key)
    threshold = _number(data, "threshold", 0.05, 1.0, 0.8, fail)
    timeout_s = _number(data, "timeout_s", 0.1, 30.0, 2.0, fail)
    options = (meaning_options if semantic == "meaning" else data.get(semantic, {})) if semantic else {}
    return ModerationSettings(
        blocklist=lists["blocklist"],
        allowlist=lists["allowlist"],
        builtin_blocklist=switches["builtin_blocklist"],
        classifier=switches["classifier"],
        meaning=switches["meaning"],
        meaning_options=meaning_options,
        threshold=threshold,
        semantic=semantic.strip(),
        semantic_options=dict(options),
        timeout_s=timeout_s,
    )


def _terms(data: dict[str, Any], key: str, fail: Fail) -> tuple[str, ...]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(t, str) and 0 < len(t.strip()) <= 100 for t in value):
        raise fail(f"moderation {key} must be a list of words or phrases (1-100 characters each)", key)
    if len(value) > MAX_TERMS:
        raise fail(f"moderation {key} has {len(value)} terms; at most {MAX_TERMS}", key)
    return tuple(t.strip() for t in value)


def _number(data: dict[str, Any], key: str, low: float, high: float, default: float, fail: Fail) -> float:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise fail(f"moderation {key} must be a number from {low:g} to {high:g}, got {value!r}", key)
    return float(value)


SECTION = Section("moderation", ModerationSettings, read_moderation_section)
