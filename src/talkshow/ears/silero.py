"""Silero VAD (v5) run directly on onnxruntime: speech probability per 32 ms of 16 kHz audio.

Measured against webrtcvad on espeak speech with noise at 20/10/5 dB SNR (see the
[6-voices] note): frame accuracy 0.94 against 0.84, onsets on time where webrtcvad fired
on noise, at 0.3% of a core. One instance per audio stream: it keeps the model's state.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt

from talkshow.ears.models import SILERO_VAD, cpu_session, model_path

__all__ = ["SileroVad"]

SAMPLE_RATE = 16_000
FRAME = 512  # samples per decision at 16 kHz (32 ms), what the model was trained on
CONTEXT = 64  # the model sees the last 64 samples of the previous frame too


class SileroVad:
    """Streaming speech probabilities; feed 16 kHz mono int16 in any chunk size."""

    sample_rate = SAMPLE_RATE
    frame_samples = FRAME

    def __init__(self, path: Path | None = None, threads: int = 1) -> None:
        self._session = cpu_session(path or model_path(SILERO_VAD), threads, "VAD model")
        self.reset()

    def reset(self) -> None:
        """Forget the stream so far (a new call)."""
        self._state = np.zeros((2, 1, 128), np.float32)
        self._context = np.zeros(CONTEXT, np.float32)
        self._pending = np.zeros(0, np.float32)

    def probabilities(self, samples: npt.NDArray[np.int16]) -> list[float]:
        """One probability per complete 512-sample frame; a partial frame waits for the next call."""
        audio = np.concatenate([self._pending, samples.astype(np.float32) / 32768.0])
        count = len(audio) // FRAME
        self._pending = audio[count * FRAME :]
        out: list[float] = []
        rate = np.array(SAMPLE_RATE, np.int64)
        for index in range(count):
            frame = audio[index * FRAME : (index + 1) * FRAME]
            window = np.concatenate([self._context, frame])[None, :]
            probability, self._state = self._session.run(None, {"input": window, "state": self._state, "sr": rate})
            self._context = frame[-CONTEXT:]
            out.append(float(probability[0, 0]))
        return out
