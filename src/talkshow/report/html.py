"""The report as one self-contained HTML page with inline SVG plots (no scripts, no CDN)."""

from __future__ import annotations

import html
from pathlib import Path

from talkshow.report.analysis import TraceSummary

__all__ = ["write_html"]

WIDTH, HEIGHT, PAD = 900, 220, 44


def _plot(title: str, points: list[tuple[float, float]], unit: str, line_at: float | None = None) -> str:
    """A line plot of (x seconds, y) with an optional dashed threshold line."""
    if not points:
        return f"<h2>{html.escape(title)}</h2><p>no data in this trace</p>"
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    x0, x1 = min(xs), max(xs) or 1.0
    top = max([*ys, line_at or 0.0]) * 1.1 or 1.0
    span = (x1 - x0) or 1.0

    def sx(x: float) -> float:
        return PAD + (x - x0) / span * (WIDTH - 2 * PAD)

    def sy(y: float) -> float:
        return HEIGHT - PAD + -(y / top) * (HEIGHT - 2 * PAD)

    step = max(1, len(points) // 3000)  # keep pages light: at most ~3000 vertices a plot
    path = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in points[::step])
    parts = [
        f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img">',
        f'<rect x="{PAD}" y="{PAD}" width="{WIDTH - 2 * PAD}" height="{HEIGHT - 2 * PAD}" '
        'fill="#fafafa" stroke="#ccc"/>',
        f'<polyline fill="none" stroke="#3366cc" stroke-width="1" points="{path}"/>',
        f'<text x="4" y="{PAD + 4}" font-size="11">{top:.3g} {html.escape(unit)}</text>',
        f'<text x="4" y="{HEIGHT - PAD}" font-size="11">0</text>',
        f'<text x="{PAD}" y="{HEIGHT - 12}" font-size="11">{x0:.0f} s</text>',
        f'<text x="{WIDTH - PAD - 40}" y="{HEIGHT - 12}" font-size="11">{x1:.0f} s</text>',
    ]
    if line_at is not None:
        y = sy(line_at)
        parts.append(
            f'<line x1="{PAD}" x2="{WIDTH - PAD}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d33" stroke-dasharray="5,4"/>'
        )
        parts.append(f'<text x="{WIDTH - PAD + 4}" y="{y + 4:.1f}" font-size="11" fill="#d33">{line_at:.1f}</text>')
    parts.append("</svg>")
    return f"<h2>{html.escape(title)}</h2>" + "".join(parts)


def write_html(summary: TraceSummary, path: Path, source: str) -> None:
    """Write the plots and headline numbers to ``path``."""
    s = summary
    c = s.compose
    headline = (
        f"<p>{s.frames} frames; compose p50 {c.p50:.2f} ms, p99 {c.p99:.2f} ms, max {c.max:.2f} ms, "
        f"{s.over_budget} over the {s.budget_ms:.1f} ms budget; {s.late} late and {s.repeated} repeated frames; "
        f"{len(s.turns)} turns, turn gap p50 {s.gaps.p50:.3f} s, max {s.gaps.max:.3f} s.</p>"
    )
    body = [
        f"<h1>talkshow report</h1><p>trace: {html.escape(source)}</p>",
        headline,
        _plot("Compose time per frame (ms), budget line", s.series["compose_ms"], "ms", s.budget_ms),
        _plot("Frame lateness (ms), one-frame line", s.series["lateness_ms"], "ms", s.budget_ms),
        _plot("Frame queue depth (frames rendered ahead)", s.series["queue_depth"], "frames"),
        _plot("CPU (cores)", s.series["cpu_cores"], "cores"),
        _plot("RSS (MB)", s.series["rss_mb"], "MB"),
    ]
    page = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>talkshow report</title>'
        "<style>body{font:14px system-ui,sans-serif;margin:24px;max-width:960px}h2{font-size:15px;margin-top:22px}"
        "</style></head><body>" + "".join(body) + "</body></html>"
    )
    path.write_text(page, encoding="utf-8")
