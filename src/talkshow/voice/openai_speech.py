"""OpenAI ``POST /v1/audio/speech``, and any server that speaks it (Kokoro-FastAPI, XTTS, openedai-speech).

The endpoint returns audio only, so the speech carries no timings and lip sync aligns
it against the known text (pocketsphinx). Each sentence is its own request, so the
first sentence airs while the next is synthesized. Audio is asked for as raw PCM
(24 kHz, 16-bit); a server that only does WAV, MP3 or Opus is decoded with PyAV.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator

import httpx
import numpy as np

from talkshow.audio import AudioDecodeError, decode_audio
from talkshow.core.cast import VoiceSettings
from talkshow.core.errors import VoiceError
from talkshow.core.kinds.voice import Speech, VoiceInfo, join_speech
from talkshow.openai_api import Endpoint
from talkshow.voice.remote import check_response, request_error, sentence_stream

logger = logging.getLogger(__name__)

__all__ = ["OpenAISpeechEngine", "OpenAISpeechVoice"]

DEFAULT_URL = "https://api.openai.com/v1"
KEY_ENV = "OPENAI_API_KEY"
PCM_RATE = 24_000
PRESETS = ("alloy", "ash", "ballad", "coral", "echo", "fable", "nova", "onyx", "sage", "shimmer", "verse")


class OpenAISpeechEngine:
    """OpenAI TTS (or a compatible server at ``options.base_url``)."""

    name = "openai"
    paid = True  # billed per input character on OpenAI itself

    def list_voices(self) -> list[VoiceInfo]:
        """OpenAI's preset voices; a compatible server accepts its own names too."""
        return [VoiceInfo(self.name, v, "multilingual", "OpenAI preset voice") for v in PRESETS]

    def status(self) -> str:
        """Empty when a key is set; otherwise how to enable the engine."""
        if os.environ.get(KEY_ENV):
            return ""
        return f"set {KEY_ENV}, or give options.base_url of a compatible server (Kokoro-FastAPI, XTTS...)"

    def version(self) -> str:
        """The API generation (audio changes when the model option does, which is in the cache key)."""
        return "v1"

    def voice(self, settings: VoiceSettings) -> OpenAISpeechVoice:
        """A voice for ``settings``."""
        return OpenAISpeechVoice(settings)


class OpenAISpeechVoice:
    """One character's voice on an OpenAI-compatible speech endpoint."""

    def __init__(self, settings: VoiceSettings) -> None:
        self.settings = settings
        self.endpoint = Endpoint.from_options(settings.options, timeout_s=15.0, timeout_key="timeout_s")
        self.model = str(settings.options.get("model", "gpt-4o-mini-tts"))
        self.format = str(settings.options.get("response_format", "pcm"))
        self.speed = min(4.0, max(0.25, settings.rate / 175))
        self.instructions = str(settings.options.get("instructions", ""))
        self._client = self.endpoint.client()  # one connection for every line this voice speaks

    def close(self) -> None:
        """Close the connection."""
        self._client.close()

    def synthesize(self, text: str) -> Speech:
        """The whole line."""
        return join_speech(list(self.stream(text)), text)

    def stream(self, text: str) -> Iterator[Speech]:
        """One request per sentence, each handed on when its audio arrives."""
        return sentence_stream(text, PCM_RATE, self._sentence)

    def _sentence(self, text: str) -> Speech:
        body: dict[str, object] = {
            "model": self.model,
            "input": text.strip(),
            "voice": self.settings.voice,
            "response_format": self.format,
            "speed": round(self.speed, 3),
        }
        if self.instructions:
            body["instructions"] = self.instructions
        started = time.perf_counter()
        try:
            response = self._client.post("/audio/speech", json=body)
        except httpx.HTTPError as exc:
            raise request_error("OpenAI speech", exc) from exc
        check_response("OpenAI speech", response)
        audio = response.content
        logger.debug("openai speech: %d bytes in %.0f ms", len(audio), (time.perf_counter() - started) * 1000)
        if self.format == "pcm":
            if len(audio) % 2:
                raise VoiceError(f"OpenAI speech returned {len(audio)} bytes of PCM, not whole 16-bit samples")
            return Speech(np.frombuffer(audio, "<i2").astype(np.int16), PCM_RATE, text)
        try:
            return Speech(decode_audio(audio, PCM_RATE), PCM_RATE, text)
        except AudioDecodeError as exc:
            raise VoiceError(f"OpenAI speech returned audio that does not decode as {self.format}: {exc}") from exc
