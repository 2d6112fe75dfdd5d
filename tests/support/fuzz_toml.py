"""Hypothesis strategies for TOML documents: a valid document with its values mutated."""

from __future__ import annotations

import json
import math
from typing import Any

from hypothesis import strategies as st

Doc = dict[str, Any]

# Text that can be written as UTF-8 (TOML files are UTF-8), with control characters and odd scripts.
TEXT = st.text(st.characters(codec="utf-8"), max_size=24)
SCALARS = st.one_of(
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    TEXT,
    st.sampled_from(["", "..", "../../../etc/passwd", "/dev/zero", "espeak", "duke", "a" * 500]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=6,
)


def mutated(value: Any) -> st.SearchStrategy[Any]:
    """``value`` (a TOML tree) with keys dropped or added and values swapped for random ones, sometimes."""
    if isinstance(value, dict):
        fields = st.fixed_dictionaries({key: mutated(item) for key, item in value.items()})
        dropped = st.sets(st.sampled_from(sorted(value)), max_size=2) if value else st.just(set())
        added = st.dictionaries(TEXT | st.sampled_from(sorted(value) or ["x"]), VALUES, max_size=2)
        tree = st.tuples(fields, dropped, added).map(
            lambda parts: {k: v for k, v in {**parts[0], **parts[2]}.items() if k not in parts[1]}
        )
        return st.one_of(tree, tree, tree, VALUES)
    if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
        return st.lists(st.one_of(*[mutated(item) for item in value]), max_size=4)
    return st.one_of(st.just(value), st.just(value), VALUES)


def to_toml(doc: Doc) -> str:
    """Write a tree as TOML: scalars and inline values first, then tables, then arrays of tables."""
    lines: list[str] = []
    _table(doc, [], lines)
    return "\n".join(lines) + "\n"


def _table(doc: Doc, path: list[str], lines: list[str]) -> None:
    tables = {k: v for k, v in doc.items() if isinstance(v, dict) and v}
    arrays = {k: v for k, v in doc.items() if _is_table_array(v)}
    for key, value in doc.items():
        if key not in tables and key not in arrays:
            lines.append(f"{_key(key)} = {_value(value)}")
    for key, value in tables.items():
        lines.append(f"[{'.'.join(_key(p) for p in [*path, key])}]")
        _table(value, [*path, key], lines)
    for key, items in arrays.items():
        for item in items:
            lines.append(f"[[{'.'.join(_key(p) for p in [*path, key])}]]")
            _table(item, [*path, key], lines)


def _is_table_array(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(item, dict) and item for item in value)


def _key(key: str) -> str:
    return json.dumps(key, ensure_ascii=False)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(type(value))
