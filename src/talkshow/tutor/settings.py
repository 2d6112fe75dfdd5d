"""The show file's ``[tutor]`` table: the learner's level, how fast the tutor speaks, what to talk about.

[tutor]
level = "B1"                      # CEFR A2, B1, B2 or C1: how much the tutor explains
rate = 150                        # the tutor's words a minute (a learner's pace: slower than a host's)
topics = ["your weekend", "food you like"]
confidence_floor = 0.5            # words the ears heard with less are asked about, never corrected
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from talkshow.config import ShowConfig
from talkshow.core.sections import Section, SectionReader

__all__ = ["LEVELS", "SECTION", "TutorSettings", "read_tutor_section", "tutor_show"]

LEVELS = ("A2", "B1", "B2", "C1")
MAX_TOPICS = 50


@dataclass(frozen=True)
class TutorSettings:
    """How the tutor teaches (``[tutor]`` in a show file)."""

    level: str = "B1"
    rate: int = 150  # words a minute; the tutor character's voice speaks at this pace
    topics: tuple[str, ...] = ()
    confidence_floor: float = 0.5
    learners: str = ""  # where learners are remembered; "" until the station puts it beside the studio's database


_KEYS = {"level", "rate", "topics", "confidence_floor", "learners"}


def read_tutor_section(data: dict[str, Any], reader: SectionReader) -> TutorSettings:
    """``[tutor]`` from a show file, every value checked."""
    for key in data:
        if key not in _KEYS:
            raise reader.fail(f"unknown key {key!r} in [tutor] (expected one of: {', '.join(sorted(_KEYS))})", key)
    level = str(reader.value(data, "level", str, "B1")).upper()
    if level not in LEVELS:
        raise reader.fail(f"tutor level must be one of {', '.join(LEVELS)} (CEFR), got {level!r}", "level")
    rate = int(reader.value(data, "rate", int, 150))
    if not 90 <= rate <= 220:
        raise reader.fail(f"tutor rate must be 90-220 words a minute, got {rate}", "rate")
    topics = reader.value(data, "topics", list, [])
    if len(topics) > MAX_TOPICS or not all(isinstance(t, str) and 0 < len(t) <= 120 for t in topics):
        raise reader.fail(f"tutor topics must be up to {MAX_TOPICS} strings of 1-120 characters", "topics")
    floor = float(reader.value(data, "confidence_floor", (int, float), 0.5))
    if not 0.0 <= floor <= 1.0:
        raise reader.fail(f"tutor confidence_floor must be between 0 and 1, got {floor:g}", "confidence_floor")
    learners = str(reader.value(data, "learners", str, ""))
    return TutorSettings(level=level, rate=rate, topics=tuple(topics), confidence_floor=floor, learners=learners)


SECTION = Section("tutor", TutorSettings, read_tutor_section)


def tutor_show(config: ShowConfig, tutor_id: str, studio_db: Path) -> ShowConfig:
    """``config`` made ready for its tutor, if it has a ``[tutor]`` table (unchanged otherwise): cast member
    ``tutor_id`` (and its fallback voice) speaks at ``[tutor] rate``, and learners are kept in ``[tutor]
    learners`` (relative to the show file), or beside the studio's database ``studio_db``."""
    if not any(isinstance(value, TutorSettings) for value in config.sections.by_kind.values()):
        return config
    tutor = config.section(TutorSettings)
    learners = config.base_dir / tutor.learners if tutor.learners else studio_db.with_name("learners.sqlite3")
    cast = []
    for member in config.cast:
        if member.id == tutor_id:
            fallback = replace(member.voice.fallback, rate=tutor.rate) if member.voice.fallback else None
            member = replace(member, voice=replace(member.voice, rate=tutor.rate, fallback=fallback))
        cast.append(member)
    return replace(config, cast=tuple(cast)).with_sections(replace(tutor, learners=str(learners)))
