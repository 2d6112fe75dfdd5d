"""Plans a turn's performance: expressions, reactions and mouth shapes per frame.

Planning runs when a turn is prepared, off the frame loop; the per-frame work in
:class:`Actor` is a few lookups and a sine or two.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from talkshow.core.lines import EMOTIONS
from talkshow.core.turn import ExpressionSpan, MouthCue, TurnPlan, WordTiming
from talkshow.lipsync.cues import shapes_per_frame

__all__ = ["EMOTIONS", "expression_for", "plan_turn"]


# emotion -> (mouth set, brows, eyes)
_EXPRESSIONS: dict[str, tuple[str, str, str]] = {
    "neutral": ("neutral", "neutral", "open"),
    "happy": ("smile", "raised", "open"),
    "smug": ("smile", "frown", "half"),
    "excited": ("smile", "raised", "wide"),
    "angry": ("frown", "frown", "open"),
    "worried": ("frown", "worried", "open"),
    "sad": ("frown", "worried", "half"),
    "surprised": ("neutral", "raised", "wide"),
    "confused": ("frown", "worried", "open"),
}
# How a listener answers the speaker's emotion, by temperament.
_REACTIONS = {
    "confident": {"angry": "smug", "worried": "smug", "sad": "happy", "excited": "happy", "happy": "happy"},
    "anxious": {
        "angry": "worried",
        "smug": "worried",
        "excited": "surprised",
        "happy": "neutral",
        "surprised": "worried",
    },
}


def expression_for(emotion: str) -> tuple[str, str, str]:
    """(mouth set, brows, eyes) for an emotion tag; unknown tags read as neutral."""
    return _EXPRESSIONS.get(emotion, _EXPRESSIONS["neutral"])


def plan_turn(
    speaker: str,
    text: str,
    emotion: str,
    cues: Sequence[MouthCue],
    words: Sequence[WordTiming],
    duration: float,
    fps: int,
    listeners: dict[str, str],
) -> TurnPlan:
    """Plan the speaker's and every listener's acting for one line.

    ``listeners`` maps each listener's cast id to its temperament.
    """
    frames = max(1, math.ceil(duration * fps - 1e-9))
    mouth = tuple(shapes_per_frame(cues, fps, frames))
    spans: list[ExpressionSpan] = []
    nods: list[tuple[str, int]] = []
    starts: list[int] = []
    for sentence, (c0, c1) in _sentences(text):
        t0, t1 = _char_time(c0, words, len(text), duration), _char_time(c1, words, len(text), duration)
        f0, f1 = int(t0 * fps), max(int(t0 * fps) + 1, int(t1 * fps))
        starts.append(f0)
        if sentence.endswith("?"):
            # Brows go up over the last part of a question, as people's do.
            spans.append(ExpressionSpan(speaker, f0 + (f1 - f0) * 2 // 5, f1 + fps // 3, brows="raised"))
            for listener in listeners:
                spans.append(ExpressionSpan(listener, f1, f1 + fps, brows="raised"))
        elif sentence.endswith("!"):
            spans.append(ExpressionSpan(speaker, f0, f0 + fps // 2, brows="raised", eyes="wide"))
            for listener in listeners:
                delay = fps // 6
                spans.append(
                    ExpressionSpan(listener, f0 + delay, f0 + delay + int(fps * 0.6), brows="raised", eyes="wide")
                )
        for listener in listeners:
            nods.append((listener, min(f1, frames - 1)))
    for listener, temperament in listeners.items():
        reaction = _REACTIONS.get(temperament, {}).get(emotion)
        if reaction:
            mouth_set, brows, eyes = expression_for(reaction)
            # Listeners take a beat before their face answers the speaker's mood.
            spans.append(
                ExpressionSpan(
                    listener, fps // 2, frames, brows=brows, eyes=eyes if eyes != "wide" else None, mouth_set=mouth_set
                )
            )
    return TurnPlan(speaker, frames, mouth, emotion, tuple(spans), tuple(nods), tuple(starts))


_SENTENCE = re.compile(r"[^.!?]+[.!?]*")


def _sentences(text: str) -> list[tuple[str, tuple[int, int]]]:
    found = []
    for match in _SENTENCE.finditer(text):
        chunk = match.group().strip()
        if chunk:
            found.append((chunk, (match.start(), match.end())))
    return found


def _char_time(char: int, words: Sequence[WordTiming], length: int, duration: float) -> float:
    """Audio time of character ``char``: from word timings, else proportional."""
    if words:
        for word in words:
            if word.char_end > char:
                return word.start if word.char_start >= char else word.end
        return words[-1].end
    return duration * char / max(length, 1)
