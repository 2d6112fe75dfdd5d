"""Who is on the show: a cast member and the voice it speaks with. Shared by every stage that
meets a character (the writers, the voices, the stage, the show file and the studio's cast editor).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["CastMember", "Persona", "VoiceSettings"]


@dataclass(frozen=True)
class VoiceSettings:
    """Which TTS engine speaks a character, and how.

    ``pitch`` (0-100, 50 is the voice's own) and ``rate`` (words per minute, 175 is the
    voice's own pace) mean the same on every engine that can change them. ``options``
    are engine-specific (a model path, an API model name, voice settings). ``fallback``
    speaks when this voice fails; espeak-ng is the last resort after it.
    """

    engine: str = "espeak"
    voice: str = "en-us"
    pitch: int = 50
    rate: int = 175
    pitch_range: int = 50
    options: dict[str, Any] = field(default_factory=dict)
    fallback: VoiceSettings | None = None

    def cache_key(self) -> str:
        """A stable string identifying everything that changes the audio (not the fallback)."""
        opts = ",".join(f"{k}={self.options[k]}" for k in sorted(self.options))
        return f"{self.engine}|{self.voice}|{self.pitch}|{self.rate}|{self.pitch_range}|{opts}"

    def describe(self) -> str:
        """``engine:voice`` for messages and the studio."""
        return f"{self.engine}:{self.voice}"


@dataclass(frozen=True)
class Persona:
    """Who a character is, as a persona file (a Character Card) says: plain text, checked, macros filled.

    ``persona`` is the description, personality and scenario in one paragraph for a writer's
    prompt; ``greeting`` is what the character says first to a caller; ``examples`` are
    lines in its voice (``Name: text``) that show a writer how it talks.
    """

    name: str
    persona: str
    greeting: str = ""
    examples: tuple[str, ...] = ()
    source: str = ""  # where it came from, for messages: "Character Card V2 (duke.png)"


@dataclass(frozen=True)
class CastMember:
    """One character on the show: its art (pack), its voice and its persona."""

    id: str
    pack: str
    name: str
    persona: str
    voice: VoiceSettings
    temperament: str = "neutral"
    greeting: str = ""  # what it says first to a caller, when its persona gives one
    examples: tuple[str, ...] = ()  # lines in its voice (``Name: text``) for a writer's prompt
