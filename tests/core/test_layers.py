"""The layout keeps its shape where import-linter cannot see it (the layers themselves are its contracts in
pyproject.toml, run by `make check`): no import cycles, even through function-level imports; what importing a
module really loads; one exception tree; and modules of a readable size."""

from __future__ import annotations

import ast
import builtins
import re
import subprocess
import sys

import pytest

from support.import_graph import SRC, cycles, graph
from talkshow import providers

# times nothing: make test runs it beside the solo tier, on the CPU those two workers leave idle
pytestmark = pytest.mark.beside

MAX_MODULE_LINES = 400


def test_there_are_no_import_cycles_not_even_through_type_only_imports() -> None:
    assert cycles(graph()) == []
    assert cycles(graph(type_only=True)) == []  # shared types live in core, not in a loop of TYPE_CHECKING imports


def test_a_part_is_given_its_telemetry_and_never_makes_a_stray_one() -> None:
    """``telemetry or Telemetry()`` makes a sink-less telemetry that nobody reads: a part's events vanish."""
    stray = [
        f"{path.relative_to(SRC)}:{n}"
        for path in (SRC / "talkshow").rglob("*.py")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\bor Telemetry\(\)", line)
    ]
    assert stray == []


def test_reading_the_config_loads_no_provider_codec_or_model() -> None:
    # A section is the show file's own table, plain data: reading a show file may load those (and only
    # the stdlib with them: the second assert), never a provider that builds a part.
    builders = [name for name in providers.__all__ if name != "SECTIONS"]
    provider_modules = {
        path.partition(":")[0] for name in builders for path in getattr(providers, name)._builtins.values()
    }
    probe = "import sys, talkshow.config, talkshow.show_file; print('\\n'.join(sorted(sys.modules)))"
    listed = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    loaded = set(listed.stdout.split())
    assert loaded & provider_modules == set()
    assert loaded & {"av", "numpy", "onnxruntime", "httpx", "pocketsphinx", "fastapi"} == set()


def test_every_module_is_a_readable_size() -> None:
    sizes = {p.relative_to(SRC): len(p.read_text().splitlines()) for p in (SRC / "talkshow").rglob("*.py")}
    assert {str(path): n for path, n in sizes.items() if n > MAX_MODULE_LINES} == {}


def test_the_channel_house_loads_no_engine_codec_or_model() -> None:
    """The house must not share a fault with its channels: it builds none of their parts."""
    probe = "import sys, talkshow.channels, talkshow.channels.app; print('\\n'.join(sorted(sys.modules)))"
    listed = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    loaded = set(listed.stdout.split())
    heavy = {m for m in loaded if m.startswith(("talkshow.live", "talkshow.station", "talkshow.broadcast", "av."))}
    assert heavy | (loaded & {"av", "numpy", "onnxruntime", "aiortc"}) == set()


def test_nothing_of_ray_is_imported_without_ray() -> None:
    """Ray is the ``ray`` extra, loaded only for ``--ray``: the CLI, the batch driver, its local pool and the
    channel house load none of it (nor does ``import talkshow``)."""
    modules = "talkshow, talkshow.cli, talkshow.batch, talkshow.batch.run, talkshow.channels.app"
    probe = f"import sys, {modules}; print('\\n'.join(sorted(sys.modules)))"
    listed = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert {m for m in listed.stdout.split() if m == "ray" or m.startswith("ray.")} == set()


def test_the_conversation_loads_no_codec_and_no_engine() -> None:
    """Talk mode's core is light: a test of it (or a plug-in that uses it) does not pay for PyAV or the engine."""
    probe = "import sys, talkshow.talk.conversation; print('\\n'.join(sorted(sys.modules)))"
    listed = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    loaded = set(listed.stdout.split())
    assert loaded & {"av", "aiortc", "onnxruntime", "talkshow.live.engine", "talkshow.live.programme"} == set()
    assert not {
        m
        for m in loaded
        if m.startswith(("talkshow.broadcast", "talkshow.stage", "talkshow.station", "talkshow.webrtc"))
    }


_BUILTIN_ERRORS = {
    name for name, value in vars(builtins).items() if isinstance(value, type) and issubclass(value, BaseException)
}


def test_every_error_talkshow_raises_is_in_its_one_tree() -> None:
    """An exception class whose only bases are Python's own sits outside ``TalkshowError``: a caller catching
    talkshow's errors would miss it."""
    outside = []
    for path in (SRC / "talkshow").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.ClassDef) or node.name == "TalkshowError":
                continue
            bases = {b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in node.bases}
            if bases and bases <= _BUILTIN_ERRORS:
                outside.append(f"{path.relative_to(SRC)}: {node.name}({', '.join(sorted(bases))})")
    assert outside == []


def test_an_error_crosses_processes_whole() -> None:
    """A worker's error reaches the parent by pickle with its class, message and attributes (an error whose
    __init__ takes more than a message once broke a whole process pool when it could not be rebuilt)."""
    import pickle

    from talkshow.core.errors import LineHeldError, ShowFileError, UnknownCharacterError

    for error in (
        UnknownCharacterError("nobody", ["duke", "wendell"]),
        ShowFileError("show.toml", "bad key", line=3),
        LineHeldError("held", "threat", "meaning"),
    ):
        again = pickle.loads(pickle.dumps(error))
        assert type(again) is type(error) and str(again) == str(error) and vars(again) == vars(error)
