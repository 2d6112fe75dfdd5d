"""The layout keeps its shape: no import cycles, a light config, talk/phone/server behind the engine's
interfaces, providers registered in one table, and modules of a readable size."""

from __future__ import annotations

import subprocess
import sys

from import_graph import SRC, cycles, graph
from talkshow import providers

MAX_MODULE_LINES = 400
ENGINE_FACES = {"talkshow.live.interface"}  # all that talk, phone and server may import of talkshow.live


def test_there_are_no_import_cycles() -> None:
    assert cycles(graph()) == []


def test_talk_phone_and_the_server_use_the_engine_only_through_its_interfaces() -> None:
    edges = graph()
    reaching_in = {
        (module, target)
        for module, targets in edges.items()
        if module.startswith(("talkshow.talk.", "talkshow.phone.", "talkshow.server."))
        for target in targets
        if target.startswith("talkshow.live") and target not in ENGINE_FACES
    }
    assert reaching_in == set()


def test_reading_the_config_loads_no_provider_codec_or_model() -> None:
    provider_modules = {
        path.partition(":")[0] for name in providers.__all__ for path in getattr(providers, name)._builtins.values()
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
