"""The acting stage's output: one pose per character per frame."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["NEUTRAL_POSE", "Pose"]


@dataclass(frozen=True)
class Pose:
    """Everything the stage needs to draw one character in one frame.

    Offsets are in the character pack's canvas pixels; the stage scales them.
    """

    body_dy: int = 0
    head_dx: int = 0
    head_dy: int = 0
    eyes: str = "open"
    gaze_x: float = 0.0
    gaze_y: float = 0.0
    brows: str = "neutral"
    mouth_set: str = "neutral"
    mouth: str = "X"
    speech_s: float = -1.0  # seconds since this character's line began; -1 while not speaking


NEUTRAL_POSE = Pose()
