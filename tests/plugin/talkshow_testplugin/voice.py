"""A voice provider: espeak-ng's "f2" variant, high and quick, under its own engine name."""

from __future__ import annotations

from dataclasses import replace

from talkshow.core.cast import VoiceSettings
from talkshow.core.kinds.voice import Voice, VoiceInfo
from talkshow.voice.espeak import EspeakEngine


class ChipmunkEngine:
    """Speaks every voice as a high espeak-ng voice (talkshow's own espeak engine does the work)."""

    name = "chipmunk"

    def __init__(self) -> None:
        self._espeak = EspeakEngine()

    def list_voices(self) -> list[VoiceInfo]:
        return [VoiceInfo(self.name, "squeak", "en", "a high, quick voice (plug-in)")]

    def version(self) -> str:
        return "chipmunk-1/" + self._espeak.version()

    def voice(self, settings: VoiceSettings) -> Voice:
        return self._espeak.voice(replace(settings, engine="espeak", voice="en-us+f2", pitch=95, rate=190))
