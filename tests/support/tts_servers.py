"""Local servers speaking the OpenAI speech and ElevenLabs text-to-speech protocols, scripted per request.

The audio is real speech made here with espeak-ng in a voice no character uses; the
ElevenLabs server times every character of it from espeak's own word events, as the
vendor does. Each request ``n`` (1-based) gets ``script(n)``: "ok", an error status, or "hang".
"""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from typing import Any

from support import local_http
from talkshow.audio import resample
from talkshow.core.cast import VoiceSettings
from talkshow.core.kinds.voice import Speech
from talkshow.voice.espeak import EspeakEngine

Script = Callable[[int], "str | int"]
VENDOR_VOICE = VoiceSettings(engine="espeak", voice="en-us+f3", pitch=70, rate=190)  # no character speaks so

_ERRORS = {
    "openai": {
        401: {"error": {"message": "Incorrect API key provided.", "type": "invalid_request_error",
                        "code": "invalid_api_key"}},
        429: {"error": {"message": "Rate limit reached for requests", "type": "requests",
                        "code": "rate_limit_exceeded"}},
        500: {"error": {"message": "The server had an error processing your request.", "type": "server_error"}},
    },
    "elevenlabs": {
        401: {"detail": {"status": "invalid_api_key", "message": "Invalid API key"}},
        429: {"detail": {"status": "too_many_concurrent_requests", "message": "Too many concurrent requests"}},
        500: {"detail": {"status": "internal_server_error", "message": "Internal server error"}},
    },
}  # fmt: skip


def speak(text: str, rate: int) -> Speech:
    """Real speech for ``text`` at ``rate`` Hz, with espeak's word times."""
    native = EspeakEngine().voice(VENDOR_VOICE).synthesize(text)
    return Speech(resample(native.samples, native.sample_rate, rate), rate, text, native.phonemes, native.words)


def character_times(speech: Speech) -> tuple[list[float], list[float]]:
    """A start and end time for every character, spread evenly inside each word (as ElevenLabs reports)."""
    text = speech.text
    starts, ends = [0.0] * len(text), [0.0] * len(text)
    cursor = 0.0
    spans = {w.char_start: w for w in speech.words}
    index = 0
    while index < len(text):
        word = spans.get(index)
        if word is not None and word.char_end > index:
            step = (word.end - word.start) / (word.char_end - index)
            for k in range(index, word.char_end):
                starts[k], ends[k] = word.start + (k - index) * step, word.start + (k - index + 1) * step
            cursor, index = word.end, word.char_end
            continue
        starts[index], ends[index] = cursor, cursor
        index += 1
    return starts, ends


class SpeechVendor:
    """One local vendor: ``kind`` is "openai" or "elevenlabs"."""

    def __init__(self, kind: str, script: Script = lambda n: "ok", retry_after: str = "0") -> None:
        self.kind = kind
        self.requests: list[tuple[str, dict[str, str], dict[str, Any]]] = []  # path, headers, JSON body
        self.release = threading.Event()  # ends every hang (set at close)
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                outer.requests.append((self.path, dict(self.headers), body))
                action = script(len(outer.requests))
                if action == "hang":
                    outer.release.wait(30)
                    return
                if isinstance(action, int):
                    payload = json.dumps(_ERRORS[kind][action]).encode()
                    self.send_response(action)
                    self.send_header("Content-Type", "application/json")
                    if action == 429:
                        self.send_header("Retry-After", retry_after)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    return
                if kind == "openai":
                    self._openai(body)
                else:
                    self._elevenlabs(body)

            def _openai(self, body: dict[str, Any]) -> None:
                audio = speak(body["input"], 24_000).samples.astype("<i2").tobytes()
                self.send_response(200)
                self.send_header("Content-Type", "audio/pcm")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                for start in range(0, len(audio), 4800):  # streamed in chunks, as the API does
                    piece = audio[start : start + 4800]
                    self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
                self.wfile.write(b"0\r\n\r\n")

            def _elevenlabs(self, body: dict[str, Any]) -> None:
                rate = int(self.path.split("output_format=pcm_")[1].split("&")[0])
                speech = speak(body["text"], rate)
                starts, ends = character_times(speech)
                pcm = speech.samples.astype("<i2").tobytes()
                streaming = "/stream/" in self.path
                cut = len(body["text"]) // 2 if streaming else len(body["text"])
                split = len(pcm) // 2 // 2 * 2
                pieces = (
                    [(pcm[:split], 0, cut), (pcm[split:], cut, len(body["text"]))] if streaming else [(pcm, 0, cut)]
                )
                chunks = [
                    {
                        "audio_base64": base64.b64encode(audio).decode(),
                        "alignment": {
                            "characters": list(body["text"][a:b]),
                            "character_start_times_seconds": [round(t, 3) for t in starts[a:b]],
                            "character_end_times_seconds": [round(t, 3) for t in ends[a:b]],
                        },
                        "normalized_alignment": None,
                    }
                    for audio, a, b in pieces
                ]
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                if streaming:
                    for chunk in chunks:
                        self.wfile.write(json.dumps(chunk).encode() + b"\n")
                        self.wfile.flush()
                        time.sleep(0.01)
                else:
                    self.wfile.write(json.dumps(chunks[0]).encode())

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = local_http.start(Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}" + ("/v1" if kind == "openai" else "")

    def close(self) -> None:
        """Stop serving (hung requests end too)."""
        self.release.set()
        local_http.stop(self.httpd)


class ElevenLabsSocketServer:
    """ElevenLabs' WebSocket input stream: one audio message per text message, with ms alignment.

    A wrong ``xi-api-key`` header closes the socket with 1008, as the vendor does.
    ``hang`` makes it read the text and never answer.
    """

    def __init__(self, key: str = "sk-test-123", hang: bool = False) -> None:
        from websockets.sync.server import serve

        self.connections: list[tuple[str, dict[str, str]]] = []
        self.messages: list[dict[str, Any]] = []
        self.release = threading.Event()

        def handler(socket: Any) -> None:
            request = socket.request
            self.connections.append((request.path, dict(request.headers.raw_items())))
            if request.headers.get("xi-api-key") != key:
                socket.close(1008, "invalid api key")
                return
            rate = int(request.path.split("output_format=pcm_")[1].split("&")[0])
            while True:
                message = json.loads(socket.recv())
                self.messages.append(message)
                text = message["text"]
                if text == "":
                    socket.send(json.dumps({"isFinal": True}))
                    return
                if not text.strip():
                    continue
                if hang:
                    self.release.wait(30)
                    return
                spoken = speak(text.strip(), rate)
                starts, ends = character_times(spoken)
                socket.send(
                    json.dumps(
                        {
                            "audio": base64.b64encode(spoken.samples.astype("<i2").tobytes()).decode(),
                            "isFinal": None,
                            "normalizedAlignment": None,
                            "alignment": {
                                "chars": list(text.strip()),
                                "charStartTimesMs": [round(s * 1000) for s in starts],
                                "charDurationsMs": [round((e - s) * 1000) for s, e in zip(starts, ends, strict=True)],
                            },
                        }
                    )
                )

        self.server = serve(handler, "127.0.0.1", 0)
        self.url = f"http://127.0.0.1:{self.server.socket.getsockname()[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        """Stop serving."""
        self.release.set()
        self.server.shutdown()
