"""The one configuration object, passed explicitly to every stage: plain data, built from a show file
(``talkshow.show_file``) or from a topic. Importing it loads no provider, model or codec, and no
package: each package declares its own settings section (``talkshow.core.sections``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from talkshow.core.cast import CastMember, VoiceSettings
from talkshow.core.sections import Sections

__all__ = [
    "CastMember",
    "LightingSettings",
    "SceneSettings",
    "ShowConfig",
    "VideoSettings",
    "VoiceSettings",
    "WriterSettings",
    "default_cast",
    "show_from_topic",
]

_S = TypeVar("_S")


@dataclass(frozen=True)
class LightingSettings:
    """Studio lighting, baked into the cached base frame at load."""

    warmth: float = 0.25
    brightness: float = 1.0
    vignette: float = 0.35


@dataclass(frozen=True)
class SceneSettings:
    """Background, TV source, lighting and captions."""

    background: str = "studio"
    tv: str = "channel:news"
    lighting: LightingSettings = field(default_factory=LightingSettings)
    captions: bool = True


@dataclass(frozen=True)
class WriterSettings:
    """Which writer turns the topic into lines, with its options."""

    kind: str = "improv"
    options: dict[str, Any] = field(default_factory=dict)


def parse_video_size(text: str) -> tuple[int, int]:
    """``WIDTHxHEIGHT`` in even pixels from 160x90 to 3840x2160 (H.264's 4:2:0 needs even sides);
    ValueError naming the rule otherwise."""
    import re

    match = re.fullmatch(r"(\d{2,4})x(\d{2,4})", text.strip())
    width, height = (int(match[1]), int(match[2])) if match else (0, 0)
    if not (160 <= width <= 3840 and 90 <= height <= 2160) or width % 2 or height % 2:
        raise ValueError(f"size takes WIDTHxHEIGHT in even pixels from 160x90 to 3840x2160, not {text[:40]!r}")
    return width, height


@dataclass(frozen=True)
class VideoSettings:
    """Output resolution, frame rate and encoder settings."""

    width: int = 1920
    height: int = 1080
    fps: int = 30
    sample_rate: int = 48_000
    preset: str = "ultrafast"
    crf: int = 23
    tune: str = "zerolatency"  # sliced threads: faster here, and live needs no lookahead delay
    maxrate_kbps: int = 0  # 0: pure CRF; live sets a cap so RTMP ingest gets a steady rate


@dataclass(frozen=True)
class ShowConfig:
    """Everything a show needs; built from a show file or from a topic."""

    title: str
    topic: str
    cast: tuple[CastMember, ...]
    turns: int = 12
    pause: float = 0.35
    voicing_parallel: int = 2  # lines voiced at once ahead of air (they still air in order)
    seed: int = 0
    scene: SceneSettings = field(default_factory=SceneSettings)
    writer: WriterSettings = field(default_factory=WriterSettings)
    # Each package's own table ([talk], [phone], [moderation], [chat], [memory] ...), by type: section(TalkSettings).
    sections: Sections = field(default_factory=Sections)
    video: VideoSettings = field(default_factory=VideoSettings)
    base_dir: Path = field(default_factory=Path.cwd)
    cache_dir: Path | None = None

    def member(self, cast_id: str) -> CastMember:
        """The cast member with ``cast_id``."""
        for member in self.cast:
            if member.id == cast_id:
                return member
        raise KeyError(cast_id)

    def with_overrides(self, **changes: Any) -> ShowConfig:
        """A copy with some fields replaced (command-line overrides)."""
        return replace(self, **changes)

    def section(self, kind: type[_S]) -> _S:
        """A package's settings section (``config.section(TalkSettings)``): the show file's table, or its defaults."""
        return self.sections.get(kind)

    def with_sections(self, *values: object) -> ShowConfig:
        """A copy with ``values`` in place of the sections of their types."""
        return replace(self, sections=self.sections.replaced(*values))


# The embedded neural voice. Both characters use it, made into two men by pitch, vocal-tract
# length and intonation (see default_cast, and docs/voices.md: why one voice, two people).
DEFAULT_VOICE = VoiceSettings(engine="piper", voice="joe")


def default_cast() -> tuple[CastMember, ...]:
    """The bundled cast: confident Duke and anxious Wendell, each with an espeak-ng fallback voice."""
    return (
        CastMember(
            id="duke",
            pack="duke",
            name="Duke",
            persona=(
                "A supremely confident showman who has an answer for everything, loves flexing, and never admits doubt."
            ),
            voice=VoiceSettings(
                engine="piper",
                voice="joe",
                # A bigger man: pitch -3 semitones, a vocal tract 12% longer, steady intonation.
                pitch=20,
                rate=160,
                options={"formants": 0.88, "noise_scale": 0.45, "noise_w": 0.6},
                fallback=VoiceSettings(voice="en-us+m3", pitch=38, rate=168, pitch_range=60),
            ),
            temperament="confident",
        ),
        CastMember(
            id="wendell",
            pack="wendell",
            name="Wendell",
            persona=("A nervous overthinker who sees risks everywhere, asks too many questions and apologises a lot."),
            voice=VoiceSettings(
                engine="piper",
                voice="joe",
                # A slighter man: pitch +5 semitones, a vocal tract 10% shorter, livelier and less even.
                pitch=100,
                rate=192,
                options={"formants": 1.10, "noise_scale": 0.85, "noise_w": 1.0},
                fallback=VoiceSettings(voice="en-us+m7", pitch=66, rate=186, pitch_range=85),
            ),
            temperament="anxious",
        ),
    )


def show_from_topic(topic: str, turns: int = 12, seed: int = 0) -> ShowConfig:
    """A show on ``topic`` with the default cast, scene and offline writer."""
    topic = topic.strip()
    if not topic:
        raise ValueError("the topic is empty: give the show something to talk about")
    if turns < 1:
        raise ValueError(f"turns must be at least 1, got {turns}")
    return ShowConfig(title=topic[:60], topic=topic, cast=default_cast(), turns=turns, seed=seed)
