"""Actors: each character's continuous life, frame by frame.

Blinks, breathing and idle glances never stop, between turns too. Each actor has
its own random stream, so blinks are never in lockstep between characters.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from talkshow.acting.performance import expression_for
from talkshow.acting.types import Pose
from talkshow.core.turn import TurnPlan

__all__ = ["Actor", "TurnContext"]

_BLINK = ("half", "closed", "closed", "half")
_BASELINE = {"confident": "smug", "anxious": "worried", "neutral": "neutral"}
_SPEAKING_BOB = {"C", "D", "E", "H"}


@dataclass(frozen=True)
class TurnContext:
    """The turn on air: its plan, its first frame, where the speaker and listeners sit."""

    plan: TurnPlan
    start_frame: int
    speaker_x: int
    listeners_x: int


class Actor:
    """Produces one character's pose for any frame, given the turn on air (if any)."""

    def __init__(self, cast_id: str, temperament: str, seat_x: int, seed: int, fps: int) -> None:
        self.cast_id = cast_id
        self.temperament = temperament
        self.seat_x = seat_x
        self.fps = fps
        self._rng = random.Random(f"{seed}:{cast_id}")
        self._breath_period = self._rng.uniform(3.4, 4.6)
        self._breath_phase = self._rng.uniform(0, 2 * math.pi)
        self._bob_phase = self._rng.uniform(0, 2 * math.pi)
        self._next_blink = int(self._rng.uniform(0.5, 3.0) * fps)
        self._blink_start = -100
        self._glance_until = 0
        self._glance = (0.0, 0.0)

    def pose(self, frame: int, turn: TurnContext | None) -> Pose:
        """This character's pose at absolute ``frame``."""
        t = frame / self.fps
        body_dy = int(round(2.6 * math.sin(2 * math.pi * t / self._breath_period + self._breath_phase)))
        head_dy = int(round(1.6 * math.sin(2 * math.pi * t / 2.9 + self._bob_phase)))
        mouth_set, brows, eyes = expression_for(_BASELINE.get(self.temperament, "neutral"))
        mouth = "X"
        head_dx = 0
        speech_s = -1.0
        gaze_x, gaze_y = self._idle_gaze(frame)
        if turn is not None:
            local = frame - turn.start_frame
            plan = turn.plan
            toward = 1.0 if turn.speaker_x > self.seat_x else -1.0
            if plan.speaker == self.cast_id:
                mouth_set, brows, eyes = expression_for(plan.emotion)
                if 0 <= local < plan.frames:
                    mouth = plan.mouth[local]
                    speech_s = local / self.fps
                    if mouth in _SPEAKING_BOB:
                        head_dy += 2
                # The speaker addresses the others, glancing to camera between sentences.
                sentence = sum(1 for s in plan.sentence_starts if s <= local)
                at_listeners = 1.0 if turn.listeners_x > self.seat_x else -1.0
                gaze_x, gaze_y = (0.0, 0.2) if sentence % 3 == 2 else (at_listeners, 0.0)
            else:
                gaze_x, gaze_y = toward, 0.0
                head_dx = int(4 * toward)
                for cast_id, nod_frame in plan.nods:
                    if cast_id == self.cast_id and 0 <= local - nod_frame < 9:
                        head_dy += (3, 6, 8, 8, 7, 5, 3, 2, 1)[local - nod_frame]
            for span in plan.spans:
                if span.cast_id == self.cast_id and span.start <= local < span.end:
                    brows = span.brows or brows
                    eyes = span.eyes or eyes
                    mouth_set = span.mouth_set or mouth_set
        eyes = self._blink(frame, eyes)
        return Pose(body_dy, head_dx, head_dy, eyes, gaze_x, gaze_y, brows, mouth_set, mouth, speech_s)

    def _blink(self, frame: int, eyes: str) -> str:
        if frame >= self._next_blink:
            self._blink_start = frame
            gap = self._rng.uniform(2.2, 5.5)
            if self._rng.random() < 0.15:
                gap = 0.35  # a double blink now and then
            self._next_blink = frame + len(_BLINK) + int(gap * self.fps)
        step = frame - self._blink_start
        if 0 <= step < len(_BLINK):
            return "closed" if eyes == "half" and _BLINK[step] == "half" else _BLINK[step]
        return eyes

    def _idle_gaze(self, frame: int) -> tuple[float, float]:
        if frame >= self._glance_until:
            self._glance = self._rng.choice([(0.0, 0.0), (0.0, 0.0), (-0.8, 0.0), (0.8, 0.0), (0.3, -1.0), (-0.3, 0.6)])
            self._glance_until = frame + int(self._rng.uniform(1.5, 4.0) * self.fps)
        return self._glance
