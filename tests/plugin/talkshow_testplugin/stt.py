"""An STT provider: pocketsphinx in a child process, under its own name, writing each transcript to a file."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from talkshow.core.kinds.hearing import Transcript
from talkshow.ears.pocketsphinx_stt import PocketsphinxSTT


class TaggedSphinx:
    """Transcribes whole utterances; each transcript is appended to ``log`` (so a test can see it was used)."""

    name = "tagged-sphinx"

    def __init__(self, log: Path) -> None:
        self.log = log
        self._engine = PocketsphinxSTT()

    def transcribe(self, samples: npt.NDArray[np.int16], sample_rate: int) -> Transcript:
        heard = self._engine.transcribe(samples, sample_rate)
        with self.log.open("a", encoding="utf-8") as log:
            log.write(heard.text + "\n")
        return Transcript(heard.text, self.name, heard.ms)


def create(options: Mapping[str, Any]) -> TaggedSphinx:
    return TaggedSphinx(Path(str(options["log"])))
