"""The lip sync stage's one entry: the best route to mouth cues for each piece of speech."""

from __future__ import annotations

import threading

from talkshow.core.errors import AlignmentError
from talkshow.core.kinds.voice import Speech
from talkshow.core.turn import MouthCue
from talkshow.lipsync.align import Aligner, ForcedAligner, espeak_pronouncer, phonemes_for_words
from talkshow.lipsync.cues import cues_from_phonemes
from talkshow.lipsync.energy import cues_from_audio

__all__ = ["LipSync"]


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
