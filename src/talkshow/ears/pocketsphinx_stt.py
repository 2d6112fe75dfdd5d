"""pocketsphinx, bundled: the embedded speech-to-text (its own en-us model and language model).

Fast and offline, and rough: on espeak voices with 20 dB of noise it gets short questions
mostly right and mishears names ("lambo"). An OpenAI-compatible endpoint (a whisper.cpp
server, speaches, Groq) or faster-whisper is the better ear when there is one.
"""

from __future__ import annotations

import threading
import time

import numpy as np
import numpy.typing as npt

from talkshow.audio import resample
from talkshow.ears.stt import Transcript, TranscriptionError

__all__ = ["PocketsphinxSTT"]

RATE = 16_000


class PocketsphinxSTT:
    """One decoder, used under a lock (it is not thread-safe)."""

    name = "pocketsphinx"

    def __init__(self) -> None:
        from pocketsphinx import Decoder

        self._decoder = Decoder(samprate=RATE, loglevel="FATAL")
        self._lock = threading.Lock()

    def transcribe(self, samples: npt.NDArray[np.int16], sample_rate: int) -> Transcript:
        """The decoder's best hypothesis for the whole utterance."""
        started = time.perf_counter()
        audio = resample(samples, sample_rate, RATE)
        try:
            with self._lock:
                self._decoder.start_utt()
                self._decoder.process_raw(np.ascontiguousarray(audio).tobytes(), full_utt=True)
                self._decoder.end_utt()
                hypothesis = self._decoder.hyp()
        except RuntimeError as exc:
            raise TranscriptionError(f"pocketsphinx failed: {exc}") from exc
        text = hypothesis.hypstr if hypothesis is not None else ""
        return Transcript(text, self.name, (time.perf_counter() - started) * 1000)
