"""ElevenLabs' WebSocket input streaming: text goes in piece by piece, audio comes back as it is made.

``wss://…/v1/text-to-speech/{voice_id}/stream-input``: the first message is a single space
with the voice settings, each later message a piece of text ending in a space (with
``flush`` so it is spoken now), and an empty text closes the input. Each reply carries
base64 PCM and, for the characters it speaks, start times and durations in milliseconds.

This is the transport for text that is still being written (an LLM reply in talk mode):
``stream_pieces`` sends pieces from one thread while this one receives audio.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np

from talkshow.core.errors import VoiceError
from talkshow.core.kinds.voice import Speech
from talkshow.supervisor import Policy, Worker
from talkshow.voice.remote import ProviderError, phonemes_in_words

__all__ = ["ElevenLabsSocket"]

_REFUSED = {1008: "refused the key or the request", 4001: "refused the key"}


class ElevenLabsSocket:
    """One voice's WebSocket endpoint; each ``stream_pieces`` call is one connection."""

    def __init__(
        self, url: str, api_key: str, voice_settings: dict[str, Any], sample_rate: int, timeout_s: float
    ) -> None:
        self.url = url
        self.api_key = api_key
        self.voice_settings = voice_settings
        self.sample_rate = sample_rate
        self.timeout_s = timeout_s

    def stream_pieces(self, pieces: Iterable[str]) -> Iterator[Speech]:
        """Speech chunks as ElevenLabs makes them; their texts join to the pieces joined.

        ``pieces`` is read on a sender thread, so it may block (a model still writing).
        """
        from websockets.exceptions import ConnectionClosed, InvalidStatus, WebSocketException
        from websockets.sync.client import connect

        headers = {"xi-api-key": self.api_key} if self.api_key else {}
        try:
            socket = connect(self.url, additional_headers=headers, open_timeout=self.timeout_s, proxy=None)
        except InvalidStatus as exc:
            status = exc.response.status_code
            raise ProviderError(f"ElevenLabs WebSocket refused ({status})", status >= 500, status=status) from exc
        except (OSError, TimeoutError, WebSocketException) as exc:
            raise ProviderError(f"ElevenLabs WebSocket failed to open: {exc}", retryable=True) from exc
        sent: list[str] = []
        sender = Worker("elevenlabs-send", lambda stop: self._send(socket, pieces, sent), policy=Policy.FALLBACK)
        with socket:
            sender.start()
            aligned = _Aligner(sent)
            try:
                while True:
                    message = json.loads(socket.recv(timeout=self.timeout_s))
                    if message.get("audio"):
                        yield aligned.chunk(_pcm(message["audio"]), self.sample_rate, message.get("alignment"))
                    if message.get("isFinal"):
                        break
                    if message.get("error"):
                        raise ProviderError(f"ElevenLabs WebSocket error: {message}", retryable=False)
            except TimeoutError as exc:
                raise ProviderError(f"ElevenLabs WebSocket sent nothing for {self.timeout_s:g} s", True) from exc
            except ConnectionClosed as exc:
                code = exc.rcvd.code if exc.rcvd is not None else 1006
                if code in _REFUSED:
                    raise ProviderError(f"ElevenLabs {_REFUSED[code]} ({code})", False, status=code) from exc
                if code != 1000:
                    raise ProviderError(f"ElevenLabs WebSocket closed ({code})", True, status=code) from exc
            finally:
                sender.stop(timeout=1)
            rest = aligned.rest(self.sample_rate)
            if rest is not None:
                yield rest

    def _send(self, socket: Any, pieces: Iterable[str], sent: list[str]) -> None:
        """Send the opening space, every piece, then the empty text that ends the input."""
        try:
            socket.send(json.dumps({"text": " ", "voice_settings": self.voice_settings}))
            for piece in pieces:
                if piece.strip():
                    sent.append(piece)
                    socket.send(json.dumps({"text": piece.strip() + " ", "flush": True}))
            socket.send(json.dumps({"text": ""}))
        except Exception:  # the receiving side sees the closed socket and reports it
            return


class _Aligner:
    """Gives each audio chunk the slice of the sent text its alignment covers, so chunks join to the text.

    A chunk whose characters are not the next words of the text (the vendor normalised
    them) keeps its audio with no text and no timings; the rest of the text goes with the
    last chunk, and lip sync aligns what has no timings.
    """

    def __init__(self, sent: list[str]) -> None:
        self.sent = sent
        self.consumed = 0

    def chunk(self, samples: np.ndarray, rate: int, alignment: dict[str, Any] | None) -> Speech:
        """The chunk as Speech, with the text it speaks and that text's phoneme and word times."""
        chars = "".join((alignment or {}).get("chars", []))
        text = "".join(self.sent)
        lead, spoken = len(chars) - len(chars.lstrip()), chars.strip()
        begin = text.find(spoken, self.consumed) if spoken else -1
        if alignment is None or begin < 0 or text[self.consumed : begin].strip():
            return Speech(samples, rate, "")
        starts_ms = [float(t) for t in alignment.get("charStartTimesMs", [])][lead : lead + len(spoken)]
        lengths_ms = [float(t) for t in alignment.get("charDurationsMs", [])][lead : lead + len(spoken)]
        if len(starts_ms) != len(spoken) or len(lengths_ms) != len(spoken):
            return Speech(samples, rate, "")
        gap = begin - self.consumed  # the spaces between this chunk's words and the last chunk's
        starts = [starts_ms[0] / 1000] * gap + [t / 1000 for t in starts_ms]
        ends = [starts_ms[0] / 1000] * gap + [(t + d) / 1000 for t, d in zip(starts_ms, lengths_ms, strict=True)]
        covered = text[self.consumed : begin + len(spoken)]
        self.consumed = begin + len(spoken)
        phonemes, words = phonemes_in_words(covered, starts, ends)
        return Speech(samples, rate, covered, phonemes, words)

    def rest(self, rate: int) -> Speech | None:
        """The text no chunk claimed (trailing spaces, or words the vendor normalised), as silence."""
        text = "".join(self.sent)
        return Speech(np.zeros(0, np.int16), rate, text[self.consumed :]) if self.consumed < len(text) else None


def _pcm(encoded: str) -> np.ndarray:
    try:
        raw = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise VoiceError(f"ElevenLabs audio is not valid base64: {exc}") from exc
    return np.frombuffer(raw[: len(raw) // 2 * 2], "<i2").astype(np.int16)
