"""The voice stage's data types and provider protocols."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from talkshow.core.turn import WordTiming

__all__ = [
    "PhonemeTiming",
    "Speech",
    "StreamingVoice",
    "Voice",
    "VoiceEngine",
    "VoiceInfo",
    "WordTiming",
    "join_speech",
]

Samples = npt.NDArray[np.int16]


@dataclass(frozen=True)
class PhonemeTiming:
    """One phoneme with its position in the audio (seconds) in ARPAbet."""

    start: float
    end: float
    phone: str


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


class StreamingVoice(Voice, Protocol):
    """A voice that can hand on a line sentence by sentence, as each is synthesized."""

    def stream(self, text: str) -> Iterator[Speech]:
        """Chunks whose texts, joined, are ``text``; timings are relative to each chunk."""


def join_speech(chunks: Sequence[Speech], text: str | None = None) -> Speech:
    """One Speech from consecutive chunks: audio joined, timings and character spans offset.

    All chunks must share one sample rate (resample them first).
    """
    if not chunks:
        raise ValueError("no speech to join")
    rate = chunks[0].sample_rate
    if any(c.sample_rate != rate for c in chunks):
        raise ValueError("speech chunks have different sample rates")
    phonemes: list[PhonemeTiming] = []
    words: list[WordTiming] = []
    seconds, chars = 0.0, 0
    for chunk in chunks:
        phonemes += [PhonemeTiming(p.start + seconds, p.end + seconds, p.phone) for p in chunk.phonemes]
        words += [
            WordTiming(w.start + seconds, w.end + seconds, w.char_start + chars, w.char_end + chars)
            for w in chunk.words
        ]
        seconds += chunk.duration
        chars += len(chunk.text)
    samples = np.concatenate([c.samples for c in chunks]) if len(chunks) > 1 else chunks[0].samples
    return Speech(
        samples, rate, "".join(c.text for c in chunks) if text is None else text, tuple(phonemes), tuple(words)
    )


class VoiceEngine(Protocol):
    """A TTS provider: lists voices and makes a Voice from settings."""

    name: str

    def list_voices(self) -> list[VoiceInfo]:
        """Every voice this engine can speak with."""

    def version(self) -> str:
        """Engine version; part of the cache key so upgrades re-synthesize."""
