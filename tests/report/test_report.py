"""The report's numbers come out exactly as a trace with known contents says."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from talkshow.report.analysis import load_trace, summarize


def _event(kind: str, t_ms: float, **fields: object) -> dict[str, object]:
    return {"kind": kind, "t_ms": t_ms, "wall": 1_700_000_000 + t_ms / 1000, **fields}


def known_trace() -> list[dict[str, object]]:
    events = [_event("stream_started", 0, fps=30, ahead_frames=15)]
    events += [_event("line_written", 1, turn=0, speaker="duke", chars=60, emotion="smug", ms=5.0)]
    events += [_event("turn_ready", 2, turn=0, speaker="duke", audio_s=2.0, write_ms=5.0, tts_ms=30.0, prep_ms=50.0)]
    events += [_event("line_written", 3, turn=1, speaker="wendell", chars=45, emotion="worried", ms=7.0)]
    events += [_event("turn_ready", 4, turn=1, speaker="wendell", audio_s=1.5, write_ms=7.0, tts_ms=15.0, prep_ms=20.0)]
    for frame in range(100):
        t = 10 + frame * 33.3
        compose = 40.0 if frame >= 90 else 1.0  # ten frames over the 33.3 ms budget
        lateness = 50.0 if frame == 99 else 0.5
        events.append(_event("frame", t, frame=frame, compose_ms=compose, lateness_ms=lateness, queue_depth=20))
        if frame == 0:
            events.append(_event("turn_on_air", t, turn=0, speaker="duke", frame=0, gap_frames=0, gap_s=0.0))
        if frame == 60:
            events.append(_event("turn_done", t, turn=0, frame=60))
        if frame == 72:
            events.append(_event("turn_on_air", t, turn=1, speaker="wendell", frame=72, gap_frames=12, gap_s=0.4))
    events += [_event("frame_late", 3400, frame=99, lateness_ms=50.0)]
    events += [_event("frame_repeated", 3401, frame=98, reason="renderer behind")] * 2
    events += [_event("resources", 1000, cpu_cores=0.5, rss_mb=300.0, peak_rss_mb=300.0)]
    events += [_event("resources", 2000, cpu_cores=0.7, rss_mb=310.0, peak_rss_mb=310.0)]
    return events


@pytest.fixture
def trace(tmp_path: Path) -> Path:
    path = tmp_path / "known.jsonl"
    path.write_text("".join(json.dumps(e) + "\n" for e in known_trace()))
    return path


def test_summary_matches_the_known_trace(trace: Path) -> None:
    s = summarize(load_trace(trace))
    assert s.frames == 100 and s.fps == 30
    assert s.compose.p50 == 1.0 and s.compose.max == 40.0 and s.compose.p95 == 40.0
    assert s.over_budget == 10
    assert (s.late, s.repeated, s.max_delay_ms) == (1, 2, 50.0)
    assert s.gaps.count == 1 and s.gaps.max == pytest.approx(0.4)
    first, second = s.turns
    assert (first.speaker, first.chars, first.write_ms, first.tts_ms, first.prep_ms) == ("duke", 60, 5.0, 30.0, 50.0)
    assert first.chars_per_s == pytest.approx(2000.0)
    assert first.on_air_s == 0.0 and first.on_air_for_s == pytest.approx(2.0)
    assert second.on_air_s == pytest.approx(2.4) and second.gap_s == pytest.approx(0.4)
    assert second.on_air_for_s is None, "still on air when the trace ends"


def test_cli_prints_the_tables_and_writes_the_page(trace: Path, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    run = subprocess.run(
        [sys.executable, "-m", "talkshow", "report", str(trace), "--html", str(page)],
        capture_output=True,
        text=True,
        env={"COLUMNS": "200", "PATH": ""},
        check=True,
    )
    out = run.stdout
    assert "Compose time against the 33.3 ms frame budget (100" in out
    assert "│   1.00 │  40.00 │  40.00 │  40.00 │          10 │" in out
    assert "│    100 │                1 │        2 │              50.00 │" in out
    assert "mean CPU 0.60 cores; peak RSS 310 MB" in out
    html = page.read_text()
    assert html.count("<svg") == 5 and "<script" not in html and "http" not in html.split("</title>")[1]


def test_a_broken_trace_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"kind": "frame"}\nnot json\n')
    with pytest.raises(ValueError, match=r"bad.jsonl:2: not a JSON event"):
        load_trace(bad)


def test_the_report_gives_voice_to_voice_stage_by_stage_from_talk_exchanges(tmp_path: Path) -> None:
    stages = {"turn_end_ms": 460, "stt_final_ms": 300, "first_sentence_ms": 305, "first_audio_ms": 450}
    events = [_event("stream_started", 0, fps=30, ahead_frames=10)]
    for n, tail in enumerate((560, 600, 700)):
        events.append(_event("talk_exchange", 1000 * n, exchange=n, **stages, on_air_ms=tail - 5, first_packet_ms=tail))
    events.append(_event("reply_paused", 5000, exchange=1, cut_ms=80))
    summary = summarize(events)
    assert summary.talk["first_packet_ms"].p50 == 600 and summary.talk["first_packet_ms"].max == 700
    assert summary.talk["stt_final_ms"].p50 == 300 and summary.barge_in_ms.p50 == 80
    trace = tmp_path / "talk.jsonl"
    trace.write_text("\n".join(json.dumps(e) for e in events) + "\n")
    printed = subprocess.run(
        [sys.executable, "-m", "talkshow", "report", str(trace)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "COLUMNS": "200"},  # rich wraps titles to the terminal's width
    ).stdout
    assert "Talk: ms after the caller stopped (3)" in printed
    assert "first_packet" in printed and "barge-in: the reply stopped 80 ms" in printed
