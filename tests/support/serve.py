"""A real `talkshow serve` for tests: ``Served`` (the one the benchmarks use too) and a small studio on it."""

from __future__ import annotations

import contextlib
import json
import shutil
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from talkshow.audio import wav_bytes
from talkshow.bench.serving import Served

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


TALKSHOW = Path(sys.executable).with_name("talkshow")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> tuple[int, bytes, str]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read(), response.headers.get("Content-Type", "")


def start_studio(
    tmp_path: Path,
    shows_dir: Path,
    db: Path,
    turns: int = 3,
    env: dict[str, str] | None = None,
    args: tuple[str, ...] = (),
) -> tuple[str, Path, subprocess.Popen[bytes]]:
    """`talkshow serve` on a free port with a 640x360 show (so the test machine keeps up) and ``db``.

    ``env``: variables to set for the server on top of this process's own; ``args``: more options.
    """
    show = small_show(tmp_path, (shows_dir / "lambo.toml").read_text())
    hls = tmp_path / f"hls-{free_port()}"
    served = Served(
        [str(show), "--hls-dir", str(hls), "--db", str(db), "--turns", str(turns), *args],
        tmp_path / f"{hls.name}.log",
        env,
        ready_path="/api/status",
        also=(hls / "live.m3u8").exists,
    )
    return served.base, hls, served.process


def studio_log(hls: Path) -> str:
    """What the studio ``start_studio`` started (playlists in ``hls``) has printed so far."""
    return (hls.parent / f"{hls.name}.log").read_text()


def small_show(folder: Path, show_text: str, name: str = "small.toml") -> Path:
    """``show_text`` at 640x360 (so the test machine keeps up), written to ``folder/name``."""
    show = folder / name
    show.write_text(show_text + "\n[video]\nwidth = 640\nheight = 360\n")
    return show


class TalkStudio:
    """A running `talkshow serve` with a trace file."""

    def __init__(self, served: Served, trace: Path) -> None:
        self.served, self.base, self.trace, self.process = served, served.base, trace, served.process

    def events(self, *kinds: str) -> list[dict[str, Any]]:
        """The trace's events so far (of ``kinds``, if given)."""
        lines = self.trace.read_text().splitlines()
        return [e for e in map(json.loads, lines) if not kinds or e["kind"] in kinds]


def start_talk_studio(tmp: Path, show_text: str) -> TalkStudio:
    """``show_text`` served small, with a trace, for four turns a show."""
    show, trace = small_show(tmp, show_text), tmp / "trace.jsonl"
    args = [str(show), "--hls-dir", str(tmp / "hls"), "--db", str(tmp / "studio.sqlite3"), "--trace", str(trace)]
    return TalkStudio(Served([*args, "--turns", "4"], tmp / "serve.log"), trace)


def fake_microphone(wav: Path, speech: npt.NDArray[np.int16], answer_s: float) -> list[str]:
    """Chromium's flags for a headless call whose microphone loops ``wav``: half a second of silence, ``speech``
    (48 kHz), then ``answer_s`` of silence to hear the answer in (written to ``wav`` here)."""
    silence = np.zeros(round(48_000 * answer_s), np.int16)
    wav.write_bytes(wav_bytes(np.concatenate([np.zeros(24_000, np.int16), speech, silence]), 48_000))
    return ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-audio-capture={wav}", "--autoplay-policy=no-user-gesture-required"]  # fmt: skip


@contextlib.contextmanager
def headless_page(flags: list[str]) -> Iterator[tuple[Any, list[str]]]:
    """A page in headless Chromium started with ``flags``, and the errors its scripts throw (closed after)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=flags)
        try:
            page = browser.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            yield page, errors
        finally:
            browser.close()


def call_from_the_talk_page(page: Any, base: str, character: str, level: str = "") -> None:
    """Open ``/talk``, call ``character`` (on a tutor show, a lesson at ``level``) and wait until it is on air."""
    page.goto(base + "/talk")
    page.wait_for_selector(f"#character option[value='{character}']", state="attached")
    if level:
        page.wait_for_selector(f"#level option[value='{level}']", state="attached")
        page.select_option("#level", level)
    page.click("#call")
    page.wait_for_function("document.getElementById('state').textContent.startsWith('on air')", timeout=20_000)
