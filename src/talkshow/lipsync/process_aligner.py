"""Forced alignment in a child process: for the live engine, where pocketsphinx would stall the clock.

pocketsphinx holds the GIL inside its C calls: building the decoder took ~100 ms and the
back-trace of a 16 s clip ~110 ms, each one stall of the pacer. Aligned in the live
process, a clip pushed with its text (``/api/say``) held frames back 53-75 ms; voices
without phoneme times (OpenAI, Kokoro) are aligned by the same path. Here the ``ForcedAligner``
lives in a child, started at the first alignment (most shows never need one: the embedded
voice knows its phoneme times). A child that dies or hangs costs that alignment, which
fails as an ``AlignmentError`` (lip sync then falls back to the audio's energy), and is
replaced for the next.
"""

from __future__ import annotations

import logging
import threading
from multiprocessing.connection import Connection

import numpy as np
import numpy.typing as npt

from talkshow.child_process import ChildGoneError, ChildProcess, messages
from talkshow.core.errors import AlignmentError
from talkshow.lipsync.align import AlignedWord, ForcedAligner, espeak_pronouncer

logger = logging.getLogger(__name__)

__all__ = ["ProcessAligner"]

ANSWER_TIMEOUT_S = 30.0  # a 120 s upload aligns in a few seconds; longer is a hung child


class ProcessAligner:
    """An ``Aligner`` whose ``ForcedAligner`` runs in a child process; a context manager that stops it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()  # one alignment at a time (the preparer and /api/say may both ask)
        self.child = ChildProcess(_serve, _build, "forced-aligner", start=False)

    def __enter__(self) -> ProcessAligner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def align(self, samples: npt.NDArray[np.int16], sample_rate: int, text: str) -> list[AlignedWord]:
        """Word timings (with phones) for ``samples`` spoken as ``text``, found in the child."""
        audio = np.ascontiguousarray(samples, np.int16).tobytes()
        with self._lock:
            try:
                kind, value = self.child.ask(("align", audio, sample_rate, text), ANSWER_TIMEOUT_S)
            except ChildGoneError as exc:
                logger.warning("forced alignment failed (the lip sync falls back to the audio): %s", exc)
                raise AlignmentError(f"alignment failed: {exc}") from exc
        if kind == "error":
            raise AlignmentError(str(value))
        return [AlignedWord(*word) for word in value]

    def close(self) -> None:
        """Stop the child (a later ``align`` would start another)."""
        with self._lock:
            self.child.close()


def _build() -> ForcedAligner:
    return ForcedAligner(espeak_pronouncer)


def _serve(conn: Connection, aligner: ForcedAligner) -> None:
    """The child: align each clip it is sent, answering its words or why it could not."""
    for _, audio, sample_rate, text in messages(conn):
        try:
            words = aligner.align(np.frombuffer(audio, np.int16), sample_rate, text)
        except Exception as exc:  # AlignmentError above all; anything else is this clip's failure too
            conn.send(("error", str(exc) if isinstance(exc, AlignmentError) else f"{type(exc).__name__}: {exc}"))
        else:
            conn.send(("words", [(w.start, w.end, w.char_start, w.char_end, w.phones) for w in words]))
