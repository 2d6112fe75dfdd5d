"""faster-whisper (CTranslate2) on a model directory the user supplies: the ``whisper`` extra.

talkshow never downloads weights: ``model_dir`` must hold a CTranslate2 Whisper model
(``model.bin``, ``config.json``, the vocabulary) and its ``tokenizer.json``, as
``ct2-transformers-converter --copy_files tokenizer.json`` writes it, or as the
``Systran/faster-whisper-*`` repositories ship it. Without the tokenizer file faster-whisper
would fetch one from the Hugging Face hub, so it is refused here with a clear error.

Whisper is not a streaming model: the listener transcribes each turn whole, at the
speaker's first pause (the speculative path), so the text is usually ready when the
turn ends. CTranslate2 releases the GIL while it runs, so it stays in-process on its
own threads; ``threads`` bounds how many cores it may take from the stream.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from talkshow.audio import resample
from talkshow.ears.stt import Transcript, TranscriptionError
from talkshow.errors import InputError

__all__ = ["FasterWhisperSTT"]

RATE = 16_000
EXTRA_HINT = "pip install 'talkshow[whisper]'"
REQUIRED_FILES = ("model.bin", "config.json", "tokenizer.json")


class FasterWhisperSTT:
    """Transcribes whole utterances with a local faster-whisper model (greedy, no timestamps: fastest)."""

    name = "faster-whisper"

    def __init__(
        self,
        model_dir: str | Path,
        compute_type: str = "int8",
        threads: int = 1,
        beam_size: int = 1,
        language: str = "en",
    ) -> None:
        directory = Path(model_dir).expanduser()
        if not directory.is_dir():
            raise InputError(f"talk.stt_options.model_dir {str(directory)!r} is not a directory")
        missing = [name for name in REQUIRED_FILES if not (directory / name).is_file()]
        if missing:
            raise InputError(
                f"the faster-whisper model in {str(directory)!r} lacks {', '.join(missing)}; talkshow loads only "
                "complete local model directories (convert with --copy_files tokenizer.json)"
            )
        try:
            from faster_whisper import WhisperModel
        except ImportError as exc:
            raise InputError(f"talk.stt = 'faster-whisper' needs the whisper extra: {EXTRA_HINT}") from exc
        try:
            self._model: Any = WhisperModel(
                str(directory), device="cpu", compute_type=compute_type, cpu_threads=threads, local_files_only=True
            )
        except (RuntimeError, ValueError, OSError) as exc:
            raise TranscriptionError(f"faster-whisper cannot load {str(directory)!r}: {exc}") from exc
        self.model_dir = directory
        self.beam_size = beam_size
        self.language = language or None

    def transcribe(self, samples: npt.NDArray[np.int16], sample_rate: int) -> Transcript:
        """The model's text for ``samples`` (mono int16 at any rate)."""
        started = time.perf_counter()
        audio = resample(samples, sample_rate, RATE).astype(np.float32) / 32768.0
        try:
            segments, _info = self._model.transcribe(
                audio,
                language=self.language,
                beam_size=self.beam_size,
                temperature=0.0,  # no fallback re-decodes: a conversation cannot wait for them
                without_timestamps=True,
                condition_on_previous_text=False,
                vad_filter=False,  # the listener's VAD already cut the turn
            )
            text = " ".join(segment.text.strip() for segment in segments)
        except (RuntimeError, ValueError) as exc:
            raise TranscriptionError(f"faster-whisper failed: {exc}", retryable=True) from exc
        return Transcript(text.strip(), self.name, (time.perf_counter() - started) * 1000)


def create(options: Mapping[str, Any]) -> FasterWhisperSTT:
    """The ``stt`` provider ``faster-whisper`` (the ``whisper`` extra), on a model directory the user supplies."""
    if "model_dir" not in options:
        raise InputError("talk.stt = 'faster-whisper' needs talk.stt_options.model_dir (a local model directory)")
    return FasterWhisperSTT(
        model_dir=str(options["model_dir"]),
        compute_type=str(options.get("compute_type", "int8")),
        threads=int(options.get("threads", 1)),
        beam_size=int(options.get("beam_size", 1)),
        language=str(options.get("language", "en")),
    )
