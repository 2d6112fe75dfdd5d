"""Speech to text: the Protocol every provider meets, and what it returns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from talkshow.core.errors import TalkshowError

__all__ = [
    "HeardWord",
    "HeardWords",
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
class Transcript:
    """What a person said, as the provider heard it."""

    text: str
    provider: str
    ms: float  # how long transcription took
    heard_words: tuple[HeardWord, ...] = ()  # each word with its confidence, if the provider gives them
    # Other readings the ears found nearly as likely, best first (their n-best), when they were unsure of a word:
    # a question heard as "how many legs don't aspire to him" may also have been heard as "...does a spider have".
    alternatives: tuple[str, ...] = ()

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
