"""Any OpenAI-compatible ``POST /v1/audio/transcriptions`` (OpenAI, Groq, a whisper.cpp server, speaches, vLLM).

The utterance goes up as a 16 kHz WAV in a multipart form with ``model`` and
``response_format=json``; the answer is ``{"text": ...}``. The key comes from the
environment variable named by ``api_key_env``; a local server needs none.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from typing import Any

import httpx
import numpy as np
import numpy.typing as npt

from talkshow.audio import resample, wav_bytes
from talkshow.core.kinds.hearing import Transcript, TranscriptionError
from talkshow.openai_api import Endpoint

__all__ = ["OpenAITranscriber"]

RATE = 16_000


class OpenAITranscriber:
    """Transcribes over HTTP with a timeout; errors say whether a retry may help."""

    name = "openai"

    def __init__(
        self,
        base_url: str = "https://api.openai.com/v1",
        model: str = "gpt-4o-mini-transcribe",
        api_key_env: str = "OPENAI_API_KEY",
        language: str = "",
        timeout_s: float = 10.0,
    ) -> None:
        self.model = model
        self.language = language
        self._client = Endpoint(base_url.rstrip("/"), os.environ.get(api_key_env, ""), timeout_s).client()

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()

    def __enter__(self) -> OpenAITranscriber:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def transcribe(self, samples: npt.NDArray[np.int16], sample_rate: int) -> Transcript:
        """The endpoint's text for ``samples``."""
        started = time.perf_counter()
        data = {"model": self.model, "response_format": "json"}
        if self.language:
            data["language"] = self.language
        audio = wav_bytes(resample(samples, sample_rate, RATE), RATE)
        try:
            response = self._client.post(
                "/audio/transcriptions", data=data, files={"file": ("utterance.wav", audio, "audio/wav")}
            )
        except httpx.HTTPError as exc:
            raise TranscriptionError(f"transcription request failed: {type(exc).__name__}: {exc}", True) from exc
        if response.status_code >= 400:
            retryable = response.status_code == 429 or response.status_code >= 500
            detail = response.text[:200].replace("\n", " ")
            raise TranscriptionError(f"transcription endpoint answered {response.status_code}: {detail}", retryable)
        try:
            text = str(response.json()["text"])
        except (ValueError, KeyError, TypeError) as exc:
            raise TranscriptionError(f"transcription answer has no text: {response.text[:120]!r}") from exc
        return Transcript(text.strip(), self.name, (time.perf_counter() - started) * 1000)


def create(options: Mapping[str, Any]) -> OpenAITranscriber:
    """The ``stt`` provider ``openai``: any OpenAI-compatible ``/v1/audio/transcriptions`` endpoint."""
    return OpenAITranscriber(
        base_url=str(options.get("base_url", "https://api.openai.com/v1")),
        model=str(options.get("model", "gpt-4o-mini-transcribe")),
        api_key_env=str(options.get("api_key_env", "OPENAI_API_KEY")),
        language=str(options.get("language", "")),
        timeout_s=float(options.get("timeout", 10.0)),
    )
