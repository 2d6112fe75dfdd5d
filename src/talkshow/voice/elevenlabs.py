"""ElevenLabs text-to-speech with character timestamps.

``POST /v1/text-to-speech/{voice_id}/with-timestamps`` returns base64 audio plus the
start and end time of every character; ``.../stream/with-timestamps`` returns the same
as a stream of JSON chunks (used when ``options.streaming`` is true, so audio arrives
while the sentence is still being generated). ``options.websocket`` uses the WebSocket
input stream instead (``elevenlabs_ws``), which also takes text that is still being written.
Character times become word spans, and each word's phonemes (espeak-ng's pronunciation)
share its span: mouth cues without any alignment pass.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from collections.abc import Iterable, Iterator
from typing import Any

import httpx
import numpy as np

from talkshow.core.cast import VoiceSettings
from talkshow.core.errors import VoiceError
from talkshow.core.kinds.voice import Speech, VoiceInfo, join_speech
from talkshow.sentences import split_sentences
from talkshow.voice.elevenlabs_ws import ElevenLabsSocket
from talkshow.voice.remote import (
    RemoteOptions,
    check_response,
    phonemes_in_words,
    request_error,
    sentence_stream,
)

__all__ = ["ElevenLabsEngine", "ElevenLabsVoice"]

DEFAULT_URL = "https://api.elevenlabs.io"
KEY_ENV = "ELEVENLABS_API_KEY"
_FORMAT_RATES = {"pcm_16000": 16_000, "pcm_22050": 22_050, "pcm_24000": 24_000, "pcm_44100": 44_100}
_VOICE_SETTINGS = ("stability", "similarity_boost", "style", "use_speaker_boost", "speed")


class ElevenLabsEngine:
    """ElevenLabs voices by voice id (``voice = "21m00Tcm4TlvDq8ikWAM"``)."""

    name = "elevenlabs"
    paid = True

    def list_voices(self) -> list[VoiceInfo]:
        """ElevenLabs voices are account-specific: any voice id from your voice library."""
        return [VoiceInfo(self.name, "<voice id>", "multilingual", "any voice id from your ElevenLabs library")]

    def status(self) -> str:
        """Empty when a key is set; otherwise how to enable the engine."""
        return "" if os.environ.get(KEY_ENV) else f"set {KEY_ENV} (or options.api_key_env)"

    def version(self) -> str:
        """The API generation (the model id is an option, so it is in the cache key)."""
        return "v1"

    def voice(self, settings: VoiceSettings) -> ElevenLabsVoice:
        """A voice for ``settings``."""
        return ElevenLabsVoice(settings)


class ElevenLabsVoice:
    """One character's ElevenLabs voice; each sentence is one request."""

    def __init__(self, settings: VoiceSettings) -> None:
        options = settings.options
        self.settings = settings
        self.remote = RemoteOptions.from_options(options, DEFAULT_URL, KEY_ENV)
        self.model = str(options.get("model", "eleven_flash_v2_5"))
        self.output_format = str(options.get("output_format", "pcm_24000"))
        if self.output_format not in _FORMAT_RATES:
            raise VoiceError(f"ElevenLabs output_format must be one of {', '.join(_FORMAT_RATES)} (raw PCM)")
        self.streaming = bool(options.get("streaming", False))
        self.websocket = bool(options.get("websocket", False))
        self.latency = options.get("optimize_streaming_latency")
        self.voice_settings = {k: options[k] for k in _VOICE_SETTINGS if k in options}
        headers = {"xi-api-key": self.remote.api_key} if self.remote.api_key else {}
        self._client = httpx.Client(base_url=self.remote.base_url, headers=headers, timeout=self.remote.timeout_s)

    @property
    def sample_rate(self) -> int:
        """The PCM rate of the chosen output format."""
        return _FORMAT_RATES[self.output_format]

    def synthesize(self, text: str) -> Speech:
        """The whole line."""
        return join_speech(list(self.stream(text)), text)

    def stream(self, text: str) -> Iterator[Speech]:
        """Sentence by sentence, each with phoneme and word times (over the WebSocket if configured)."""
        if self.websocket:
            return self.stream_pieces(split_sentences(text))
        return sentence_stream(text, self.sample_rate, self._sentence)

    def stream_pieces(self, pieces: Iterable[str]) -> Iterator[Speech]:
        """Speak text that is still arriving (a model's reply) over the WebSocket input stream."""
        scheme, _, rest = self.remote.base_url.partition("://")
        query = f"model_id={self.model}&output_format={self.output_format}"
        if self.latency is not None:
            query += f"&optimize_streaming_latency={self.latency}"
        url = f"{'wss' if scheme == 'https' else 'ws'}://{rest}/v1/text-to-speech/{self.settings.voice}/stream-input?{query}"
        socket = ElevenLabsSocket(
            url, self.remote.api_key, self.voice_settings, self.sample_rate, self.remote.timeout_s
        )
        return socket.stream_pieces(pieces)

    def _sentence(self, text: str) -> Speech:
        body: dict[str, Any] = {"text": text, "model_id": self.model}
        if self.voice_settings:
            body["voice_settings"] = self.voice_settings
        params: dict[str, Any] = {"output_format": self.output_format}
        if self.latency is not None:
            params["optimize_streaming_latency"] = self.latency
        suffix = "stream/with-timestamps" if self.streaming else "with-timestamps"
        url = f"/v1/text-to-speech/{self.settings.voice}/{suffix}"
        try:
            if self.streaming:
                with self._client.stream("POST", url, json=body, params=params) as response:
                    if response.status_code >= 400:
                        response.read()
                    check_response("ElevenLabs", response)
                    chunks = [_parse(line) for line in response.iter_lines() if line.strip()]
            else:
                response = self._client.post(url, json=body, params=params)
                check_response("ElevenLabs", response)
                chunks = [_parse(response.text)]
        except httpx.HTTPError as exc:
            raise request_error("ElevenLabs", exc) from exc
        return self._speech(text, chunks)

    def _speech(self, text: str, chunks: list[dict[str, Any]]) -> Speech:
        audio = b"".join(_audio(chunk) for chunk in chunks)
        samples = np.frombuffer(audio[: len(audio) // 2 * 2], "<i2").astype(np.int16)
        characters: list[str] = []
        starts: list[float] = []
        ends: list[float] = []
        for chunk in chunks:
            alignment = chunk.get("alignment") or {}
            characters += alignment.get("characters", [])
            starts += [float(t) for t in alignment.get("character_start_times_seconds", [])]
            ends += [float(t) for t in alignment.get("character_end_times_seconds", [])]
        if "".join(characters) != text or not starts:
            return Speech(samples, self.sample_rate, text)  # no usable timing: lip sync aligns instead
        phonemes, words = phonemes_in_words(text, starts, ends)
        return Speech(samples, self.sample_rate, text, phonemes, words)


def _parse(raw: str) -> dict[str, Any]:
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise VoiceError(f"ElevenLabs sent something that is not JSON: {raw[:80]!r}") from exc
    if not isinstance(data, dict):
        raise VoiceError("ElevenLabs sent JSON that is not an object")
    return data


def _audio(chunk: dict[str, Any]) -> bytes:
    encoded = chunk.get("audio_base64") or ""
    try:
        return base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise VoiceError(f"ElevenLabs audio is not valid base64: {exc}") from exc
