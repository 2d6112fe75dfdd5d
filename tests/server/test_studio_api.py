"""The studio API on the real app (httpx's ASGI transport) with a real engine streaming behind it."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from support.small_shows import small_config
from support.studio_api import call
from talkshow.audio import wav_bytes
from talkshow.live.settings import LiveSettings
from talkshow.server.app import create_app
from talkshow.server.security import RateLimiter, TokenGate, prepare_token
from talkshow.server.studio_routes import MAX_UPLOAD_BYTES
from talkshow.station.station import Station, open_station
from talkshow.telemetry.events import Telemetry

# How long the stream may take to publish a segment, and two more after the bad requests: a second each on an idle
# machine; beside three test workers on two cores the first came late once (more than 2.5 s). A stream that stopped
# publishes none in any time.
STREAM_UP_S = 15.0


def tone_wav(seconds: float, rate: int = 8000) -> bytes:
    return wav_bytes((np.sin(np.arange(int(seconds * rate)) * 0.3) * 6000).astype(np.int16), rate)


@pytest.fixture(scope="module")
def station(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Station]:
    """A studio streaming the idle scene (no house topics), held so queued shows stay queued."""
    tmp = tmp_path_factory.mktemp("studio")
    settings = LiveSettings(hls_dir=tmp / "hls", topics=())
    station = open_station(small_config(tmp), settings, tmp / "studio.sqlite3", Telemetry())
    station.engine.programme.hold()
    station.engine.start()
    yield station
    station.engine.stop()
    station.studio.close()


def test_openapi_documents_every_endpoint(station: Station) -> None:
    app = create_app(station, None)
    schema, docs = call(app, ("GET", "/openapi.json", {}), ("GET", "/docs", {}))
    paths = schema.json()["paths"]
    for path, method in [("/api/shows", "get"), ("/api/shows", "post"), ("/api/shows/{show_id}", "delete"),
                         ("/api/topics", "post"), ("/api/topics/order", "put"), ("/api/characters", "get"),
                         ("/api/voices", "get"), ("/api/say", "post"), ("/api/control/skip", "post"),
                         ("/metrics", "get")]:  # fmt: skip
        assert method in paths.get(path, {}), f"{method.upper()} {path} is documented"
    assert docs.status_code == 200 and "swagger" in docs.text.lower()


def test_topics_queue_in_order_can_be_reordered_and_deleted(station: Station) -> None:
    app = create_app(station, None, topic_limiter=RateLimiter(burst=50, per_s=1))
    cast = [{"id": "wendell", "voice": "espeak:en-gb"}, {"id": "duke"}]
    added = call(
        app,
        ("POST", "/api/topics", {"json": {"topic": "should pigeons get pensions"}}),
        ("POST", "/api/shows", {"json": {"topic": "is soup a drink", "cast": cast, "writer": "improv", "turns": 2}}),
        ("POST", "/api/topics", {"json": {"topic": "  the   moon,  overrated?  "}}),
    )
    assert [r.status_code for r in added] == [201, 201, 201]
    ids = [r.json()["id"] for r in added]
    assert added[1].json()["cast"] == [{"id": "wendell", "voice": "espeak:en-gb"}, {"id": "duke"}]
    assert added[2].json()["topic"] == "the moon, overrated?", "whitespace is tidied"

    (queue,) = call(app, ("GET", "/api/topics", {}))
    assert [s["id"] for s in queue.json()["queue"]][-3:] == ids
    order = [s["id"] for s in queue.json()["queue"] if s["id"] not in ids] + ids[::-1]
    reordered, deleted, after, shows, one = call(
        app,
        ("PUT", "/api/topics/order", {"json": {"ids": order}}),
        ("DELETE", f"/api/shows/{ids[1]}", {}),
        ("GET", "/api/topics", {}),
        ("GET", "/api/shows", {}),
        ("GET", f"/api/shows/{ids[0]}", {}),
    )
    assert reordered.status_code == 200 and [s["id"] for s in reordered.json()["queue"]] == order
    assert deleted.json()["deleted"]["topic"] == "is soup a drink"
    assert [s["id"] for s in after.json()["queue"]][-2:] == [ids[2], ids[0]]
    assert ids[1] not in [s["id"] for s in shows.json()["shows"]]
    assert one.json()["status"] == "queued" and one.json()["lines"] == []

    # Start: the queue's first show goes on air and its lines are written and recorded.
    (started,) = call(app, ("POST", "/api/control/start", {}))
    assert started.json()["holding"] is False
    first = after.json()["queue"][0]["id"]
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not station.studio.store.lines(first):
        time.sleep(0.1)
    (show,) = call(app, ("GET", f"/api/shows/{first}", {}))
    assert show.json()["status"] == "on_air" and show.json()["lines"], "the show went on air and wrote lines"
    # Deleted while on air: refused (asked before the stop, which ends the show soon after).
    cannot_delete, stopped = call(app, ("DELETE", f"/api/shows/{first}", {}), ("POST", "/api/control/stop", {}))
    assert stopped.json()["holding"] is True
    assert cannot_delete.status_code == 409 and "on air" in cannot_delete.json()["error"]
    deadline = time.monotonic() + 10
    while station.studio.store.show(first).status == "on_air":
        assert time.monotonic() < deadline, "stop never ended the show"
        time.sleep(0.1)
    station.studio.recorder.flush()
    lines = station.studio.store.lines(first)
    assert station.studio.store.show(first).status == "skipped"
    assert not [line for line in lines if line.status in ("writing", "voicing", "ready")], "unaired lines are dropped"


def test_bad_requests_are_refused_by_name_and_the_stream_keeps_going(station: Station) -> None:
    app = create_app(station, None, topic_limiter=RateLimiter(burst=50, per_s=1))
    engine = station.engine
    # The stream is up before the bad requests (the module's station may have just started: seed 933938859 ran this
    # test first, and beside three workers the encoder's first segment came late)
    deadline = time.monotonic() + STREAM_UP_S
    while engine.hls.published < 1 and time.monotonic() < deadline:
        time.sleep(0.1)
    segments_before, frames_before = engine.hls.published, engine.stats.frames
    say = "/api/say"
    png = b"\x89PNG\r\n\x1a\n" + bytes(200)
    cases: list[tuple[str, str, dict[str, Any], int, str]] = [
        ("POST", "/api/topics", {"json": {"topic": "   "}}, 400, "topic: empty"),
        ("POST", "/api/topics", {"json": {"topic": "x" * 201}}, 400, "limit is 200"),
        ("POST", "/api/topics", {"json": {"topic": "ok", "cast": [{"id": "bob"}, {"id": "duke"}]}}, 400, "'bob'"),
        ("POST", "/api/topics", {"json": {"topic": "ok", "cast": [{"id": "duke", "voice": "klingon"}]}}, 400,
         "unknown voice 'klingon'"),
        ("POST", "/api/topics", {"json": {"topic": "ok", "writer": "gpt-9"}}, 400, "'gpt-9' is not available"),
        ("POST", "/api/topics", {"json": {"topic": "ok", "turns": 0}}, 400, "turns: 0 is out of range"),
        ("POST", "/api/topics", {"json": {"cast": []}}, 422, "topic: Field required"),
        ("POST", "/api/topics", {"content": b"{not json", "headers": {"Content-Type": "application/json"}}, 422,
         "body: not valid JSON"),
        ("PUT", "/api/topics/order", {"json": {"ids": [424242]}}, 409, "not in the queue: [424242]"),
        ("DELETE", "/api/shows/424242", {}, 404, "no show with id 424242"),
        ("GET", "/api/shows/424242", {}, 404, "no show with id 424242"),
        ("POST", say, {"data": {"character": "bob", "text": "hi"}}, 404, "'bob'"),
        ("POST", say, {"data": {"character": "duke", "text": "  "}}, 400, "nothing to say"),
        ("POST", say, {"data": {"character": "duke", "text": "word " * 200}}, 400, "limit is 400"),
        ("POST", say, {"data": {"character": "duke", "emotion": "hangry", "text": "hi"}}, 400, "unknown emotion"),
        ("POST", say, {"data": {"character": "duke"}, "files": {"audio": ("a.wav", b"RIFF" + bytes(99))}}, 415,
         "not a readable audio file"),
        ("POST", say, {"data": {"character": "duke"}, "files": {"audio": ("a.mp3", png, "audio/mpeg")}}, 415, "audio"),
        ("POST", say, {"data": {"character": "duke"}, "files": {"audio": ("long.wav", tone_wav(121))}}, 413,
         "longer than 120 s"),
        ("POST", say, {"data": {"character": "duke"}, "files": {"audio": ("big.wav", bytes(MAX_UPLOAD_BYTES + 1))}},
         413, "audio is larger than 20 MB"),
        ("POST", say, {"data": {"character": "duke"}, "files": {"audio": ("big.wav", bytes(MAX_UPLOAD_BYTES * 2))}},
         413, "limited to 20 MB"),  # refused from its Content-Length, before the body is read
        ("POST", say, {"data": {"text": "who?"}}, 422, "character: Field required"),
    ]  # fmt: skip
    replies = call(app, *[(method, url, kw) for method, url, kw, _, _ in cases])
    for (method, url, _, status, message), reply in zip(cases, replies, strict=True):
        body = reply.json()
        assert reply.status_code == status, f"{method} {url}: {reply.status_code} {body}"
        assert message in body["error"], f"{method} {url}: {body}"
    deadline = time.monotonic() + STREAM_UP_S  # two more segments and two seconds of frames: it never stopped
    while time.monotonic() < deadline and (
        engine.hls.published < segments_before + 2 or engine.stats.frames < frames_before + 60
    ):
        time.sleep(0.1)
    assert engine.hls.published >= segments_before + 2, "segments kept coming"
    assert engine.stats.frames >= frames_before + 60 and engine.renderer.error is None


def test_topic_submissions_are_rate_limited(station: Station) -> None:
    app = create_app(station, None, topic_limiter=RateLimiter(burst=2, per_s=30))
    replies = call(app, *[("POST", "/api/topics", {"json": {"topic": f"topic {i}"}}) for i in range(3)])
    assert [r.status_code for r in replies] == [201, 201, 429]
    assert "too many topics" in replies[2].json()["error"] and int(replies[2].headers["Retry-After"]) >= 1
    call(app, *[("DELETE", f"/api/shows/{r.json()['id']}", {}) for r in replies[:2]])


def test_beyond_loopback_control_needs_the_token_printed_once(station: Station) -> None:
    gate, token = prepare_token(station.studio.store)
    assert token is not None
    again, none = prepare_token(station.studio.store)
    assert none is None and again.digest == gate.digest, "the token is made once and kept (as a digest)"
    assert station.studio.store.setting("control_token_sha256") != token, "only a digest is stored"
    app = create_app(station, None, gate=TokenGate(gate.digest))
    line = {"data": {"character": "duke", "text": "hi"}}
    missing, wrong, right, watching = call(
        app,
        ("POST", "/api/say", line),
        ("POST", "/api/say", {**line, "headers": {"Authorization": "Bearer nope"}}),
        ("POST", "/api/control/stop", {"headers": {"Authorization": f"Bearer {token}"}}),
        ("GET", "/api/status", {}),
    )
    assert missing.status_code == 401 and "missing bearer token" in missing.json()["error"]
    assert wrong.status_code == 401 and wrong.json()["error"] == "wrong bearer token"
    assert right.status_code == 200
    assert watching.status_code == 200, "watching needs no token"


def test_moderation_and_the_delay_over_the_api(station: Station) -> None:
    app = create_app(station, None)
    dump, held_topic, say, listed, memory, forgot = call(
        app,
        ("POST", "/api/control/dump", {}),
        ("POST", "/api/topics", {"json": {"topic": "why Wendell should go kill yourself"}}),
        ("POST", "/api/say", {"data": {"character": "duke", "text": "Shut the fuck up, Wendell."}}),
        ("GET", "/api/held?status=held", {}),
        ("GET", "/api/memory?about=lambo", {}),
        ("DELETE", "/api/memory/person/twitch:42", {}),
    )
    assert dump.status_code == 409 and "--delay" in dump.json()["error"]
    assert held_topic.status_code == 400 and "held by moderation" in held_topic.json()["error"]
    assert say.status_code == 422 and "offensive language" in say.json()["error"]
    station.studio.recorder.flush()
    (listed,) = call(app, ("GET", "/api/held?status=held", {}))
    texts = [h["text"] for h in listed.json()["held"]]
    assert "Shut the fuck up, Wendell." in texts and listed.json()["held"][0]["source"] == "operator"
    assert memory.status_code == 200 and forgot.json() == {"person": "twitch:42", "forgotten": 0}
    assert station.engine.control.status()["delay"] is None
