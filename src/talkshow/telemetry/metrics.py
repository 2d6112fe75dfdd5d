"""Prometheus metrics fed from telemetry events (served at ``GET /metrics``).

A sink like any other: stages emit events, and this turns them into histograms,
counters and gauges in its own registry (no process-global state).
"""

from __future__ import annotations

from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from talkshow.core.part_state import PartState
from talkshow.telemetry.events import Event

__all__ = ["MetricsSink"]

_FRAME_BUCKETS = (0.0005, 0.001, 0.002, 0.004, 0.008, 0.016, 0.033, 0.066, 0.1, 0.25)
_SECONDS_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0)


class MetricsSink:
    """Keeps Prometheus metrics up to date from the event stream."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.compose = Histogram(
            "talkshow_frame_compose_seconds", "Time to compose one frame", buckets=_FRAME_BUCKETS, registry=r
        )
        self.lateness = Histogram(
            "talkshow_frame_lateness_seconds",
            "How late the pacer handed a frame over",
            buckets=_FRAME_BUCKETS,
            registry=r,
        )
        self.turn_gap = Histogram(
            "talkshow_turn_gap_seconds",
            "Silence between the end of a turn and the next",
            buckets=_SECONDS_BUCKETS,
            registry=r,
        )
        self.tts = Histogram("talkshow_tts_seconds", "Time to synthesize a line", buckets=_SECONDS_BUCKETS, registry=r)
        self.tts_first_audio = Histogram(
            "talkshow_tts_first_audio_seconds",
            "Time to a line's first audio, per TTS engine",
            ["engine"],
            buckets=_SECONDS_BUCKETS,
            registry=r,
        )
        self.tts_rtf = Histogram(
            "talkshow_tts_realtime_factor",
            "Synthesis time over audio time, per TTS engine",
            ["engine"],
            buckets=(0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.0),
            registry=r,
        )
        self.tts_chars = Counter("talkshow_tts_characters", "Characters spoken, per TTS engine", ["engine"], registry=r)
        self.tts_billed = Counter(
            "talkshow_tts_billed_characters", "Characters billed by paid TTS providers", ["engine"], registry=r
        )
        self.tts_errors = Counter("talkshow_tts_errors", "Failed syntheses, per TTS engine", ["engine"], registry=r)
        self.ttft = Histogram(
            "talkshow_llm_first_token_seconds", "LLM time to first token", buckets=_SECONDS_BUCKETS, registry=r
        )
        self.late = Counter("talkshow_late_frames", "Frames handed over more than one frame late", registry=r)
        self.repeated = Counter("talkshow_repeated_frames", "Frames repeated because none was ready", registry=r)
        self.tv_drops = Counter("talkshow_tv_frame_drops", "TV video frames skipped because decode lagged", registry=r)
        self.errors = Counter("talkshow_errors", "Writer and TTS errors", ["stage"], registry=r)
        self.queue_depth = Gauge("talkshow_queue_depth_frames", "Frames rendered ahead of the clock", registry=r)
        self.cpu = Gauge("talkshow_cpu_cores", "CPU cores used over the last second", registry=r)
        self.rss = Gauge("talkshow_rss_bytes", "Resident memory", registry=r)
        self.part_state = Gauge(
            "talkshow_part_state",
            "1 for each part's current state (running, restarting, failed...)",
            ["part", "state"],
            registry=r,
        )
        self.part_restarts = Gauge(
            "talkshow_part_restarts", "Times a part came back after failing", ["part"], registry=r
        )
        self.moderated = Counter(
            "talkshow_lines_moderated", "Lines judged before air", ["source", "verdict"], registry=r
        )
        self.moderation_seconds = Histogram(
            "talkshow_moderation_seconds", "Time to judge a line", buckets=(*_FRAME_BUCKETS, 0.5, 1, 2), registry=r
        )
        self.moderation_errors = Counter(
            "talkshow_moderation_errors", "Stage-2 checks that failed or timed out (the line was held)", registry=r
        )
        self.chat_quota = Gauge(
            "talkshow_chat_quota_units_left", "A metered chat API's units left today", ["source"], registry=r
        )
        self.chat_answered = Histogram(
            "talkshow_chat_answer_seconds", "From a chat question's arrival to its answer going on air",
            buckets=_SECONDS_BUCKETS, registry=r,
        )  # fmt: skip
        for stage in ("writer", "tts"):
            self.errors.labels(stage)  # present at zero from the start

    def record(self, event: Event) -> None:
        """Update the metrics an event speaks to."""
        handler = _HANDLERS.get(event.kind)
        if handler is not None:
            handler(self, event.fields)

    def exposition(self) -> bytes:
        """The Prometheus text format."""
        return generate_latest(self.registry)


def _frame(sink: MetricsSink, f: dict[str, Any]) -> None:
    sink.compose.observe(f["compose_ms"] / 1000)
    if "lateness_ms" in f:
        sink.lateness.observe(max(0.0, f["lateness_ms"]) / 1000)
    if "queue_depth" in f:
        sink.queue_depth.set(f["queue_depth"])


def _resources(sink: MetricsSink, f: dict[str, Any]) -> None:
    sink.cpu.set(f["cpu_cores"])
    sink.rss.set(f["rss_mb"] * 2**20)


def _part_state(sink: MetricsSink, f: dict[str, Any]) -> None:
    for state in PartState:
        sink.part_state.labels(f["part"], str(state)).set(1.0 if f["state"] == state else 0.0)
    sink.part_restarts.labels(f["part"]).set(f.get("restarts", 0))


def _tts_engine_done(sink: MetricsSink, f: dict[str, Any]) -> None:
    engine = f["engine"]
    sink.tts_chars.labels(engine).inc(f["chars"])
    if f["billed_chars"]:
        sink.tts_billed.labels(engine).inc(f["billed_chars"])
    if f["rtf"]:
        sink.tts_rtf.labels(engine).observe(f["rtf"])


def _line_moderated(sink: MetricsSink, f: dict[str, Any]) -> None:
    sink.moderated.labels(f["source"], "allowed" if f["allowed"] else "held").inc()
    sink.moderation_seconds.observe(f["ms"] / 1000)


_HANDLERS: dict[str, Any] = {
    "part_state": _part_state,
    "frame": _frame,
    "frame_late": lambda s, f: s.late.inc(),
    "frame_repeated": lambda s, f: s.repeated.inc(),
    "tv_frames_dropped": lambda s, f: s.tv_drops.inc(f["count"]),
    "turn_on_air": lambda s, f: s.turn_gap.observe(f["gap_s"]) if f["gap_frames"] > 0 else None,
    "tts_done": lambda s, f: s.tts.observe(f["ms"] / 1000),
    "tts_first_audio": lambda s, f: s.tts_first_audio.labels(f["engine"]).observe(f["ms"] / 1000),
    "tts_engine_done": _tts_engine_done,
    "tts_error": lambda s, f: s.tts_errors.labels(f["engine"]).inc(),
    "llm_first_token": lambda s, f: s.ttft.observe(f["ms"] / 1000),
    "writer_error": lambda s, f: s.errors.labels("writer").inc(),
    "writer_fallback": lambda s, f: s.errors.labels("writer").inc(),
    "turn_error": lambda s, f: s.errors.labels("tts").inc(),
    "resources": _resources,
    "line_moderated": _line_moderated,
    "moderation_error": lambda s, f: s.moderation_errors.inc(),
    "chat_quota": lambda s, f: s.chat_quota.labels(f["source"]).set(f["units_left"]),
    "chat_question_aired": lambda s, f: s.chat_answered.observe(f["since_arrival_ms"] / 1000),
}
