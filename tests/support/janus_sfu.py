"""A real SFU for tests: Janus (Debian's ``janus``) with Debian's ``simple-whip-server`` in front of it.

``make test`` installs Janus with apt and unpacks ``simple-whip-server`` into ``tests/sfu/``
with the node modules that ``tests/sfu/package-lock.json`` pins (Debian's own ``node-*``
packages need Debian's nodejs, which conflicts with NodeSource's). Without them the tests
that need an SFU skip and say which part is missing.

``JanusSfu`` runs Janus on free ports with a VideoRoom for H.264 and Opus, and the WHIP
front end that publishes into it. ``JanusViewer`` is an aiortc peer that joins the room
as a subscriber through the Janus HTTP API, as a player page would, and decodes what the
SFU forwards.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
import signal
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from aiortc import RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import MediaStreamTrack

from support.local_http import poll_until
from support.paths import TESTS
from support.serve import free_port
from support.whip_endpoint import read_track

__all__ = ["JanusSfu", "JanusViewer", "missing_sfu_parts"]

SFU_DIR = TESTS / "sfu"
WHIP_SERVER_SRC = SFU_DIR / "simple-whip-server" / "usr" / "share" / "simple-whip-server" / "src"
JANUS_LIBS = Path("/usr/lib/x86_64-linux-gnu/janus")
ROOM = 1234


def missing_sfu_parts() -> str | None:
    """Why the SFU cannot run here (for a skip), or None."""
    if shutil.which("janus") is None:
        return "janus is not installed (make test installs it with apt as root)"
    if shutil.which("node") is None:
        return "node is not installed"
    if not (WHIP_SERVER_SRC / "server.js").exists() or not (SFU_DIR / "node_modules" / "express").exists():
        return "simple-whip-server is not unpacked in tests/sfu (make sfu-deps)"
    return None


def _janus_config(folder: Path, ws_port: int, http_port: int) -> None:
    """The smallest Janus: the VideoRoom plugin with one H.264 + Opus room, the HTTP and WebSocket APIs."""
    plugins = ",".join(p.name for p in (JANUS_LIBS / "plugins").glob("*.so") if p.name != "libjanus_videoroom.so")
    transports = ",".join(
        p.name for p in (JANUS_LIBS / "transports").glob("*.so")
        if p.name not in ("libjanus_http.so", "libjanus_websockets.so")
    )  # fmt: skip
    (folder / "janus.jcfg").write_text(
        f'general: {{ configs_folder = "{folder}" plugins_folder = "{JANUS_LIBS}/plugins" '
        f'transports_folder = "{JANUS_LIBS}/transports" events_folder = "{JANUS_LIBS}/events" '
        f'loggers_folder = "{JANUS_LIBS}/loggers" debug_level = 3 }}\n'
        'media: { rtp_port_range = "20000-40000" }\n'
        'nat: { ice_ignore_list = "vmnet" }\n'
        f'plugins: {{ disable = "{plugins}" }}\n'
        f'transports: {{ disable = "{transports}" }}\n'
        "events: { broadcast = false }\n"
        'loggers: { disable = "libjanus_jsonlog.so" }\n'
    )
    (folder / "janus.plugin.videoroom.jcfg").write_text(
        f'room-{ROOM}: {{ description = "talkshow" publishers = 2 bitrate = 4000000 fir_freq = 10 '
        'videocodec = "h264" audiocodec = "opus" h264_profile = "42e01f" }\n'
    )
    (folder / "janus.transport.websockets.jcfg").write_text(
        f'general: {{ json = "plain" ws = true ws_port = {ws_port} ws_ip = "127.0.0.1" wss = false }}\n'
        "admin: { admin_ws = false admin_wss = false }\n"
    )
    (folder / "janus.transport.http.jcfg").write_text(
        f'general: {{ json = "plain" base_path = "/janus" http = true port = {http_port} ip = "127.0.0.1" '
        "https = false }\nadmin: { admin_http = false admin_https = false }\n"
    )


class JanusSfu:
    """Janus and its WHIP front end, on free loopback ports, until ``close``; Janus can be killed and restarted."""

    def __init__(self, folder: Path, token: str) -> None:
        self.folder = folder
        self.token = token
        self.ws_port, self.http_port, self.whip_port = free_port(), free_port(), free_port()
        self.janus_url = f"http://127.0.0.1:{self.http_port}/janus"
        self.whip_base = f"http://127.0.0.1:{self.whip_port}/whip"
        self.url = f"{self.whip_base}/endpoint/show"
        self.player = f"http://127.0.0.1:{self.whip_port}/"  # the front end's own page stands in for a player
        folder.mkdir(parents=True, exist_ok=True)
        _janus_config(folder, self.ws_port, self.http_port)
        self.janus: subprocess.Popen[bytes] | None = None
        self.whip: subprocess.Popen[bytes] | None = None
        try:
            self.start_janus()
            self._start_whip_server()
        except BaseException:
            self.close()
            raise

    def start_janus(self) -> None:
        """Start (or restart) Janus, and wait for its HTTP API."""
        log = (self.folder / "janus.log").open("ab")
        self.janus = subprocess.Popen(
            ["janus", "-F", str(self.folder), "-C", str(self.folder / "janus.jcfg"), "-o"],
            stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        poll_until("Janus's HTTP API", lambda: httpx.get(self.janus_url + "/info", timeout=1).status_code == 200, 20,
                   self.logs)  # fmt: skip

    def kill_janus(self) -> None:
        """The SFU dies without a word (SIGKILL)."""
        assert self.janus is not None
        self.janus.send_signal(signal.SIGKILL)
        self.janus.wait(10)

    def _start_whip_server(self) -> None:
        app = self.folder / "whip-server"
        shutil.copytree(WHIP_SERVER_SRC, app / "src", dirs_exist_ok=True, ignore=shutil.ignore_patterns("config.js"))
        (app / "src" / "config.js").write_text(
            "module.exports = {"
            f" janus: {{ address: 'ws://127.0.0.1:{self.ws_port}' }}, port: {self.whip_port},"
            " rest: '/whip', allowTrickle: true, strictETags: false, iceServers: [] };\n"
        )
        log = (self.folder / "whip-server.log").open("ab")
        self.whip = subprocess.Popen(
            ["node", "src/server.js"], cwd=app, stdout=log, stderr=subprocess.STDOUT,
            env={**os.environ, "NODE_PATH": str(SFU_DIR / "node_modules"), "DEBUG": "whip:*,janus:info"},
        )  # fmt: skip

        def endpoint_created() -> bool:
            reply = httpx.post(self.whip_base + "/create", json={"id": "show", "room": ROOM, "token": self.token})
            return reply.status_code == 200

        poll_until("the WHIP front end", endpoint_created, 20, self.logs)

    def publishers(self) -> list[dict[str, Any]]:
        """The room's publishers, from the VideoRoom's ``listparticipants``."""
        with httpx.Client(base_url=self.janus_url, timeout=5) as http:
            session = _data(http.post("", json=_request("create")))["id"]
            handle = _data(http.post(f"/{session}", json=_request("attach", plugin="janus.plugin.videoroom")))["id"]
            reply = http.post(f"/{session}/{handle}", json=_request("message", body={
                "request": "listparticipants", "room": ROOM}))  # fmt: skip
            http.post(f"/{session}", json=_request("destroy"))
        participants = reply.json()["plugindata"]["data"].get("participants", [])
        return [p for p in participants if p.get("publisher")]

    def logs(self) -> str:
        """The tail of Janus's and the front end's logs, for a failure message."""
        return "\n".join(
            f"--- {name}\n" + (self.folder / name).read_text(errors="replace")[-1500:]
            for name in ("janus.log", "whip-server.log") if (self.folder / name).exists()
        )  # fmt: skip

    def close(self) -> None:
        """Stop both processes."""
        for process in (self.whip, self.janus):
            if process is not None and process.poll() is None:
                process.terminate()
                try:
                    process.wait(10)
                except subprocess.TimeoutExpired:
                    process.kill()

    def __enter__(self) -> JanusSfu:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _request(kind: str, **fields: Any) -> dict[str, Any]:
    return {"janus": kind, "transaction": secrets.token_hex(6), **fields}


def _data(reply: httpx.Response) -> dict[str, Any]:
    body = reply.json()
    if body.get("janus") != "success":
        raise RuntimeError(f"Janus said {body}")
    return dict(body["data"])


@dataclass
class JanusViewer:
    """One subscriber to a publisher's feed in the room, as a player page joins it, decoding what arrives."""

    janus_url: str
    feed: int
    video_frames: int = 0
    video_size: tuple[int, int] = (0, 0)
    audio_frames: int = 0
    audio_peak: float = 0.0
    _pc: RTCPeerConnection | None = None
    _readers: list[asyncio.Task[None]] = field(default_factory=list)

    async def join(self) -> None:
        """Attach to the VideoRoom, join as a subscriber, answer the SFU's offer and start."""
        async with httpx.AsyncClient(base_url=self.janus_url, timeout=10) as http:
            session = _data(await http.post("", json=_request("create")))["id"]
            plugin = _request("attach", plugin="janus.plugin.videoroom")
            handle = _data(await http.post(f"/{session}", json=plugin))["id"]
            join = {"request": "join", "ptype": "subscriber", "room": ROOM, "streams": [{"feed": self.feed}]}
            await http.post(f"/{session}/{handle}", json=_request("message", body=join))
            offer = await self._offer(http, session)
            self._pc = pc = RTCPeerConnection()

            @pc.on("track")
            def on_track(track: MediaStreamTrack) -> None:
                self._readers.append(asyncio.ensure_future(self._read(track)))

            await pc.setRemoteDescription(RTCSessionDescription(offer, "offer"))
            await pc.setLocalDescription(await pc.createAnswer())
            answer = {"type": "answer", "sdp": pc.localDescription.sdp}
            start = _request("message", body={"request": "start", "room": ROOM}, jsep=answer)
            await http.post(f"/{session}/{handle}", json=start)

    @staticmethod
    async def _offer(http: httpx.AsyncClient, session: int) -> str:
        """The SFU's offer, from the session's event long-poll."""
        for _ in range(20):
            for event in (await http.get(f"/{session}", params={"maxev": 5}, timeout=35)).json() or []:
                if isinstance(event, dict) and "jsep" in event:
                    return str(event["jsep"]["sdp"])
        raise RuntimeError("Janus sent no offer for the subscription")

    async def _read(self, track: MediaStreamTrack) -> None:
        await read_track(self, track)

    async def close(self) -> None:
        """Leave: close the peer."""
        if self._pc is not None:
            await self._pc.close()
        for reader in self._readers:
            reader.cancel()
