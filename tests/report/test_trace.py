"""The trace of a real render: every line is valid JSON that matches the documented schema."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from support.paths import DOCS
from support.small_shows import small_config
from talkshow.station.render import render_show
from talkshow.telemetry.events import JsonlSink, Telemetry
from talkshow.telemetry.schema import EVENT_FIELDS, schema_errors

# times nothing: make test runs it beside the solo tier, on the CPU those two workers leave idle
pytestmark = pytest.mark.beside

RENDER_KINDS = {
    "stage_ready", "line_written", "tts_start", "tts_first_audio", "tts_done", "lipsync_ready", "turn_ready",
    "turn_on_air", "turn_done", "frame", "resources", "render_done",
}  # fmt: skip


def test_render_trace_matches_the_schema_and_has_every_render_event(tmp_path: Path) -> None:
    trace = tmp_path / "trace.jsonl"
    sink = JsonlSink(trace)
    result = render_show(small_config(tmp_path, turns=2), tmp_path / "show.mp4", Telemetry([sink]))
    sink.close()

    events = [json.loads(line) for line in trace.read_text().splitlines()]
    problems = [problem for event in events for problem in schema_errors(event)]
    assert problems == []
    kinds = {event["kind"] for event in events}
    assert kinds >= RENDER_KINDS, f"missing: {RENDER_KINDS - kinds}"
    assert kinds <= set(EVENT_FIELDS)
    assert sum(1 for e in events if e["kind"] == "frame") == result.frames
    times = [e["t_ms"] for e in events]
    # Threads stamp, then write: lines may interleave by a hair, never by more.
    assert all(later - earlier > -5 for earlier, later in itertools.pairwise(times))
    resources = [e for e in events if e["kind"] == "resources"]
    assert all(0 < e["rss_mb"] <= e["peak_rss_mb"] + 1 for e in resources)


def test_schema_names_what_is_wrong() -> None:
    assert schema_errors({"kind": "nope", "t_ms": 1, "wall": 2}) == ["unknown event kind 'nope'"]
    errors = schema_errors({"kind": "frame", "t_ms": 1.0, "wall": 2.0, "frame": "7"})
    assert errors == ["frame: field 'frame' is str, not <class 'int'>", "frame: missing field 'compose_ms'"]


def test_every_event_kind_is_documented() -> None:
    doc = (DOCS / "telemetry.md").read_text()
    missing = [kind for kind in EVENT_FIELDS if f"| `{kind}` |" not in doc]
    assert missing == []
