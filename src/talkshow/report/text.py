"""The report as terminal tables."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from talkshow.report.analysis import TraceSummary

__all__ = ["print_report"]


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def print_report(summary: TraceSummary, console: Console) -> None:
    """Print every table of the report."""
    s = summary
    compose = Table(title=f"Compose time against the {s.budget_ms:.1f} ms frame budget ({s.frames} frames)")
    for column in ("p50 ms", "p95 ms", "p99 ms", "max ms", "over budget"):
        compose.add_column(column, justify="right")
    c = s.compose
    compose.add_row(_ms(c.p50), _ms(c.p95), _ms(c.p99), _ms(c.max), str(s.over_budget))
    console.print(compose)

    delivery = Table(title="Frame delivery")
    for column in ("frames", "late (> 1 frame)", "repeated", "max frame delay ms"):
        delivery.add_column(column, justify="right")
    delivery.add_row(str(s.frames), str(s.late), str(s.repeated), _ms(s.max_delay_ms))
    console.print(delivery)

    gaps = Table(title=f"Turn gaps ({s.gaps.count} between turns)")
    for column in ("p50 s", "p95 s", "max s"):
        gaps.add_column(column, justify="right")
    gaps.add_row(f"{s.gaps.p50:.3f}", f"{s.gaps.p95:.3f}", f"{s.gaps.max:.3f}")
    console.print(gaps)

    turns = Table(title="Per-turn timeline")
    for column in (
        "turn",
        "speaker",
        "chars",
        "write ms",
        "TTS ms",
        "chars/s",
        "prep ms",
        "on air at s",
        "on air for s",
    ):
        turns.add_column(column, justify="right")
    for row in s.turns:
        speed = row.chars_per_s
        turns.add_row(
            str(row.turn),
            row.speaker,
            str(row.chars),
            _ms(row.write_ms),
            _ms(row.tts_ms),
            "–" if speed is None else f"{speed:.0f}",
            _ms(row.prep_ms),
            _ms(row.on_air_s),
            _ms(row.on_air_for_s),
        )
    console.print(turns)

    resources = Table(title="Resource use over time (one row per ~10 s)")
    for column in ("t s", "CPU cores", "RSS MB", "peak RSS MB"):
        resources.add_column(column, justify="right")
    samples = s.resources
    step = max(1, len(samples) // 12)
    for sample in samples[::step]:
        resources.add_row(
            f"{sample['t_ms'] / 1000:.0f}",
            f"{sample['cpu_cores']:.2f}",
            f"{sample['rss_mb']:.0f}",
            f"{sample['peak_rss_mb']:.0f}",
        )
    if samples:
        mean_cpu = sum(x["cpu_cores"] for x in samples) / len(samples)
        resources.caption = f"mean CPU {mean_cpu:.2f} cores; peak RSS {max(x['peak_rss_mb'] for x in samples):.0f} MB"
    console.print(resources)

    if s.talk:
        _print_talk(s, console)


def _print_talk(s: TraceSummary, console: Console) -> None:
    """Voice to voice: where the time went between the caller's last word and the reply's first packet."""
    done = s.talk["first_packet_ms"]
    talk = Table(title=f"Talk: ms after the caller stopped ({done.count})")
    for column in ("stage", "p50", "p95", "max", "share of p50"):
        talk.add_column(column, justify="right")
    previous = 0.0
    for stage, d in s.talk.items():
        share = (d.p50 - previous) / done.p50 if done.p50 else 0.0
        talk.add_row(stage.removesuffix("_ms"), f"{d.p50:.0f}", f"{d.p95:.0f}", f"{d.max:.0f}", f"{share:+.0%}")
        previous = max(previous, d.p50)
    b = s.barge_in_ms
    if b.count:
        talk.caption = f"barge-in: the reply stopped {b.p50:.0f} ms (p50; max {b.max:.0f}) after the caller's voice"
    console.print(talk)
