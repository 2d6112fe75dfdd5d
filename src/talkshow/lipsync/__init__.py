"""Lip sync stage: speech to timed Rhubarb mouth cues.

Three routes, best first: the voice's own phoneme timings; forced alignment of audio
against its text (pocketsphinx: in-process for renders, in a child process live, where
it would stall the clock); an energy/spectral fallback for audio with no text.
"""

from __future__ import annotations

import threading

from talkshow.errors import AlignmentError
from talkshow.lipsync.align import Aligner, ForcedAligner, espeak_pronouncer, phonemes_for_words
from talkshow.lipsync.cues import MouthCue, cues_from_phonemes, shape_at, shapes_per_frame
from talkshow.lipsync.energy import cues_from_audio
from talkshow.lipsync.export import to_rhubarb_json, to_rhubarb_tsv
from talkshow.lipsync.shapes import REST, SHAPES
from talkshow.voice.types import Speech

__all__ = [
    "REST",
    "SHAPES",
    "Aligner",
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


class LipSync:
    """Chooses the best route for each piece of speech.

    ``aligner``: who aligns text to audio (the live engine's ``ProcessAligner``); by default a
    ``ForcedAligner`` in this process, loaded at the first alignment.
    """

    def __init__(self, aligner: Aligner | None = None) -> None:
        self._aligner = aligner
        self._lock = threading.Lock()

    def aligner(self) -> Aligner:
        """The shared aligner (an in-process one loads the acoustic model on first use)."""
        with self._lock:
            if self._aligner is None:
                self._aligner = ForcedAligner(espeak_pronouncer)
            return self._aligner

    def cues(self, speech: Speech, text: str | None = None) -> list[MouthCue]:
        """Cues for ``speech``: phonemes if it has them, else align ``text``, else audio."""
        return self.cues_by(speech, text)[0]

    def cues_by(self, speech: Speech, text: str | None = None) -> tuple[list[MouthCue], str]:
        """The cues, and how they were made: ``phonemes``, ``aligned`` or ``energy`` (thread-safe)."""
        if speech.phonemes:
            return cues_from_phonemes(speech.phonemes, speech.duration), "phonemes"
        transcript = text if text is not None else speech.text
        if transcript and transcript.strip():
            try:
                words = self.aligner().align(speech.samples, speech.sample_rate, transcript)
            except AlignmentError:
                pass
            else:
                return cues_from_phonemes(phonemes_for_words(words), speech.duration), "aligned"
        return cues_from_audio(speech.samples, speech.sample_rate), "energy"
