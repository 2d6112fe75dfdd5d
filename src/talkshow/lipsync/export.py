"""Export cues in Rhubarb Lip Sync's JSON and TSV formats for other tools."""

from __future__ import annotations

import json
from collections.abc import Sequence

from talkshow.core.turn import MouthCue

__all__ = ["to_rhubarb_json", "to_rhubarb_tsv"]


def to_rhubarb_json(cues: Sequence[MouthCue], sound_file: str, duration: float) -> str:
    """Rhubarb's JSON: ``{"metadata": {...}, "mouthCues": [{"start", "end", "value"}]}``."""
    document = {
        "metadata": {"soundFile": sound_file, "duration": round(duration, 2)},
        "mouthCues": [{"start": round(c.start, 2), "end": round(c.end, 2), "value": c.shape} for c in cues],
    }
    return json.dumps(document, indent=2)


def to_rhubarb_tsv(cues: Sequence[MouthCue]) -> str:
    """Rhubarb's TSV: one ``start<TAB>shape`` line per cue, then the end at rest."""
    lines = [f"{c.start:.2f}\t{c.shape}" for c in cues]
    if cues:
        lines.append(f"{cues[-1].end:.2f}\tX")
    return "\n".join(lines) + "\n"
