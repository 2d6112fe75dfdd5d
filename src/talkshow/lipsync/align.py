"""Forced alignment of speech against its text with pocketsphinx's bundled en-us model.

pocketsphinx aligns words; phones inside each word are spread over the word by
typical relative duration (vowels longer than consonants). Words missing from the
dictionary get a pronunciation from a pluggable pronouncer (espeak-ng by default).
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt

from talkshow.audio import resample
from talkshow.core.errors import AlignmentError
from talkshow.core.kinds.voice import PhonemeTiming
from talkshow.core.turn import WordTiming

logger = logging.getLogger(__name__)

__all__ = ["AlignedWord", "Aligner", "ForcedAligner", "espeak_pronouncer", "normalize_words", "phonemes_for_words"]

ALIGN_RATE = 16_000
_FRAME_SECONDS = 0.01
_CHUNK = 2048
_VOWELS = {"AA", "AE", "AH", "AO", "AW", "AY", "EH", "ER", "EY", "IH", "IY", "OW", "OY", "UH", "UW"}
_WORD = re.compile(r"[a-z0-9']+")

Pronouncer = Callable[[str], Sequence[str]]


class AlignedWord(WordTiming):
    """A word timing plus its phones (ARPAbet)."""

    phones: tuple[str, ...]

    def __init__(self, start: float, end: float, char_start: int, char_end: int, phones: tuple[str, ...]) -> None:
        super().__init__(start, end, char_start, char_end)
        object.__setattr__(self, "phones", phones)


class Aligner(Protocol):
    """Finds when each word of a known text is spoken in a clip."""

    def align(self, samples: npt.NDArray[np.int16], sample_rate: int, text: str) -> list[AlignedWord]:
        """Word timings (with phones) for ``samples`` spoken as ``text``; AlignmentError if it cannot."""
        ...


def espeak_pronouncer(word: str) -> list[str]:
    """ARPAbet phones for a word the dictionary lacks, as espeak-ng says it."""
    from talkshow.core.cast import VoiceSettings
    from talkshow.voice.espeak import EspeakVoice

    speech = EspeakVoice(VoiceSettings(voice="en-us")).synthesize(word)
    return [p.phone for p in speech.phonemes]


def normalize_words(text: str) -> list[tuple[str, int, int]]:
    """Lower-case words with their character spans in ``text``."""
    lowered = text.lower().replace("’", "'")
    return [(m.group().strip("'"), m.start(), m.end()) for m in _WORD.finditer(lowered) if m.group().strip("'")]


class ForcedAligner:
    """Aligns audio to text. One decoder, reused under a lock (it is not thread-safe)."""

    def __init__(self, pronouncer: Pronouncer | None = None) -> None:
        from pocketsphinx import Decoder

        # Wide beams: in forced alignment the path is known, so pruning only hurts
        # (default beams drop the right path on synthetic or odd voices).
        self._decoder = Decoder(samprate=ALIGN_RATE, lm=None, loglevel="FATAL", beam=1e-120, wbeam=1e-100, pbeam=1e-120)
        self._pronouncer = pronouncer
        self._lock = threading.Lock()

    def align(self, samples: npt.NDArray[np.int16], sample_rate: int, text: str) -> list[AlignedWord]:
        """Word timings (with phones) for ``samples`` spoken as ``text``."""
        words = normalize_words(text)
        if not words:
            raise AlignmentError("the text has no words to align")
        audio = resample(samples, sample_rate, ALIGN_RATE)
        with self._lock:
            prons = [self._pronunciation(word) for word, _, _ in words]
            sentence = " ".join(word for word, _, _ in words)
            segments = self._decode(audio, sentence)
            if segments is None:
                # espeak-like audio with no lead-in sometimes fails; silence padding helps.
                pad = int(0.2 * ALIGN_RATE)
                padded = np.concatenate([np.zeros(pad, np.int16), audio, np.zeros(pad, np.int16)])
                segments = self._decode(padded, sentence)
                if segments is not None:
                    segments = [(w, s - 0.2, e - 0.2) for w, s, e in segments]
        if segments is None:
            raise AlignmentError(f"pocketsphinx could not align {text[:60]!r}")
        return _attach(words, prons, segments, len(samples) / sample_rate)

    def _pronunciation(self, word: str) -> tuple[str, ...]:
        known = self._decoder.lookup_word(word)
        if known:
            return tuple(known.split())
        phones = tuple(p for p in (self._pronouncer(word) if self._pronouncer else ()) if p != "SIL")
        if not phones:
            phones = ("AH",)
        self._decoder.add_word(word, " ".join(phones), True)
        return phones

    def _decode(self, audio: npt.NDArray[np.int16], sentence: str) -> list[tuple[str, float, float]] | None:
        decoder = self._decoder
        try:
            decoder.set_align_text(sentence)
            decoder.start_utt()
            # Feeding in chunks matters: one full-utterance call fails on short clips.
            for offset in range(0, len(audio), _CHUNK):
                decoder.process_raw(audio[offset : offset + _CHUNK].tobytes())
            decoder.end_utt()
            segs = decoder.seg()
        except RuntimeError as exc:
            logger.debug("alignment pass failed: %s", exc)
            return None
        if segs is None:
            return None
        result = []
        for seg in segs:
            word = re.sub(r"\(\d+\)$", "", seg.word)
            if word.startswith("<") or word.startswith("["):
                continue
            result.append((word, seg.start_frame * _FRAME_SECONDS, (seg.end_frame + 1) * _FRAME_SECONDS))
        return result or None


def _attach(
    words: list[tuple[str, int, int]],
    prons: list[tuple[str, ...]],
    segments: list[tuple[str, float, float]],
    duration: float,
) -> list[AlignedWord]:
    """Match decoded segments to the expected words in order; interpolate any missing."""
    times: list[tuple[float, float] | None] = []
    cursor = 0
    for word, _, _ in words:
        found = None
        for index in range(cursor, min(cursor + 3, len(segments))):
            if segments[index][0] == word:
                found = (max(0.0, segments[index][1]), min(duration, segments[index][2]))
                cursor = index + 1
                break
        times.append(found)
    filled = _interpolate(times, duration)
    return [
        AlignedWord(start, end, char_start, char_end, pron)
        for (start, end), (_, char_start, char_end), pron in zip(filled, words, prons, strict=True)
    ]


def _interpolate(times: list[tuple[float, float] | None], duration: float) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for index, value in enumerate(times):
        if value is not None:
            out.append(value)
            continue
        before = out[-1][1] if out else 0.0
        after = next((t[0] for t in times[index + 1 :] if t is not None), duration)
        gap = [i for i in range(index, len(times)) if times[i] is None]
        run = len(gap) if gap == list(range(index, index + len(gap))) else 1
        step = max(after - before, 0.0) / (run + 1 - (index - (gap[0] if gap else index)))
        out.append((before, min(before + step, after)))
    return out


def phonemes_for_words(words: Sequence[AlignedWord]) -> list[PhonemeTiming]:
    """Spread each word's phones over its time; vowels weigh twice consonants."""
    timings: list[PhonemeTiming] = []
    for word in words:
        weights = [2.0 if p.rstrip("012") in _VOWELS else 1.0 for p in word.phones]
        total = sum(weights) or 1.0
        cursor = word.start
        span = max(word.end - word.start, 0.0)
        for phone, weight in zip(word.phones, weights, strict=True):
            end = cursor + span * weight / total
            timings.append(PhonemeTiming(cursor, end, phone.rstrip("012")))
            cursor = end
    return timings
