"""The faults the soak injects, each a real thing breaking: a server, a disk, a process, a file.

Every fault has ``begin`` and ``end``; ``recovered`` says whether its part works again.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from talkshow.config import VoiceSettings
from talkshow.core.kinds.voice import Speech, Voice, VoiceInfo
from talkshow.telemetry.events import Event
from talkshow.voice.espeak import EspeakEngine

WRITER_LINES = [
    ("duke", "The lambo is a metaphor, and I am the driver."),
    ("wendell", "A metaphor with a parking ticket, apparently."),
    ("duke", "Tickets are just fan mail from the city."),
    ("wendell", "Fan mail does not usually come with a tow truck."),
]


class ChatEndpoint:
    """An OpenAI-compatible streaming endpoint that can be switched to fail (503) or hang."""

    def __init__(self) -> None:
        self.mode = "ok"  # ok | error | hang
        self.requests = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers["Content-Length"]))
                outer.requests += 1
                if outer.mode == "error":
                    self.send_response(503)
                    self.end_headers()
                    self.wfile.write(b'{"error": "overloaded"}')
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                with contextlib.suppress(OSError):
                    for speaker, text in WRITER_LINES:
                        while outer.mode == "hang":
                            time.sleep(0.2)
                        piece = json.dumps({"speaker": speaker, "text": f"{text} ({outer.requests})"}) + "\n"
                        chunk = {"choices": [{"index": 0, "delta": {"content": piece}}]}
                        self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                        self.wfile.flush()
                    self.wfile.write(b"data: [DONE]\n\n")

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/v1"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        """Stop serving."""
        self.mode = "ok"
        self.httpd.shutdown()


class FaultyEspeak:
    """Real espeak-ng whose voices raise (``error``) or stall 30 s (``hang``) while a fault is on."""

    name = "espeak"  # it stands in for espeak-ng in the engines table

    def __init__(self) -> None:
        self.inner = EspeakEngine()
        self.mode = "ok"
        self.succeeded_at = 0.0  # Unix time of the last good synthesis

    def version(self) -> str:
        """The wrapped engine's version."""
        return self.inner.version()

    def list_voices(self) -> list[VoiceInfo]:
        """The wrapped engine's voices."""
        return self.inner.list_voices()

    def voice(self, settings: VoiceSettings) -> Voice:
        """A voice that fails while the fault is on."""
        inner, engine = self.inner.voice(settings), self

        class Faulty:
            def synthesize(self, text: str) -> Speech:
                if engine.mode == "error":
                    raise OSError("injected TTS failure")
                if engine.mode == "hang":
                    time.sleep(30)
                speech = inner.synthesize(text)
                engine.succeeded_at = time.time()
                return speech

        return Faulty()


class RtmpServer:
    """ffmpeg listening as an RTMP server; ``stop`` drops it, ``start`` brings it back."""

    def __init__(self, workdir: Path) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.url = f"rtmp://127.0.0.1:{self.port}/live/soak-secret-key"
        self.workdir = workdir
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Listen for one publisher (ffmpeg's RTMP server takes one connection per process)."""
        command = ["ffmpeg", "-nostdin", "-loglevel", "error", "-listen", "1", "-i", self.url, "-c", "copy", "-f"]
        self.process = subprocess.Popen([*command, "null", "-"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def stop(self) -> None:
        """Drop the server and whatever is connected."""
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None

    def keep_listening(self) -> None:
        """Restart the listener if the publisher left (a reconnect needs a fresh process)."""
        if self.process is not None and self.process.poll() is not None:
            self.start()


class FullDisk:
    """A small tmpfs (root only) that a junk file fills and frees."""

    def __init__(self, mount: Path, size_mb: int) -> None:
        self.mount = mount
        mount.mkdir(parents=True, exist_ok=True)
        os.chmod(mount, 0o700)
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_mb}m,mode=0700", "tmpfs", str(mount)], check=True)
        self.junk = mount / "junk.bin"

    def fill(self) -> None:
        """Fill every free byte."""
        with contextlib.suppress(OSError), self.junk.open("wb") as out:
            while True:
                out.write(b"\0" * (1 << 20))

    def free(self) -> None:
        """Delete the junk."""
        self.junk.unlink(missing_ok=True)

    def close(self) -> None:
        """Unmount."""
        subprocess.run(["umount", "-l", str(self.mount)], check=False)


class CorruptClip:
    """Overwrites the TV's clip with garbage, and puts the good one back."""

    def __init__(self, clip: Path) -> None:
        self.clip = clip
        self.good = clip.read_bytes()

    def begin(self) -> None:
        """Keep the MP4 header's first bytes, garble the rest: the decoder fails mid-file."""
        self.clip.write_bytes(self.good[:64] + os.urandom(len(self.good) - 64))

    def end(self) -> None:
        """The good clip again."""
        self.clip.write_bytes(self.good)


class RaisingSink:
    """A telemetry sink that raises while its fault is on; counts what it received."""

    def __init__(self) -> None:
        self.raising = False
        self.received_after_end = 0

    def record(self, event: Event) -> None:
        """Raise, or count."""
        if self.raising:
            raise RuntimeError("injected sink failure")
        self.received_after_end += 1

    def close(self) -> None:
        """Nothing to release."""


class StuckWebSocket:
    """A WebSocket client of ``/api/events`` that completes the handshake and never reads."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.sock: socket.socket | None = None

    def begin(self) -> None:
        """Connect and then ignore everything the server sends."""
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=5)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        request = (
            f"GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\nUpgrade: websocket\r\n"
            "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
        sock.sendall(request.encode())
        self.sock = sock

    def end(self) -> None:
        """Hang up."""
        if self.sock is not None:
            self.sock.close()
            self.sock = None


class CpuHog:
    """A process spinning one core flat out."""

    def __init__(self) -> None:
        self.process: subprocess.Popen[bytes] | None = None

    def begin(self) -> None:
        """Start spinning."""
        self.process = subprocess.Popen([sys.executable, "-c", "while True: pass"])

    def end(self) -> None:
        """Stop spinning."""
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None


def can_mount() -> bool:
    """True when this process may mount a tmpfs (root with the mount binary)."""
    return os.geteuid() == 0 and shutil.which("mount") is not None


def part_state(snapshot: dict[str, dict[str, Any]], prefix: str) -> str:
    """The state of the first part whose name starts with ``prefix`` ('' if none)."""
    return next((part["state"] for name, part in snapshot.items() if name.startswith(prefix)), "")
