"""pocketsphinx, bundled: the light fallback ears (its own en-us model and language model).

Fast and offline, and rough: on espeak voices with 20 dB of noise it gets short questions
mostly right and mishears names ("lambo"). The default ears are Whisper (``whisper_stt``);
these hear the calls when Whisper's model cannot be loaded, and align speech to text.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from talkshow.audio import resample
from talkshow.core.kinds.hearing import SpeechToText, Transcript, TranscriptionError

__all__ = ["PocketsphinxSTT"]

RATE = 16_000


class PocketsphinxSTT:
    """One decoder, used under a lock (it is not thread-safe); one utterance at a time."""

    name = "pocketsphinx"

    def __init__(self) -> None:
        from pocketsphinx import Decoder

        # Streaming skips the flat second search pass: it runs over the whole utterance at its
        # end, while the caller waits. Measured on the bench's 18 caller clips (6 questions x 3
        # espeak voices, 20 dB noise), streamed: the end took a median 116 ms with it, 24 ms
        # without. The price, on the test questions decoded cold: mean word error 0.62 -> 0.72.
        # Whole utterances (``transcribe``, nobody waiting on a pause) keep it.
        self._decoder = Decoder(samprate=RATE, loglevel="FATAL", fwdflat=False)
        self._whole: Decoder | None = None  # made on first use: live calls only stream
        self._lock = threading.Lock()

    def transcribe(self, samples: npt.NDArray[np.int16], sample_rate: int) -> Transcript:
        """The decoder's best hypothesis for the whole utterance."""
        started = time.perf_counter()
        audio = resample(samples, sample_rate, RATE)
        try:
            with self._lock:
                if self._whole is None:
                    from pocketsphinx import Decoder

                    self._whole = Decoder(samprate=RATE, loglevel="FATAL")
                self._whole.start_utt()
                self._whole.process_raw(np.ascontiguousarray(audio).tobytes(), full_utt=True)
                self._whole.end_utt()
                hypothesis = self._whole.hyp()
        except RuntimeError as exc:
            raise TranscriptionError(f"pocketsphinx failed: {exc}") from exc
        text = hypothesis.hypstr if hypothesis is not None else ""
        return Transcript(text, self.name, (time.perf_counter() - started) * 1000)

    def open_stream(self) -> PocketsphinxStream:
        """Decode an utterance while it is spoken; the decoder is held until ``finish``.

        Measured (`benchmarks/ears.py`): transcribing the whole utterance at its end took a
        median 1.26 s; fed as it arrives, the text was ready 0.31 s after the last packet.
        The price: live decoding normalises with a running cepstral mean, so the first
        words of a session are heard worse ("hello can you hear me" -> "the old gear if"
        for one test voice, right when transcribed whole).
        """
        return PocketsphinxStream(self)


class PocketsphinxStream:
    """One utterance on the shared decoder; use as a context manager, or call ``finish``."""

    def __init__(self, stt: PocketsphinxSTT) -> None:
        self._stt = stt
        stt._lock.acquire()
        self._open = True
        try:
            stt._decoder.start_utt()
        except RuntimeError as exc:
            self._release()
            raise TranscriptionError(f"pocketsphinx could not start: {exc}") from exc

    def __enter__(self) -> PocketsphinxStream:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._open:
            self.finish()

    def feed(self, samples: npt.NDArray[np.int16]) -> str:
        """Decode 16 kHz audio as it arrives; the partial text so far."""
        if not self._open:
            raise TranscriptionError("this utterance is already finished")
        try:
            self._stt._decoder.process_raw(np.ascontiguousarray(samples, np.int16).tobytes(), full_utt=False)
            hypothesis = self._stt._decoder.hyp()
        except RuntimeError as exc:
            raise TranscriptionError(f"pocketsphinx failed: {exc}") from exc
        return hypothesis.hypstr if hypothesis is not None else ""

    def finish(self) -> Transcript:
        """End the utterance; its text, timed from this call."""
        started = time.perf_counter()
        try:
            self._stt._decoder.end_utt()
            hypothesis = self._stt._decoder.hyp()
        except RuntimeError as exc:
            raise TranscriptionError(f"pocketsphinx failed: {exc}") from exc
        finally:
            self._release()
        text = hypothesis.hypstr if hypothesis is not None else ""
        return Transcript(text, self._stt.name, (time.perf_counter() - started) * 1000)

    def _release(self) -> None:
        if self._open:
            self._open = False
            self._stt._lock.release()


def create(options: Mapping[str, Any]) -> SpeechToText:
    """The ``stt`` provider ``pocketsphinx`` (bundled; no options): streamed in a child process.

    pocketsphinx holds the GIL while it decodes, so it never runs in the stream's own process.
    """
    from talkshow.ears.process_stt import ProcessSTT

    return ProcessSTT(PocketsphinxSTT)
