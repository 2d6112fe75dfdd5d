"""The studio as users run it: a real `talkshow serve`, its WebSocket timeline, a crash and a restart."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.sync.client import connect

from support.serve import start_studio

pytestmark = [pytest.mark.slow, pytest.mark.beside]  # a whole server and minutes of air, waited on, not computed


def test_the_timeline_follows_a_queued_topic_line_by_line(tmp_path: Path, shows_dir: Path) -> None:
    base, _, process = start_studio(tmp_path, shows_dir, tmp_path / "studio.sqlite3")
    try:
        with connect(base.replace("http", "ws") + "/api/events", open_timeout=10) as socket:
            hello = json.loads(socket.recv(timeout=10))["hello"]
            assert hello["frames"] > 0 and "late_frames" in hello
            show = httpx.post(base + "/api/topics", json={"topic": "are cats secretly in charge"}).json()
            assert httpx.post(base + "/api/control/skip").status_code == 200  # ours is next
            events: list[dict[str, Any]] = []
            lines: dict[int, dict[str, Any]] = {}
            compose: list[float] = []
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                batch = json.loads(socket.recv(timeout=10))
                events += batch["events"]
                lines.update({line["id"]: line for line in batch["lines"] if line["show_id"] == show["id"]})
                compose += batch.get("frames", {}).get("compose_ms", [])
                ended = any(e["kind"] == "show_done" and e["show"] == show["id"] for e in events)
                if ended and all(line["status"] == "done" for line in lines.values()):
                    break
    finally:
        process.kill()
        process.wait()
    ours = [e for e in events if e.get("show") == show["id"] and e.get("turn") == 0]
    kinds = [e["kind"] for e in ours if e["kind"] in ("line_writing", "line_written", "turn_ready", "turn_aired",
                                                         "turn_off_air")]  # fmt: skip
    assert kinds == ["line_writing", "line_written", "turn_ready", "turn_aired", "turn_off_air"]
    written = next(e for e in ours if e["kind"] == "line_written")
    assert written["text"] and written["speaker"] in ("duke", "wendell"), "the line arrives with its text"
    assert len(lines) == 3 and all(line["status"] == "done" for line in lines.values()), lines
    assert all(line["audio_s"] > 0.5 and line["tts_ms"] is not None for line in lines.values())
    assert len(compose) > 100, "the compose-time chart gets every frame"


def test_queue_and_transcript_survive_a_crash_and_restart(tmp_path: Path, shows_dir: Path) -> None:
    db = tmp_path / "studio.sqlite3"
    base, _, process = start_studio(tmp_path, shows_dir, db, turns=6)
    try:
        on_air = httpx.get(base + "/api/status").json()["show"]["id"]
        deadline = time.monotonic() + 40
        while all(line["status"] != "done" for line in httpx.get(f"{base}/api/shows/{on_air}").json()["lines"]):
            assert time.monotonic() < deadline, "no line aired"
            time.sleep(0.2)
        first = httpx.post(base + "/api/topics", json={"topic": "should pigeons get pensions"}).json()["id"]
        second = httpx.post(base + "/api/topics", json={"topic": "is soup a drink"}).json()["id"]
        assert httpx.put(base + "/api/topics/order", json={"ids": [second, first]}).status_code == 200
        before = httpx.get(f"{base}/api/shows/{on_air}").json()
    finally:
        process.kill()  # SIGKILL: no clean shutdown, nothing flushed on the way out
        process.wait()
    aired = [line for line in before["lines"] if line["status"] == "done"]
    assert before["status"] == "on_air" and aired

    base, _, process = start_studio(tmp_path, shows_dir, db, turns=6)
    try:
        queue = [s["id"] for s in httpx.get(base + "/api/topics").json()["queue"]]
        assert queue == [second, first], "the queue and its order survived"
        resumed = httpx.get(f"{base}/api/shows/{on_air}").json()
        assert resumed["status"] == "on_air" and resumed["resume_at"] >= len(aired), "the cut show resumes first"
        kept = {line["turn"]: line["text"] for line in resumed["lines"] if line["status"] == "done"}
        assert all(kept[line["turn"]] == line["text"] for line in aired), "aired lines are kept"
        deadline = time.monotonic() + 40
        while True:  # it carries on from the line after the last one aired, not from the top
            turns = {line["turn"]: line for line in httpx.get(f"{base}/api/shows/{on_air}").json()["lines"]}
            fresh = turns.get(resumed["resume_at"])
            if fresh is not None and fresh["status"] in ("on_air", "done"):
                break
            assert time.monotonic() < deadline, f"the resumed show never aired line {resumed['resume_at']}: {turns}"
            time.sleep(0.2)
    finally:
        process.kill()
        process.wait()
