"""Ears that take their time: the embedded Whisper, with a second added to each utterance's decode.

Run in a child (``ProcessSTT(SlowWhisper)``), they stand for a large model on busy cores:
the caller's turn ends before its words are ready.
"""

from __future__ import annotations

import time

from talkshow.core.kinds.hearing import Transcript
from talkshow.ears.whisper_model import whisper_dir
from talkshow.ears.whisper_stt import WhisperSTT

DECODE_S = 1.0


class SlowWhisper(WhisperSTT):
    """Whisper base whose streamed utterances finish ``DECODE_S`` late."""

    def __init__(self) -> None:
        super().__init__(whisper_dir())

    def open_stream(self) -> _SlowUtterance:  # type: ignore[override]  # a slower stream, the same face
        return _SlowUtterance(self)


class _SlowUtterance:
    def __init__(self, stt: WhisperSTT) -> None:
        self._inner = WhisperSTT.open_stream(stt)

    def feed(self, samples: object) -> str:
        return self._inner.feed(samples)  # type: ignore[arg-type]

    def finish(self) -> Transcript:
        time.sleep(DECODE_S)
        return self._inner.finish()
