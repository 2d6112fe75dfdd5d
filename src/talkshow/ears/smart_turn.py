"""Smart Turn v3: has the speaker finished, judged from how the turn sounds (words, pitch, pace).

Silence alone cannot tell "what do you think about..." (a thinking pause) from "what do
you think?" (done). Smart Turn is an 8 MB Whisper-encoder classifier over the last 8 s of
the turn that answers with a probability that it is complete. The listener asks it at the
speaker's first pause: complete, and the turn ends there, without waiting out the rest of
the silence; not complete, and the turn is given longer to go on. Opt-in
(``[talk] turn_model = "smart-turn"``); the default is the silence rule alone.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from talkshow.ears.log_mel import log_mel
from talkshow.ears.models import SMART_TURN, cpu_session, model_path

__all__ = ["SmartTurn"]

RATE = 16_000
WINDOW_S = 8  # the model sees the turn's last 8 s, zero-padded in front if shorter


class SmartTurn:
    """``complete(audio)``: the probability that a turn (16 kHz int16) is finished."""

    def __init__(self, path: Path | None = None, threads: int = 1) -> None:
        self._session = cpu_session(path or model_path(SMART_TURN), threads, "turn model")
        self.last_ms = 0.0

    def complete(self, samples: npt.NDArray[np.int16]) -> float:
        """0-1: how sure the model is that the speaker has finished."""
        started = time.perf_counter()
        audio = samples[-WINDOW_S * RATE :].astype(np.float32) / 32768.0
        padded = np.zeros(WINDOW_S * RATE, np.float32)
        padded[len(padded) - len(audio) :] = audio
        # Normalised with its padding, as Whisper's feature extractor did when the model was trained.
        padded = (padded - padded.mean()) / np.sqrt(padded.var() + 1e-7)
        features = log_mel(padded)[None, :, :]
        (output,) = self._session.run(None, {"input_features": features})
        self.last_ms = (time.perf_counter() - started) * 1000
        return float(np.asarray(output).reshape(-1)[0])


def create(options: Mapping[str, Any]) -> SmartTurn:
    """The ``turn_model`` provider ``smart-turn``: Smart Turn v3 (no options)."""
    return SmartTurn()
