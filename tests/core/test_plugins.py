"""Plug-ins: a package outside talkshow adds a voice, an STT, an output and a caller transport through entry
points, and a real `talkshow serve` runs a show on all four.

The package is ``tests/plugin`` (its ``.dist-info`` holds the entry points, as ``pip install``
would write them); it is put on ``PYTHONPATH``, never imported by talkshow by name. A caller
dials in over the plug-in's transport (raw 16 kHz PCM over TCP), asks a question, and hears
the plug-in voice answer; the plug-in STT wrote what it heard; the plug-in output's file is
real H.264 and AAC, decoded back.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest

from support.paths import TESTS
from support.serve import TALKSHOW, free_port
from support.spoken import SPEAKERS, noisy, utterance
from talkshow.bench.serving import Served

# Not `beside`: its recording counts the show's frames in real time, and a show starved of CPU (in the idle
# scheduling class beside the solo tier) recorded 290 where the call alone needs 360.
pytestmark = pytest.mark.slow  # a whole server, a browser or minutes of air: make test

PLUGIN = TESTS / "plugin"
FRAME = 320  # samples in 20 ms at 16 kHz, the plug-in transport's rate
QUESTION = "what do you think about the moon"


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(PLUGIN), os.environ.get("PYTHONPATH")]))}


def test_talkshow_lists_each_plugin_provider_by_kind() -> None:
    listed = subprocess.run([str(TALKSHOW), "providers"], env=_env(), capture_output=True, text=True, check=True)
    kinds = {line.split()[0]: line for line in listed.stdout.splitlines()}
    for kind, name in (("voice", "chipmunk"), ("stt", "tagged-sphinx"), ("output", "mkv"), ("transport", "rawpcm")):
        assert f"{name} (plug-in: talkshow_testplugin." in kinds[kind], kinds[kind]


async def _call(port: int, question: np.ndarray) -> tuple[np.ndarray, int]:
    """Dial in, hear the greeting out, ask, and listen 6 s; returns all heard (16 kHz) and where the question ended."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"CALL 5551230000\n")
    heard: list[bytes] = []

    async def listen() -> None:
        while data := await reader.read(4096):
            heard.append(data)

    listening = asyncio.ensure_future(listen())
    loop = asyncio.get_running_loop()
    due = loop.time()

    async def send(samples: np.ndarray) -> None:
        nonlocal due
        for start in range(0, len(samples) - FRAME + 1, FRAME):
            writer.write(samples[start : start + FRAME].astype("<i2").tobytes())
            due += 0.02
            await asyncio.sleep(max(0.0, due - loop.time()))

    await send(np.zeros(16_000 * 7, np.int16))  # the greeting plays
    await send(question)
    asked = sum(map(len, heard)) // 2
    await send(np.zeros(16_000 * 6, np.int16))
    writer.close()
    listening.cancel()
    return np.frombuffer(b"".join(heard)[: sum(map(len, heard)) // 2 * 2], "<i2"), asked


def test_a_show_runs_on_a_plugins_voice_stt_output_and_transport(tmp_path: Path) -> None:
    raw_port, heard_log, mkv = free_port(), tmp_path / "heard.txt", tmp_path / "show.mkv"
    show = tmp_path / "plugged.toml"
    show.write_text(
        f'topic = "the moon"\n[[cast]]\ncharacter = "duke"\n[cast.voice]\nengine = "chipmunk"\nvoice = "squeak"\n'
        f'[[cast]]\ncharacter = "wendell"\n[talk]\nstt = "tagged-sphinx"\nstt_options = {{ log = "{heard_log}" }}\n'
        f"[phone.transport.rawpcm]\nport = {raw_port}\n[video]\nwidth = 640\nheight = 360\n"
    )
    trace = tmp_path / "trace.jsonl"
    args = [str(show), "--hls-dir", str(tmp_path / "hls"), "--db", str(tmp_path / "db.sqlite3")]
    args += ["--trace", str(trace), "--output", f"mkv:{mkv}"]
    env = {**_env(), "TALKSHOW_CACHE_DIR": str(tmp_path / "cache")}  # every line is synthesized here
    served = Served(args, tmp_path / "serve.log", env)
    try:
        question = noisy([np.zeros(1600, np.int16), utterance(QUESTION, SPEAKERS[0]), np.zeros(1600, np.int16)], 20)
        heard, asked = asyncio.run(_call(raw_port, question))
    finally:
        served.stop(timeout=60)
    events: list[dict[str, Any]] = [json.loads(line) for line in trace.read_text().splitlines()]
    # The plug-in STT heard the caller, and what it heard is what the show took as the question.
    lines = [line for line in heard_log.read_text().splitlines() if line.strip()]
    finals = [e["text"] for e in events if e["kind"] == "stt_final"]
    assert lines and finals and finals[-1] == lines[-1], (lines, finals)
    # The plug-in voice spoke Duke's lines (the greeting and the answer); the caller heard both.
    assert {"chipmunk"} <= {e["engine"] for e in events if e["kind"] == "tts_start"}
    assert np.abs(heard[: 16_000 * 6]).max() > 3000, "the greeting, over the plug-in transport"
    assert np.abs(heard[asked : asked + 16_000 * 5]).max() > 3000, "an answer after the question"
    assert any(e["kind"] == "talk_exchange" for e in events), "the exchange aired"
    # The plug-in output's file is the show: H.264 and AAC, decoded back.
    with av.open(str(mkv), "r") as container:
        video = sum(1 for _ in container.decode(video=0))
    with av.open(str(mkv), "r") as container:
        audio = sum(frame.samples for frame in container.decode(audio=0))
        codecs = {s.codec_context.name for s in container.streams}
    assert codecs == {"h264", "aac"} and video > 30 * 12, (codecs, video)  # the call alone is 14.6 s
    assert abs(video / 30 - audio / 48_000) < 0.1, f"{video / 30:.2f} s of picture, {audio / 48_000:.2f} s of sound"


@pytest.fixture(autouse=True)
def _plugin_not_imported_here() -> None:
    """The plug-in is found through its entry points in the server's process, not imported by the tests."""
    import sys

    assert "talkshow_testplugin" not in sys.modules
