"""Whisper's log-mel spectrogram in numpy: what Whisper-encoder models (Smart Turn) take as input.

The definition is Whisper's: 16 kHz audio, a centred STFT (400-sample periodic Hann
window, hop 160, reflect padding), power spectrum, 80 Slaney-normalised mel bands up to
8 kHz, log10 floored at 1e-10, clamped to 8 (in log10 units) below the peak, then
``(x + 4) / 4``. One frame per 10 ms; the STFT's extra last frame is dropped.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import numpy.typing as npt
from numpy.lib.stride_tricks import sliding_window_view

__all__ = ["log_mel"]

RATE = 16_000
N_FFT = 400
HOP = 160
MELS = 80

Floats = npt.NDArray[np.float32]


def _hz_to_mel(hz: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Slaney's mel scale: linear below 1 kHz, logarithmic above."""
    linear = 3.0 * hz / 200.0
    log = 15.0 + 27.0 * np.log(np.maximum(hz, 1e-9) / 1000.0) / np.log(6.4)
    return np.where(hz < 1000.0, linear, log)


def _mel_to_hz(mel: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    linear = 200.0 * mel / 3.0
    log = 1000.0 * np.exp(np.log(6.4) * (mel - 15.0) / 27.0)
    return np.where(mel < 15.0, linear, log)


@lru_cache(maxsize=4)
def _filterbank(mels: int) -> npt.NDArray[np.float64]:
    """(bins, mels) triangular filters, each normalised to unit area (Slaney)."""
    bins = np.linspace(0.0, RATE / 2, N_FFT // 2 + 1)
    edges = _mel_to_hz(np.linspace(_hz_to_mel(np.array(0.0)), _hz_to_mel(np.array(RATE / 2)), mels + 2))
    lower, centre, upper = edges[:-2, None], edges[1:-1, None], edges[2:, None]
    rising = (bins[None, :] - lower) / (centre - lower)
    falling = (upper - bins[None, :]) / (upper - centre)
    triangles = np.maximum(0.0, np.minimum(rising, falling)) * (2.0 / (upper - lower))
    return np.ascontiguousarray(triangles.T)


@lru_cache(maxsize=1)
def _window() -> npt.NDArray[np.float64]:
    return 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(N_FFT) / N_FFT)  # periodic Hann


def log_mel(audio: Floats, mels: int = MELS) -> Floats:
    """(mels, len(audio) // 160) features for 16 kHz float audio."""
    padded = np.pad(audio.astype(np.float64), N_FFT // 2, mode="reflect")
    frames = sliding_window_view(padded, N_FFT)[::HOP][:-1]
    power = np.abs(np.fft.rfft(frames * _window(), axis=1)) ** 2
    spectrum = np.log10(np.maximum(power @ _filterbank(mels), 1e-10)).T
    spectrum = np.maximum(spectrum, spectrum.max() - 8.0)
    features: Floats = ((spectrum + 4.0) / 4.0).astype(np.float32)
    return features
