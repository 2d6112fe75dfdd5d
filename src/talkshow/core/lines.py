"""A line of the show: who says it, what, and how they feel. Below every stage, so all of them can share it."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["EMOTIONS", "MAX_LINE_CHARS", "Line"]

EMOTIONS = ("neutral", "happy", "smug", "excited", "angry", "worried", "sad", "surprised", "confused")
MAX_LINE_CHARS = 400


@dataclass(frozen=True)
class Line:
    """One line of the show: who says it, what, and how they feel (one of ``EMOTIONS``)."""

    speaker: str
    text: str
    emotion: str = "neutral"
