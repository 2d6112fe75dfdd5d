"""Turns a trace (JSON lines of events) into the numbers the report prints."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["TALK_STAGES", "Distribution", "TraceSummary", "TurnRow", "load_trace", "summarize"]

# talk_exchange fields, in pipeline order: each a time in ms from the end of the caller's speech
TALK_STAGES = (
    *("turn_end_ms", "stt_final_ms", "first_sentence_ms", "first_audio_ms", "on_air_ms", "first_packet_ms"),
    *("answer_audio_ms", "answer_on_air_ms"),  # after an acknowledgement: the first words that answer
)

Event = dict[str, Any]


def load_trace(path: Path) -> list[Event]:
    """Events from a JSONL trace; a bad line is named by its number."""
    events = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                events.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{number}: not a JSON event ({exc.msg})") from exc
    return events


@dataclass(frozen=True)
class Distribution:
    """Order statistics of a series of values."""

    count: int
    p50: float
    p95: float
    p99: float
    max: float

    @classmethod
    def of(cls, values: list[float]) -> Distribution:
        """Percentiles (linear interpolation) of ``values``; zeros when empty."""
        if not values:
            return cls(0, 0.0, 0.0, 0.0, 0.0)
        p50, p95, p99 = np.percentile(values, [50, 95, 99])
        return cls(len(values), float(p50), float(p95), float(p99), float(max(values)))


@dataclass
class TurnRow:
    """One turn's timeline, from writing to air."""

    turn: int
    speaker: str = ""
    chars: int = 0
    write_ms: float | None = None
    tts_ms: float | None = None
    prep_ms: float | None = None
    audio_s: float | None = None
    on_air_s: float | None = None  # show time at which it went on air
    on_air_for_s: float | None = None
    gap_s: float | None = None

    @property
    def chars_per_s(self) -> float | None:
        """TTS speed: characters synthesized per second of TTS time."""
        return self.chars / (self.tts_ms / 1000) if self.tts_ms else None


@dataclass
class TraceSummary:
    """Everything ``talkshow report`` shows."""

    fps: int
    compose: Distribution
    over_budget: int
    frames: int
    late: int
    repeated: int
    max_delay_ms: float | None
    gaps: Distribution
    turns: list[TurnRow]
    resources: list[Event] = field(default_factory=list)
    series: dict[str, list[tuple[float, float]]] = field(default_factory=dict)
    talk: dict[str, Distribution] = field(default_factory=dict)  # voice-to-voice stages (TALK_STAGES)
    barge_in_ms: Distribution = field(default_factory=lambda: Distribution.of([]))

    @property
    def budget_ms(self) -> float:
        """One frame's time."""
        return 1000.0 / self.fps


def summarize(events: list[Event]) -> TraceSummary:
    """Compute the report's numbers from a trace."""
    started = next((e for e in events if e["kind"] == "stream_started"), None)
    fps = int(started["fps"]) if started else 30
    budget = 1000.0 / fps
    frames = [e for e in events if e["kind"] == "frame"]
    compose = [float(e["compose_ms"]) for e in frames]
    lateness = [float(e["lateness_ms"]) for e in frames if "lateness_ms" in e]
    turns = _turns(events, fps)
    gaps = [t.gap_s for t in turns if t.gap_s is not None]
    return TraceSummary(
        fps=fps,
        compose=Distribution.of(compose),
        over_budget=sum(1 for ms in compose if ms > budget),
        frames=len(frames),
        late=sum(1 for e in events if e["kind"] == "frame_late"),
        repeated=sum(1 for e in events if e["kind"] == "frame_repeated"),
        max_delay_ms=max(lateness) if lateness else None,
        gaps=Distribution.of(gaps),
        turns=turns,
        resources=[e for e in events if e["kind"] == "resources"],
        talk=_talk(events),
        barge_in_ms=Distribution.of([float(e["cut_ms"]) for e in events if e["kind"] == "reply_paused"]),
        series={
            "compose_ms": [(e["frame"] / fps, float(e["compose_ms"])) for e in frames],
            "lateness_ms": [(e["frame"] / fps, float(e["lateness_ms"])) for e in frames if "lateness_ms" in e],
            "queue_depth": [(e["frame"] / fps, float(e["queue_depth"])) for e in frames if "queue_depth" in e],
            "cpu_cores": [(e["t_ms"] / 1000, float(e["cpu_cores"])) for e in events if e["kind"] == "resources"],
            "rss_mb": [(e["t_ms"] / 1000, float(e["rss_mb"])) for e in events if e["kind"] == "resources"],
        },
    )


def _talk(events: list[Event]) -> dict[str, Distribution]:
    """Each stage of every traced call exchange (empty without calls)."""
    exchanges = [e for e in events if e["kind"] == "talk_exchange"]
    if not exchanges:
        return {}
    return {
        stage: Distribution.of([float(e[stage]) for e in exchanges if e.get(stage, -1) >= 0]) for stage in TALK_STAGES
    }


def _turns(events: list[Event], fps: int) -> list[TurnRow]:
    """Pair each turn's events in order: the n-th ``turn_ready`` of turn k with its n-th ``turn_on_air``."""
    rows: list[TurnRow] = []
    pending: dict[str, dict[int, list[TurnRow]]] = defaultdict(lambda: defaultdict(list))
    on_air: dict[int, TurnRow] = {}
    first_of_show = True
    for event in events:
        kind = event["kind"]
        if kind == "line_written":
            row = TurnRow(event["turn"], event["speaker"], event["chars"], write_ms=event["ms"])
            rows.append(row)
            pending["ready"][row.turn].append(row)
        elif kind == "turn_ready" and pending["ready"][event["turn"]]:
            row = pending["ready"][event["turn"]].pop(0)
            row.tts_ms, row.prep_ms, row.audio_s = event["tts_ms"], event["prep_ms"], event["audio_s"]
            pending["air"][row.turn].append(row)
        elif kind == "turn_on_air" and pending["air"][event["turn"]]:
            row = pending["air"][event["turn"]].pop(0)
            row.on_air_s = event["frame"] / fps
            row.gap_s = None if first_of_show else event["gap_frames"] / fps
            first_of_show = False
            on_air[row.turn] = row
        elif kind == "turn_done" and event["turn"] in on_air:
            row = on_air.pop(event["turn"])
            row.on_air_for_s = event["frame"] / fps - (row.on_air_s or 0.0)
        elif kind == "show_done":
            first_of_show = True  # the idle gap between shows is not a turn gap
    return rows
