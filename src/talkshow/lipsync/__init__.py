"""Lip sync stage: speech to timed Rhubarb mouth cues.

Three routes, best first: the voice's own phoneme timings; forced alignment of audio
against its text (pocketsphinx); an energy/spectral fallback for audio with no text.
"""

from __future__ import annotations

import threading

from talkshow.errors import AlignmentError
from talkshow.lipsync.align import ForcedAligner, phonemes_for_words
from talkshow.lipsync.cues import MouthCue, cues_from_phonemes, shape_at, shapes_per_frame
from talkshow.lipsync.energy import cues_from_audio
from talkshow.lipsync.export import to_rhubarb_json, to_rhubarb_tsv
from talkshow.lipsync.shapes import REST, SHAPES
from talkshow.voice.types import Speech

__all__ = [
    "REST",
    "SHAPES",
    "ForcedAligner",
    "LipSync",
    "MouthCue",
    "cues_from_audio",
    "cues_from_phonemes",
    "shape_at",
    "shapes_per_frame",
    "to_rhubarb_json",
    "to_rhubarb_tsv",
]


def _espeak_pronouncer(word: str) -> list[str]:
    from talkshow.voice.espeak import EspeakVoice
    from talkshow.voice.settings import VoiceSettings

    speech = EspeakVoice(VoiceSettings(voice="en-us")).synthesize(word)
    return [p.phone for p in speech.phonemes]


class LipSync:
    """Chooses the best route for each piece of speech; the aligner loads lazily."""

    def __init__(self) -> None:
        self._aligner: ForcedAligner | None = None
        self._lock = threading.Lock()
        self.last_method = ""

    def aligner(self) -> ForcedAligner:
        """The shared forced aligner (loads the acoustic model on first use)."""
        with self._lock:
            if self._aligner is None:
                self._aligner = ForcedAligner(_espeak_pronouncer)
            return self._aligner

    def cues(self, speech: Speech, text: str | None = None) -> list[MouthCue]:
        """Cues for ``speech``: phonemes if it has them, else align ``text``, else audio."""
        if speech.phonemes:
            self.last_method = "phonemes"
            return cues_from_phonemes(speech.phonemes, speech.duration)
        transcript = text if text is not None else speech.text
        if transcript and transcript.strip():
            try:
                words = self.aligner().align(speech.samples, speech.sample_rate, transcript)
            except AlignmentError:
                pass
            else:
                self.last_method = "aligned"
                return cues_from_phonemes(phonemes_for_words(words), speech.duration)
        self.last_method = "energy"
        return cues_from_audio(speech.samples, speech.sample_rate)
