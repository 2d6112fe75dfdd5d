"""Mouth cues: timed Rhubarb shapes, built from phoneme timings and smoothed.

Smoothing follows what animators expect: no flicker shorter than ``min_cue``,
lips always visibly close for P/B/M, and only real pauses return to rest.
"""

from __future__ import annotations

from collections.abc import Sequence

from talkshow.core.kinds.voice import PhonemeTiming
from talkshow.core.turn import MouthCue
from talkshow.lipsync.shapes import REST, shape_for_phone

__all__ = ["MouthCue", "cues_from_phonemes", "shape_at", "shapes_per_frame", "smooth_cues"]

MIN_CUE_SECONDS = 0.045
MIN_REST_SECONDS = 0.12


def cues_from_phonemes(phonemes: Sequence[PhonemeTiming], duration: float) -> list[MouthCue]:
    """Smoothed cues covering ``[0, duration]`` from ARPAbet phoneme timings."""
    raw: list[MouthCue] = []
    cursor = 0.0
    for phoneme in phonemes:
        start = max(phoneme.start, cursor)
        end = min(phoneme.end, duration)
        if end <= start:
            continue
        if start > cursor:
            raw.append(MouthCue(cursor, start, REST))
        raw.append(MouthCue(start, end, shape_for_phone(phoneme.phone)))
        cursor = end
    if cursor < duration:
        raw.append(MouthCue(cursor, duration, REST))
    return smooth_cues(raw)


def smooth_cues(cues: Sequence[MouthCue]) -> list[MouthCue]:
    """Merge repeats, drop flicker, and keep only real pauses at rest."""
    # Merge first: a long pause arrives as many short rest cues from the energy route.
    joined = _merge_same(cues)
    merged = _merge_same([_short_pause_to_open(c, i, joined) for i, c in enumerate(joined)])
    # Each pass removes or lengthens one short cue; the bound is a guard, not a limit. A pass
    # changes cues from one before the short one on, so the next search resumes there
    # (a 15 s clip from the energy route has hundreds of cues: rescanning all was quadratic).
    start = 0
    for _ in range(4 * len(merged) + 4):
        count = len(merged)
        short = next((i for i in range(start, count) if _too_short(merged[i], i, count)), None)
        if short is None or count < 2:
            break
        merged = _absorb(merged, short)
        start = max(0, short - 2)
    return merged


def _too_short(cue: MouthCue, index: int, count: int) -> bool:
    # The closing rest is kept however short, so every line ends with the mouth at rest.
    if cue.shape == REST and index == count - 1:
        return False
    return cue.end - cue.start < MIN_CUE_SECONDS - 1e-6


def _short_pause_to_open(cue: MouthCue, index: int, cues: Sequence[MouthCue]) -> MouthCue:
    inner = 0 < index < len(cues) - 1
    if cue.shape == REST and inner and cue.end - cue.start < MIN_REST_SECONDS:
        return MouthCue(cue.start, cue.end, "B")
    return cue


def _merge_same(cues: Sequence[MouthCue]) -> list[MouthCue]:
    merged: list[MouthCue] = []
    for cue in cues:
        if merged and merged[-1].shape == cue.shape:
            merged[-1] = MouthCue(merged[-1].start, cue.end, cue.shape)
        else:
            merged.append(cue)
    return merged


def _absorb(cues: list[MouthCue], index: int) -> list[MouthCue]:
    """Remove a too-short cue, keeping closed lips (A) by lengthening them instead."""
    cue = cues[index]
    prev = cues[index - 1] if index > 0 else None
    nxt = cues[index + 1] if index + 1 < len(cues) else None
    if cue.shape == "A" and nxt is not None and nxt.end - cue.start >= 2 * MIN_CUE_SECONDS:
        grown = MouthCue(cue.start, cue.start + MIN_CUE_SECONDS, "A")
        rest = MouthCue(grown.end, nxt.end, nxt.shape)
        return _splice(cues, index, index + 2, [grown, rest])
    if prev is None and nxt is None:
        return cues
    if nxt is None or (prev is not None and prev.end - prev.start >= nxt.end - nxt.start):
        assert prev is not None
        joined = MouthCue(prev.start, cue.end, prev.shape)
        return _splice(cues, index - 1, index + 1, [joined])
    joined = MouthCue(cue.start, nxt.end, nxt.shape)
    return _splice(cues, index, index + 2, [joined])


def _splice(cues: list[MouthCue], lo: int, hi: int, middle: list[MouthCue]) -> list[MouthCue]:
    """``cues[lo:hi]`` replaced by ``middle``; equal shapes are merged where they meet (elsewhere they already are)."""
    out = [*cues[:lo], *middle, *cues[hi:]]
    a, b = max(lo - 1, 0), min(lo + len(middle) + 1, len(out))
    return [*out[:a], *_merge_same(out[a:b]), *out[b:]]


def shape_at(cues: Sequence[MouthCue], seconds: float) -> str:
    """The shape showing at ``seconds`` (rest outside the cues)."""
    for cue in cues:
        if cue.start <= seconds < cue.end:
            return cue.shape
    return REST


def shapes_per_frame(cues: Sequence[MouthCue], fps: int, frames: int) -> list[str]:
    """One shape per video frame, sampled at each frame's midpoint."""
    shapes: list[str] = []
    index = 0
    for frame in range(frames):
        t = (frame + 0.5) / fps
        while index < len(cues) and cues[index].end <= t:
            index += 1
        shapes.append(cues[index].shape if index < len(cues) and cues[index].start <= t else REST)
    return shapes
