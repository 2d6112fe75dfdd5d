"""What a hostile or unlucky user tried, each kept as a test: secrets, cross-site requests, uploads, files."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import socket
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from support.small_shows import small_config
from support.studio_api import call
from talkshow.core.errors import TalkshowError
from talkshow.live.settings import LiveSettings
from talkshow.redact import RedactingFilter, redact_text, redact_url
from talkshow.server.app import create_app
from talkshow.server.security import TokenGate
from talkshow.server.studio_routes import MAX_UPLOAD_BYTES
from talkshow.station.engine import build_engine
from talkshow.station.station import Station, open_station
from talkshow.telemetry.events import MemorySink, Telemetry

KEY = "live_8472_SECRETKEYabc"


@pytest.fixture(scope="module")
def station(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Station]:
    tmp = tmp_path_factory.mktemp("security")
    station = open_station(
        small_config(tmp), LiveSettings(hls_dir=tmp / "hls", topics=()), tmp / "studio.sqlite3", Telemetry()
    )
    station.engine.programme.hold()
    station.engine.start()
    yield station
    station.engine.stop()
    station.studio.close()


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (f"rtmp://live.twitch.tv/app/{KEY}", "rtmp://live.twitch.tv/app/***"),
        (f"rtmp://live.twitch.tv/app/{KEY}/", "rtmp://live.twitch.tv/app/***/"),
        (f"rtmps://bob:hunter2@a.rtmp.youtube.com:443/live2/{KEY}", "rtmps://***@a.rtmp.youtube.com:443/live2/***"),
        (f"rtmp://host/live?key={KEY}", "rtmp://host/***?***"),
        ("http://user:pw@127.0.0.1:11434/v1?api_key=abc", "http://***@127.0.0.1:11434/v1?***"),
    ],
)
def test_urls_lose_keys_and_credentials(url: str, shown: str) -> None:
    assert redact_url(url) == shown
    text = redact_text(f"Error opening output {url}: Connection refused")
    assert "hunter2" not in text and KEY not in text and "api_key" not in text


def test_log_records_are_redacted_by_the_cli_filter(caplog: pytest.LogCaptureFixture) -> None:
    record = logging.LogRecord("x", logging.WARNING, __file__, 1, "push to %s failed", (f"rtmp://h/app/{KEY}",), None)
    assert RedactingFilter().filter(record) and KEY not in record.getMessage()


def test_a_failing_rtmp_push_never_shows_its_key_in_argv_events_logs_or_status(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with socket.socket() as sock:  # a port nobody listens on: every connect is refused
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"rtmp://streamer:pa55word@127.0.0.1:{port}/app/{KEY}"
    sink = MemorySink()
    settings = LiveSettings(hls_dir=tmp_path / "hls", topics=(), rtmp_urls=(url,), rtmp_backoff_s=(0.2, 0.4))
    engine = build_engine(small_config(tmp_path), settings, Telemetry([sink]))
    caplog.set_level(logging.DEBUG)
    with engine:
        deadline = time.monotonic() + 20
        while not sink.of_kind("rtmp_error") and time.monotonic() < deadline:
            time.sleep(0.1)
        pushers = [p for p in Path("/proc").iterdir() if p.name.isdigit() and _cmdline(p).count("_rtmp_push")]
        argv = [_cmdline(p) for p in pushers]
        status = engine.supervisor.snapshot()
    assert pushers, "the pusher process ran"
    assert all(KEY not in a and "pa55word" not in a for a in argv), argv
    errors = sink.of_kind("rtmp_error")
    assert errors, "the refusal was reported"
    everything = json.dumps([e.as_dict() for e in sink.events], default=str) + caplog.text + json.dumps(status)
    assert KEY not in everything and "pa55word" not in everything
    assert "rtmp://***@127.0.0.1" in everything, "the destination is still recognisable"


def _cmdline(proc: Path) -> str:
    try:
        return (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def test_cross_site_requests_and_rebinding_hosts_are_refused(station: Station) -> None:
    app = create_app(station, None)
    frames = station.engine.stats.frames
    own = {"Origin": "http://127.0.0.1"}
    replies = call(
        app,
        ("POST", "/api/say", {"data": {"character": "duke", "text": "pwned"}, "headers": {"Origin": "https://evil.example"}}),
        ("POST", "/api/control/stop", {"content": b"x", "headers": {"Origin": "https://evil.example",
                                                                    "Content-Type": "text/plain"}}),
        ("POST", "/api/topics", {"json": {"topic": "rebinding"}, "headers": {"Host": "evil.example:8000"}}),
        ("GET", "/api/status", {"headers": {"Host": "attacker.test"}}),
        ("POST", "/api/control/start", {"headers": {"Sec-Fetch-Site": "cross-site"}}),
        ("POST", "/api/control/stop", {"headers": own}),  # the studio page itself
        ("GET", "/api/status", {"headers": {"Origin": "https://evil.example"}}),  # reading needs no Origin check
    )  # fmt: skip
    assert [r.status_code for r in replies] == [403, 403, 421, 421, 403, 200, 200], [r.text for r in replies]
    assert "cross-site request refused" in replies[0].json()["error"]
    assert "evil.example:8000" in replies[2].json()["error"]
    assert not [line for line in station.studio.store.lines(limit=50) if "pwned" in line.text]
    time.sleep(0.5)
    assert station.engine.stats.frames > frames, "the stream kept going"


def websocket(app: Any, path: str, headers: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Open a WebSocket on the ASGI app, take the first message, hang up; what the app sent."""
    route, _, query = path.partition("?")
    raw = {"host": "127.0.0.1", **(headers or {})}
    encoded = [(k.lower().encode(), v.encode()) for k, v in raw.items()]
    scope = {
        "type": "websocket", "asgi": {"version": "3.0"}, "scheme": "ws", "path": route, "raw_path": route.encode(),
        "root_path": "", "query_string": query.encode(), "headers": encoded,
        "server": ("127.0.0.1", 80), "client": ("127.0.0.1", 50000), "subprotocols": [],
    }  # fmt: skip
    sent: list[dict[str, Any]] = []

    async def run() -> None:
        inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        await inbox.put({"type": "websocket.connect"})

        async def send(message: dict[str, Any]) -> None:
            if message["type"] == "websocket.send" and any(m["type"] == "websocket.send" for m in sent):
                raise OSError("the client hung up")  # what a real socket does once the peer is gone
            sent.append(message)

        session = asyncio.ensure_future(app(scope, inbox.get, send))
        deadline = time.monotonic() + 10
        while not session.done() and len(sent) < 2 and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        session.cancel()  # hang up: we have the answer (a close, or an accept and the hello)
        with contextlib.suppress(asyncio.CancelledError):
            await session

    asyncio.run(run())
    return sent


def test_websockets_check_origin_and_need_the_token_beyond_loopback(station: Station) -> None:
    from talkshow.server.security import _digest  # the stored form of a token

    open_app = create_app(station, None)
    foreign = websocket(open_app, "/api/events", {"Origin": "https://evil.example"})
    assert foreign[0]["type"] == "websocket.close" and foreign[0]["code"] == 1008
    own = websocket(open_app, "/api/events", {"Origin": "http://127.0.0.1"})
    assert own[0]["type"] == "websocket.accept" and "hello" in json.loads(own[1]["text"])
    gated = create_app(station, None, gate=TokenGate(_digest("s3cret")), hosts=None)
    refused = websocket(gated, "/api/events")
    assert refused[0]["type"] == "websocket.close" and "missing bearer token" in refused[0]["reason"]
    allowed = websocket(gated, "/api/events?token=s3cret")
    assert allowed[0]["type"] == "websocket.accept" and "hello" in json.loads(allowed[1]["text"])


def test_beyond_loopback_watching_is_open_but_the_callers_words_and_calling_in_need_the_token(
    station: Station,
) -> None:
    from talkshow.server.security import _digest

    gated = create_app(station, None, gate=TokenGate(_digest("s3cret")), hosts=None)
    sdp = {"Content-Type": "application/sdp"}
    replies = call(
        gated,
        ("POST", "/api/rtc/watch", {"content": b"v=0", "headers": sdp}),  # not 401: the offer is what is wrong
        ("DELETE", "/api/rtc/AbCdEf0123456789", {}),  # a session id only its own peer has: 404, not 401
        ("GET", "/api/rtc/call", {}),
        ("POST", "/api/rtc/talk", {"content": b"v=0", "headers": sdp}),
        ("DELETE", "/api/rtc/call", {}),
        ("GET", "/api/rtc/call", {"headers": {"Authorization": "Bearer s3cret"}}),
    )
    assert [r.status_code for r in replies] == [400, 404, 401, 401, 401, 200], [r.text for r in replies]
    assert "history" in replies[-1].json()


def test_uploads_are_bounded_while_streaming_and_the_token_comes_first(station: Station) -> None:
    from talkshow.server.security import _digest

    app = create_app(station, None, gate=TokenGate(_digest("s3cret")), hosts=None)
    sent = {"bytes": 0}

    async def chunked(total: int) -> AsyncIterator[bytes]:
        boundary_head = b'--b\r\nContent-Disposition: form-data; name="audio"; filename="a.wav"\r\n\r\n'
        yield boundary_head
        chunk = bytes(1 << 20)
        while sent["bytes"] < total:
            sent["bytes"] += len(chunk)
            yield chunk

    async def run() -> tuple[httpx.Response, int, httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            headers = {"Content-Type": "multipart/form-data; boundary=b"}
            unauthorised = await client.post("/api/say", content=chunked(200 << 20), headers=headers)
            read_before_401 = sent["bytes"]
            sent["bytes"] = 0
            headers["Authorization"] = "Bearer s3cret"
            too_big = await client.post("/api/say", content=chunked(60 << 20), headers=headers)
            return unauthorised, read_before_401, too_big

    unauthorised, read_before_401, too_big = asyncio.run(run())
    assert unauthorised.status_code == 401
    assert read_before_401 <= 8 << 20, "the token is checked before the body is read (transport buffering aside)"
    assert too_big.status_code == 413 and "limited to 20 MB" in too_big.json()["error"], too_big.text
    assert sent["bytes"] <= MAX_UPLOAD_BYTES + (4 << 20), "refused while streaming, not after reading it all"


def test_stream_files_are_served_only_by_their_own_names_and_never_through_symlinks(
    station: Station, tmp_path: Path
) -> None:
    hls_dir = station.engine.settings.hls_dir
    deadline = time.monotonic() + 15
    while station.engine.hls.published < 1:  # the playlist exists once the first segment is out
        assert time.monotonic() < deadline
        time.sleep(0.05)
    secret = tmp_path / "secret.txt"
    secret.write_text("root:hash")
    planted = hls_dir / "seg999999.ts"
    planted.symlink_to(secret)
    try:
        replies = call(
            create_app(station, None),
            ("GET", "/hls/seg999999.ts", {}),
            ("GET", "/hls/" + "a" * 300 + ".ts", {}),
            ("GET", "/hls/..%2Fstudio.sqlite3", {}),
            ("GET", "/hls/live.m3u8", {}),
        )
    finally:
        planted.unlink()
    assert [r.status_code for r in replies] == [404, 404, 404, 200], [r.text[:200] for r in replies]
    assert all("error" in r.json() for r in replies[:3]) and b"root:hash" not in replies[0].content


def test_an_hls_directory_owned_by_someone_else_or_a_symlink_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "real"
    target.mkdir()
    link = tmp_path / "link"
    link.symlink_to(target)
    with pytest.raises(TalkshowError, match="is a symlink"):
        build_engine(small_config(tmp_path), LiveSettings(hls_dir=link, topics=()), Telemetry())
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    with pytest.raises(TalkshowError, match="writable by others"):
        build_engine(small_config(tmp_path), LiveSettings(hls_dir=shared, topics=()), Telemetry())
    if os.geteuid() == 0:
        foreign = tmp_path / "foreign"
        foreign.mkdir(mode=0o700)
        os.chown(foreign, 65534, 65534)
        with pytest.raises(TalkshowError, match="belongs to another user"):
            build_engine(small_config(tmp_path), LiveSettings(hls_dir=foreign, topics=()), Telemetry())


def test_only_talkshows_own_files_are_cleared_from_a_given_hls_dir(tmp_path: Path) -> None:
    hls = tmp_path / "hls"
    hls.mkdir(mode=0o700)
    (hls / "other.m3u8").write_text("#EXTM3U\n")
    (hls / "notes.ts").write_text("not ours")
    (hls / "seg000042.ts").write_bytes(b"stale")
    engine = build_engine(small_config(tmp_path), LiveSettings(hls_dir=hls, topics=(), frame_limit=15), Telemetry())
    with engine:
        engine.wait(timeout=20)
    assert (hls / "other.m3u8").exists() and (hls / "notes.ts").exists()
    assert not (hls / "seg000042.ts").exists()


def tone(seconds: float) -> bytes:
    import numpy as np

    from talkshow.audio import wav_bytes

    return wav_bytes((np.sin(np.arange(int(seconds * 8000)) * 0.3) * 5000).astype(np.int16), 8000)


def test_inputs_that_used_to_be_500s_get_a_json_4xx_naming_the_problem(station: Station) -> None:
    import struct

    good = tone(0.5)
    say = "/api/say"
    huge_rate = good[:24] + struct.pack("<I", 2**31 - 1) + good[28:]
    huge_junk = good[:12] + b"JUNK" + struct.pack("<I", 0xFFFFFFF0) + bytes(64)
    surrogate = {"content": b'{"topic": "caf\\ud800"}', "headers": {"Content-Type": "application/json"}}
    cases: list[tuple[str, str, dict[str, Any], int, str]] = [
        ("GET", f"/api/shows/{2**63}", {}, 422, "show_id"),
        ("DELETE", f"/api/shows/{2**64}", {}, 422, "show_id"),
        ("POST", "/api/topics", surrogate, 400, "lone surrogate"),
        ("POST", "/api/topics", {"json": {"topic": "null\u0000byte"}}, 400, "control character U+0000"),
        ("POST", "/api/topics", {"json": {"topic": "\u001b[2Jcleared"}}, 400, "control character U+001B"),
        ("POST", say, {"data": {"character": "duke", "text": "😀🎉😀"}}, 400, "nothing speakable"),
        ("POST", say, {"data": {"character": "duke"}, "files": {"audio": ("t.wav", huge_rate)}}, 415, "is not audio"),
        ("POST", say, {"data": {"character": "duke"}, "files": {"audio": ("j.wav", huge_junk)}}, 415, "upload"),
        ("GET", "/no/such/page", {}, 404, "Not Found"),
        ("PUT", "/api/status", {}, 405, "Method Not Allowed"),
    ]  # fmt: skip
    replies = call(create_app(station, None), *[(m, u, kw) for m, u, kw, _, _ in cases])
    for (method, url, _, status, words), reply in zip(cases, replies, strict=True):
        assert reply.headers["content-type"].startswith("application/json"), (method, url, reply.text)
        assert reply.status_code == status and words in reply.json()["error"], (method, url, reply.text)
    odd = {"data": {"character": "duke"}, "files": {"audio": ("odd.wav", good[:1001])}}
    (truncated,) = call(create_app(station, None), ("POST", say, odd))
    assert truncated.status_code == 202 and truncated.json()["decode_ms"] > 0, "what is there plays; decode is timed"


def test_pushed_lines_are_bounded_and_skip_cuts_them(station: Station) -> None:
    app = create_app(station, None)
    programme = station.engine.programme
    clip = ("POST", "/api/say", {"data": {"character": "wendell"}, "files": {"audio": ("c.wav", tone(100.0))}})
    replies = call(app, clip, clip, clip, clip)  # the first goes on air; two wait (200 s); a third would pass 240 s
    assert [r.status_code for r in replies[:3]] == [202, 202, 202]
    assert replies[3].status_code == 429 and "240 s" in replies[3].json()["error"]
    assert int(replies[3].headers["Retry-After"]) >= 1
    cjk = "这是一个非常长的句子，我们要看看它会说多久。" * 18
    (long_line,) = call(app, ("POST", "/api/say", {"data": {"character": "duke", "text": cjk[:400]}}))
    assert long_line.status_code == 400 and "limited to 45 s" in long_line.json()["error"], long_line.text
    (skipped,) = call(app, ("POST", "/api/control/skip", {}))
    assert skipped.status_code == 200
    deadline = time.monotonic() + 5
    while (programme.has_pushed or _pushed_on_air(station)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not programme.has_pushed and not _pushed_on_air(station), (
        "skip dropped the waiting clip and cut the airing one"
    )


def _pushed_on_air(station: Station) -> bool:
    turn = station.engine.director.on_air
    return turn is not None and turn.source == "say"


def test_the_database_has_a_schema_version_and_a_damaged_one_is_named(tmp_path: Path) -> None:
    from talkshow.studio.store import SCHEMA_VERSION, StudioDatabaseError, StudioStore

    path = tmp_path / "studio.sqlite3"
    store = StudioStore(path)
    with pytest.raises(ValueError, match="not line fields"):
        store.update_line("k", None, 1, **{"text = 'x', status": "done"})
    store.close()
    import sqlite3

    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StudioDatabaseError, match="newer than this talkshow"):
        StudioStore(path)
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(b"SQLite format 3\x00" + os.urandom(4096))
    with pytest.raises(StudioDatabaseError, match=r"damaged.sqlite3 cannot be used .* move it aside"):
        StudioStore(damaged)
