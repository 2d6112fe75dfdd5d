"""The voice stage's data types and provider protocols."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

__all__ = ["PhonemeTiming", "Speech", "Voice", "VoiceEngine", "VoiceInfo", "WordTiming"]

Samples = npt.NDArray[np.int16]


@dataclass(frozen=True)
class PhonemeTiming:
    """One phoneme with its position in the audio (seconds) in ARPAbet."""

    start: float
    end: float
    phone: str


@dataclass(frozen=True)
class WordTiming:
    """One word with its position in the audio and in the spoken text."""

    start: float
    end: float
    char_start: int
    char_end: int


@dataclass(frozen=True)
class Speech:
    """Mono int16 PCM plus whatever timing the engine knows.

    ``phonemes`` and ``words`` are empty when the audio came without timings
    (an uploaded clip); lip sync then aligns or falls back to the audio itself.
    """

    samples: Samples
    sample_rate: int
    text: str
    phonemes: tuple[PhonemeTiming, ...] = ()
    words: tuple[WordTiming, ...] = ()

    @property
    def duration(self) -> float:
        """Length of the audio in seconds."""
        return len(self.samples) / self.sample_rate


@dataclass(frozen=True)
class VoiceInfo:
    """A voice an engine offers, for `talkshow voices`."""

    engine: str
    name: str
    language: str
    description: str = ""


class Voice(Protocol):
    """Speaks text as one character."""

    def synthesize(self, text: str) -> Speech:
        """Speech for ``text`` at the engine's native sample rate."""


class VoiceEngine(Protocol):
    """A TTS provider: lists voices and makes a Voice from settings."""

    name: str

    def list_voices(self) -> list[VoiceInfo]:
        """Every voice this engine can speak with."""

    def version(self) -> str:
        """Engine version; part of the cache key so upgrades re-synthesize."""
