"""A lesson's chart, as SVG: each turn's words spoken (bars) and its mistakes (red marks above them)."""

from __future__ import annotations

from html import escape
from typing import Any

__all__ = ["lesson_chart"]

WIDTH, HEIGHT, PAD = 640, 220, 36


def lesson_chart(report: dict[str, Any]) -> str:
    """The SVG chart of ``report`` (``LearnerBook.report``): one column a turn, in order."""
    turns = report["turns"]
    most_words = max([t["words"] for t in turns] + [1])
    step = (WIDTH - 2 * PAD) / max(1, len(turns))
    scale = (HEIGHT - 2 * PAD) / most_words
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-label="lesson {report["id"]}: words and mistakes by turn">',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#fff"/>',
        f'<text x="{PAD}" y="20" font-size="13" font-family="sans-serif">'
        f"Lesson {report['id']} · {escape(str(report['learner']))} · {report['words_per_minute']} words a minute"
        "</text>",
        f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" stroke="#444"/>',
    ]
    for index, turn in enumerate(turns):
        x = PAD + index * step
        height = turn["words"] * scale
        title = escape(f"turn {index + 1}: {turn['heard']}")
        parts.append(
            f'<rect class="words" x="{x + step * 0.15:.1f}" y="{HEIGHT - PAD - height:.1f}" width="{step * 0.7:.1f}" '
            f'height="{height:.1f}" fill="#2a8c8c"><title>{title}</title></rect>'
        )
        for mark, mistake in enumerate(turn["mistakes"]):
            cy = HEIGHT - PAD - height - 8 - mark * 12
            what = escape(f"{mistake['kind']}: {mistake['wrong']} -> {mistake['right']}")
            parts.append(
                f'<circle class="mistake" cx="{x + step / 2:.1f}" cy="{cy:.1f}" r="5" fill="#c0392b">'
                f"<title>{what}</title></circle>"
            )
        parts.append(
            f'<text x="{x + step / 2:.1f}" y="{HEIGHT - PAD + 14}" font-size="11" text-anchor="middle" '
            f'font-family="sans-serif">{index + 1}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
