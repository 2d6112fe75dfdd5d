"""Test speech made at test time: espeak-ng voices no character uses, at 16 kHz, with noise."""

from __future__ import annotations

import numpy as np

from talkshow.audio import resample
from talkshow.voice import VoiceSettings
from talkshow.voice.espeak import EspeakEngine

RATE = 16_000
SPEAKERS = [VoiceSettings(voice="en-us+f3", pitch=70, rate=150), VoiceSettings(voice="en-us+m1", pitch=35, rate=210)]


def utterance(text: str, voice: VoiceSettings) -> np.ndarray:
    """``text`` spoken by espeak-ng in ``voice``, at 16 kHz."""
    speech = EspeakEngine().voice(voice).synthesize(text)
    return resample(speech.samples, speech.sample_rate, RATE)


def noisy(parts: list[np.ndarray], snr_db: float, seed: int = 3) -> np.ndarray:
    """``parts`` joined, with white noise ``snr_db`` below the speech."""
    audio = np.concatenate(parts).astype(np.float64)
    voiced = audio[np.abs(audio) > 200]
    noise = np.random.default_rng(seed).normal(0, np.sqrt(np.mean(voiced**2) / 10 ** (snr_db / 10)), len(audio))
    return np.clip(audio + noise, -32768, 32767).astype(np.int16)


def span(samples: np.ndarray) -> tuple[int, int]:
    """First and last sample louder than the noise floor."""
    voiced = np.nonzero(np.abs(samples) > 200)[0]
    return int(voiced[0]), int(voiced[-1])


def pitch_hz(samples: np.ndarray, rate: int) -> float:
    """Median F0 by autocorrelation over voiced 40 ms windows."""
    audio = samples.astype(np.float64)
    size = int(0.04 * rate)
    estimates = []
    for start in range(0, len(audio) - size, size):
        window = audio[start : start + size]
        if np.sqrt(np.mean(window**2)) < 1500:
            continue
        corr = np.correlate(window, window, "full")[size - 1 :]
        lo, hi = rate // 400, rate // 60
        lag = lo + int(np.argmax(corr[lo:hi]))
        estimates.append(rate / lag)
    return float(np.median(estimates))
