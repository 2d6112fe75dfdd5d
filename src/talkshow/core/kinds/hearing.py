"""Speech to text: the Protocol every provider meets, and what it returns."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
import numpy.typing as npt

from talkshow.core.errors import TalkshowError

__all__ = [
    "NO_READINGS",
    "HeardWord",
    "HeardWords",
    "Readings",
    "SpeechToText",
    "StreamingSpeechToText",
    "Transcript",
    "TranscriptionError",
    "TranscriptionStream",
]


class TranscriptionError(TalkshowError):
    """A speech-to-text provider failed; ``retryable`` says whether trying again may help."""

    def __init__(self, message: str, retryable: bool = False) -> None:
        super().__init__(message)
        self.retryable = retryable


@dataclass(frozen=True)
class HeardWord:
    """A word as the ears heard it, and how sure they were of it (0-1: the model's probability)."""

    text: str
    confidence: float


HeardWords = tuple[HeardWord, ...]


@dataclass(frozen=True)
class Readings:
    """Other readings of what a person said that the ears found nearly as likely, best first (their n-best, made
    when they were unsure of a word): "how many legs don't aspire to him" may also be "...does a spider have".

    ``ready`` are known now; ``later``, if given, waits up to a timeout for those the ears make after the text
    (so the text is not late for them). Nobody need ask: they cost a wait only to whoever does.
    """

    ready: tuple[str, ...] = ()
    later: Callable[[float], tuple[str, ...]] | None = field(default=None, compare=False, repr=False)

    def wait(self, timeout_s: float) -> tuple[str, ...]:
        """The readings, waiting up to ``timeout_s`` for ones still being made (none if they do not come)."""
        if self.ready or self.later is None:
            return self.ready
        return self.later(timeout_s)


NO_READINGS = Readings()


@dataclass(frozen=True)
class Transcript:
    """What a person said, as the provider heard it."""

    text: str
    provider: str
    ms: float  # how long transcription took
    heard_words: tuple[HeardWord, ...] = ()  # each word with its confidence, if the provider gives them
    readings: Readings = NO_READINGS  # other readings of it, if the provider makes them

    @property
    def words(self) -> list[str]:
        """The words, lower-cased, punctuation dropped (for comparing)."""
        return ["".join(c for c in w if c.isalnum() or c == "'") for w in self.text.lower().split()]


class SpeechToText(Protocol):
    """Transcribes one utterance (called on a worker thread, never the frame loop)."""

    name: str

    def transcribe(self, samples: npt.NDArray[np.int16], sample_rate: int) -> Transcript:
        """The text of ``samples`` (mono int16)."""


class TranscriptionStream(Protocol):
    """One utterance transcribed while it is spoken: the final text is ready soon after it ends."""

    def feed(self, samples: npt.NDArray[np.int16]) -> str:
        """Decode more 16 kHz audio; returns the partial text so far."""

    def finish(self) -> Transcript:
        """End the utterance and return its text."""


class StreamingSpeechToText(SpeechToText, Protocol):
    """A provider that can also transcribe as the person speaks."""

    def open_stream(self) -> TranscriptionStream:
        """Start an utterance (16 kHz mono int16 in)."""
