"""Show files, screenplays and character packs, fuzzed with Hypothesis.

Every input either loads or is refused with the project's own error naming the
file: never another exception. Mutations start from the real files, so most cases
get deep into the parsers rather than failing at the first byte.
"""

from __future__ import annotations

import os
import shutil
import tomllib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from support.fuzz_toml import TEXT, mutated, to_toml
from support.paths import SHOWS as SHOWS_DIR
from talkshow.characters.pack import bundled_packs_dir, load_pack
from talkshow.config import ShowConfig, default_cast
from talkshow.core.errors import CharacterPackError, ShowFileError
from talkshow.show_check import load_show
from talkshow.writer.script import parse_screenplay

# times nothing: make test runs it beside the solo tier, on the CPU those two workers leave idle
pytestmark = [pytest.mark.slow, pytest.mark.beside]  # a whole server, a browser or minutes of air: make test

SHOWS = SHOWS_DIR
LAMBO = tomllib.loads((SHOWS / "lambo.toml").read_text())
DUKE = bundled_packs_dir() / "duke"
MANIFEST = tomllib.loads((DUKE / "manifest.toml").read_text())
# 150 cases per parser in the suite; TALKSHOW_FUZZ_EXAMPLES raises it for a full run (docs/reliability.md).
EXAMPLES = int(os.environ.get("TALKSHOW_FUZZ_EXAMPLES", "150"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))


def _byte_edits(original: bytes) -> st.SearchStrategy[bytes]:
    """``original`` with a few bytes replaced, inserted or cut: broken UTF-8, half lines, stray brackets."""
    edit = st.tuples(st.integers(0, len(original)), st.integers(0, 8), st.binary(max_size=8))

    def apply(edits: list[tuple[int, int, bytes]]) -> bytes:
        data = original
        for at, cut, insert in edits:
            data = data[:at] + insert + data[at + cut :]
        return data

    return st.lists(edit, min_size=1, max_size=4).map(apply)


@FUZZ
@given(doc=mutated(LAMBO))
def test_mutated_show_files_load_or_name_the_file(tmp_path_factory, doc) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("show") / "fuzzed.toml"
    path.write_text(to_toml(doc) if isinstance(doc, dict) else f"value = {doc!r}\n", encoding="utf-8")
    try:
        assert isinstance(load_show(path), ShowConfig)
    except ShowFileError as exc:
        assert str(exc).startswith(str(path)), exc


@FUZZ
@given(data=_byte_edits((SHOWS / "lambo.toml").read_bytes()))
def test_byte_damaged_show_files_load_or_name_the_file(tmp_path_factory, data: bytes) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("show") / "damaged.toml"
    path.write_bytes(data)
    try:
        load_show(path)
    except ShowFileError as exc:
        assert str(exc).startswith(str(path)), exc


@FUZZ
@given(text=st.lists(TEXT | st.sampled_from(["DUKE: hi", "  more", "WENDELL (worried):", "# note", ""]), max_size=8))
def test_screenplays_parse_or_name_file_and_line(tmp_path_factory, text: list[str]) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("play") / "fuzzed.screenplay"
    path.write_text("\n".join(text), encoding="utf-8")
    try:
        lines = parse_screenplay(path, default_cast())
        assert all(line.speaker in {"duke", "wendell"} and line.text for line in lines)
    except ShowFileError as exc:
        assert str(exc).startswith(str(path)), exc


@FUZZ
@given(manifest=mutated(MANIFEST))
def test_mutated_character_packs_load_or_name_the_pack(tmp_path_factory, manifest) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("pack") / "duke"
    shutil.copytree(DUKE, folder)
    text = to_toml(manifest) if isinstance(manifest, dict) else f"value = {manifest!r}\n"
    (folder / "manifest.toml").write_text(text, encoding="utf-8")
    try:
        load_pack(folder)
    except CharacterPackError as exc:
        assert str(exc).startswith(f"character pack {folder}"), exc


@FUZZ
@given(data=_byte_edits((DUKE / "manifest.toml").read_bytes()))
def test_byte_damaged_manifests_load_or_name_the_pack(tmp_path_factory, data: bytes) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("pack") / "duke"
    shutil.copytree(DUKE, folder)
    (folder / "manifest.toml").write_bytes(data)
    try:
        load_pack(folder)
    except CharacterPackError as exc:
        assert str(exc).startswith(f"character pack {folder}"), exc
