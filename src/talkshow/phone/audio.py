"""A call's audio: G.711 μ-law (8 kHz) or 16-bit linear (8 kHz by default, or the wire's rate) on the wire,
16-bit 48 kHz in the show.

FFmpeg does the work through PyAV: its ``pcm_mulaw`` codec for G.711 and libswresample
for the rate. Each direction keeps its own resampler, so a call's audio is converted as
one continuous stream (no clicks at packet edges). Outbound audio is cut into exact 20 ms
frames, what both bridges expect and pace.
"""

from __future__ import annotations

from fractions import Fraction

import av
import numpy as np
import numpy.typing as npt

from talkshow.core.errors import InputError

__all__ = ["ENCODINGS", "FRAME_MS", "PHONE_RATE", "WIRE_RATES", "MediaFormatError", "PhoneAudio"]

PHONE_RATE = 8_000
FRAME_MS = 20
WIRE_RATES = (8_000, 16_000, 24_000, 48_000)
ENCODINGS = ("mulaw", "linear")  # Twilio Media Streams; Asterisk AudioSocket (little-endian)

Int16Array = npt.NDArray[np.int16]


class MediaFormatError(InputError):
    """The bridge sends audio in a format talkshow does not take (the message says which it does)."""


class PhoneAudio:
    """Converts one call's audio both ways; ``encoding`` is ``mulaw`` or ``linear``."""

    def __init__(self, encoding: str = "mulaw", show_rate: int = 48_000, wire_rate: int = PHONE_RATE) -> None:
        """``wire_rate``: the line's sample rate (a transport beyond the phone network may carry 16 kHz linear)."""
        if encoding not in ENCODINGS:
            raise InputError(f"phone audio encoding must be one of {', '.join(ENCODINGS)}, got {encoding!r}")
        if wire_rate not in WIRE_RATES or (encoding == "mulaw" and wire_rate != PHONE_RATE):
            raise MediaFormatError(
                f"{encoding} audio at {wire_rate} Hz: μ-law is 8000 Hz; linear is one of {WIRE_RATES}"
            )
        self.encoding = encoding
        self.show_rate = show_rate
        self.wire_rate = wire_rate
        self.frame_samples = wire_rate * FRAME_MS // 1000
        self._up = av.AudioResampler(format="s16", layout="mono", rate=show_rate)
        self._down = av.AudioResampler(format="s16", layout="mono", rate=wire_rate)
        self._pending = np.zeros(0, np.int16)  # wire-rate samples waiting for a whole frame
        if encoding == "mulaw":
            self._decoder = av.CodecContext.create("pcm_mulaw", "r")
            self._decoder.sample_rate = PHONE_RATE
            self._decoder.layout = "mono"
            self._encoder = av.CodecContext.create("pcm_mulaw", "w")
            self._encoder.sample_rate = PHONE_RATE
            self._encoder.layout = "mono"
            self._encoder.format = "s16"

    @property
    def bytes_per_sample(self) -> int:
        """Bytes of one sample on the wire: 1 for μ-law, 2 for 16-bit linear."""
        return 1 if self.encoding == "mulaw" else 2

    @property
    def frame_bytes(self) -> int:
        """Bytes in one 20 ms frame on the wire."""
        return self.frame_samples * self.bytes_per_sample

    def reset_outbound(self) -> None:
        """Start the outbound conversion afresh (the show audio it continued is gone): no partial frame waits."""
        self._down = av.AudioResampler(format="s16", layout="mono", rate=self.wire_rate)
        self._pending = np.zeros(0, np.int16)

    def decode(self, payload: bytes) -> Int16Array:
        """Wire audio in (any length) -> show-rate samples out."""
        if self.encoding == "mulaw":
            samples = [f.to_ndarray().reshape(-1) for f in self._decoder.decode(av.Packet(payload))]
            linear = np.concatenate(samples).astype(np.int16) if samples else np.zeros(0, np.int16)
        else:
            if len(payload) % 2:
                raise InputError(f"16-bit linear audio needs an even number of bytes, got {len(payload)}")
            linear = np.frombuffer(payload, "<i2").astype(np.int16)
        return _resample(self._up, linear, self.wire_rate)

    def encode(self, samples: Int16Array) -> list[bytes]:
        """Show-rate samples in -> the whole 20 ms wire frames they complete (the rest waits)."""
        narrow = np.concatenate([self._pending, _resample(self._down, samples, self.show_rate)])
        size = self.frame_samples
        whole = len(narrow) // size * size
        self._pending = narrow[whole:]
        return [self._to_wire(narrow[i : i + size]) for i in range(0, whole, size)]

    def _to_wire(self, frame: Int16Array) -> bytes:
        if self.encoding == "linear":
            return frame.astype("<i2").tobytes()
        sound = av.AudioFrame.from_ndarray(frame.reshape(1, -1), format="s16", layout="mono")
        sound.sample_rate = PHONE_RATE
        return b"".join(bytes(packet) for packet in self._encoder.encode(sound))


def _resample(resampler: av.AudioResampler, samples: Int16Array, rate: int) -> Int16Array:
    if not len(samples):
        return np.zeros(0, np.int16)
    frame = av.AudioFrame.from_ndarray(
        np.ascontiguousarray(samples, np.int16).reshape(1, -1), format="s16", layout="mono"
    )
    frame.sample_rate = rate
    frame.time_base = Fraction(1, rate)
    out = [f.to_ndarray().reshape(-1) for f in resampler.resample(frame)]
    return np.concatenate(out).astype(np.int16) if out else np.zeros(0, np.int16)
