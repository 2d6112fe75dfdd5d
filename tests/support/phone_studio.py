"""A real `talkshow serve` with its phone bridges on, for the phone tests: its trace, its log, and its broadcast.

``HlsTap`` keeps every HLS segment the server publishes (the playlist only lists the last
few), so a test can decode what went out on air at a given wall-clock time.
"""

from __future__ import annotations

import contextlib
import datetime
import io
import json
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import av
import numpy as np

from support.paths import SHOWS
from support.serve import fetch, free_port
from talkshow.bench.serving import Served

TOKEN = "phone-test-secret-7f3a"


class HlsTap:
    """Copies each segment (with its program date-time) as it appears, on a thread."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.segments: dict[str, tuple[float, bytes]] = {}  # name -> (wall time of its first frame, bytes)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.3):
            try:
                lines = (self.folder / "live.m3u8").read_text().splitlines()
            except OSError:
                continue
            when = 0.0
            for line in lines:
                if line.startswith("#EXT-X-PROGRAM-DATE-TIME:"):
                    stamp = line.split(":", 1)[1].replace("Z", "+00:00")
                    when = datetime.datetime.fromisoformat(stamp).timestamp()
                elif line.endswith(".ts") and line not in self.segments:
                    with contextlib.suppress(OSError):
                        self.segments[line] = (when, (self.folder / line).read_bytes())

    def close(self) -> None:
        self._stop.set()
        self._thread.join()

    def audio(self, start_wall: float, end_wall: float) -> np.ndarray:
        """The broadcast's audio (48 kHz) between two wall-clock times, as far as segments cover it."""
        parts = []
        for began, data in sorted(self.segments.values()):
            if began + 1.0 < start_wall or began > end_wall:
                continue
            with av.open(io.BytesIO(data), "r") as container:
                samples = np.concatenate([f.to_ndarray().reshape(-1) for f in container.decode(audio=0)])
            samples = (np.clip(samples, -1, 1) * 32767).astype(np.int16) if samples.dtype.kind == "f" else samples
            first = max(0, round((start_wall - began) * 48_000))
            last = min(len(samples), round((end_wall - began) * 48_000))
            if last > first:
                parts.append(samples[first:last])
        return np.concatenate(parts) if parts else np.zeros(0, np.int16)

    def frame(self, wall: float) -> np.ndarray:
        """The broadcast picture (gray) nearest ``wall``."""
        began, data = min(self.segments.values(), key=lambda s: abs(s[0] + 0.5 - wall))
        with av.open(io.BytesIO(data), "r") as container:
            frames = list(container.decode(video=0))
        index = min(len(frames) - 1, max(0, round((wall - began) * 30)))
        return np.asarray(frames[index].to_ndarray(format="gray"), np.int16)


class PhoneStudio:
    """A running `talkshow serve` with the phone bridges on."""

    def __init__(
        self, folder: Path, phone: str, audiosocket_taken: bool = False, card: Path | None = None, show_text: str = ""
    ) -> None:
        """``audiosocket_taken``: another listener holds the AudioSocket port until ``free_audiosocket``;
        ``card``: Duke's persona and greeting come from this character card; ``show_text``: the show (with no
        ``[phone]`` table: ``phone`` is it) instead of the Lambo Hour."""
        show = folder / "phone.toml"
        lambo = show_text or (SHOWS / "lambo.toml").read_text()
        if card is not None:
            lambo = lambo.replace('id = "duke"\n', f'id = "duke"\ncard = "{card}"\n', 1)
        self.audiosocket_port = free_port()
        self._squatter: socket.socket | None = None
        if audiosocket_taken:
            self._squatter = socket.create_server(("127.0.0.1", self.audiosocket_port))
        phone += f'\naudiosocket = "127.0.0.1:{self.audiosocket_port}"\n'
        show.write_text(f"{lambo}\n[video]\nwidth = 640\nheight = 360\n\n[phone]\n{phone}")
        self.trace, self.log, hls = folder / "trace.jsonl", folder / "serve.log", folder / "hls"
        args = [str(show), "--hls-dir", str(hls), "--db", str(folder / "studio.sqlite3"), "--trace", str(self.trace)]
        self.served = Served([*args, "--turns", "4"], self.log, {"TALKSHOW_PHONE_TOKEN": TOKEN})
        self.process, self.base, self.ws = self.served.process, self.served.base, self.served.ws
        self.hls = HlsTap(hls)

    def free_audiosocket(self) -> None:
        """The other listener goes: talkshow may have the port."""
        if self._squatter is not None:
            self._squatter.close()
            self._squatter = None

    def part(self, name: str) -> dict[str, Any]:
        """A part's state as ``/api/status`` shows it."""
        parts: dict[str, dict[str, Any]] = json.loads(fetch(self.base + "/api/status")[1])["parts"]
        return parts.get(name, {})

    @property
    def twilio_url(self) -> str:
        """The media stream's address, with the secret in the path (as a Twilio <Stream url> carries it)."""
        return f"{self.ws}/api/phone/twilio/{TOKEN}"

    def events(self, *kinds: str) -> list[dict[str, Any]]:
        lines = self.trace.read_text().splitlines()
        return [e for e in map(json.loads, lines) if not kinds or e["kind"] in kinds]

    def wait_for(
        self, kind: str, timeout: float = 10.0, where: Callable[[dict[str, Any]], bool] = bool, **fields: Any
    ) -> dict[str, Any]:
        """The first ``kind`` event with ``fields`` (and for which ``where`` holds), waiting for it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for event in self.events(kind):
                if all(event.get(k) == v for k, v in fields.items()) and where(event):
                    return event
            time.sleep(0.1)
        raise AssertionError(f"no {kind} event with {fields} within {timeout:g} s")

    def close(self) -> None:
        self.free_audiosocket()
        self.hls.close()
        self.served.stop()
