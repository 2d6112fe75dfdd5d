"""Test speech made at test time: espeak-ng voices no character uses, at 16 kHz, with noise."""

from __future__ import annotations

import ctypes
import multiprocessing
from multiprocessing.connection import Connection

import numpy as np

from talkshow.audio import resample
from talkshow.core.cast import VoiceSettings
from talkshow.voice.espeak import EspeakEngine, shared_library

RATE = 16_000
SPEAKERS = [VoiceSettings(voice="en-us+f3", pitch=70, rate=150), VoiceSettings(voice="en-us+m1", pitch=35, rate=210)]
# The ears' test set (tests/ears/test_understanding.py, benchmarks/understanding.py): what callers say, in three voices.
CALLER_SENTENCES = (
    "what is your name", "what is the show about", "do you think cats are better than dogs",
    "tell me why the moon is made of cheese", "I was wondering whether pineapple belongs on pizza",
    "how old are you", "where did you grow up", "can you explain how a rocket gets to space",
    "my favourite colour is green", "what would you do with a million dollars",
    "please tell me a story about a dragon", "who is the best football player in the world",
)  # fmt: skip
CALLER_VOICES = (*SPEAKERS, VoiceSettings(voice="en-us", pitch=50, rate=165))


def _synthesize(text: str, voice: VoiceSettings, seed: int, out: Connection) -> None:
    engine = EspeakEngine()
    shared_library().lib.espeak_ng_SetRandSeed(ctypes.c_long(seed))
    speech = engine.voice(voice).synthesize(text)
    out.send(resample(speech.samples, speech.sample_rate, RATE))
    out.close()


def _in_a_fresh_process(text: str, voice: VoiceSettings, seed: int) -> np.ndarray:
    # espeak-ng varies its voice at random and keeps waveform state between syntheses, so the same text
    # spoken twice in one process sounds different, and test audio would depend on test order. Each
    # utterance is spoken by a new child forked from a server that never spoke: its first synthesis.
    context = multiprocessing.get_context("forkserver")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_synthesize, args=(text, voice, seed, send), daemon=True)
    child.start()
    send.close()
    try:
        if not receive.poll(60):
            raise TimeoutError(f"espeak-ng did not speak {text!r} within 60 s")
        samples: np.ndarray = receive.recv()
    finally:
        receive.close()
        child.join(5)
        if child.is_alive():
            child.kill()
    return samples


_SPOKEN: dict[tuple[str, str, int], np.ndarray] = {}


def utterance(text: str, voice: VoiceSettings, seed: int = 7) -> np.ndarray:
    """``text`` spoken by espeak-ng in ``voice``, at 16 kHz: the same samples whatever ran before."""
    key = (text, repr(voice), seed)
    if key not in _SPOKEN:
        _SPOKEN[key] = _in_a_fresh_process(text, voice, seed)
        _SPOKEN[key].flags.writeable = False  # shared by every caller
    return _SPOKEN[key]


def noisy(parts: list[np.ndarray], snr_db: float, seed: int = 3) -> np.ndarray:
    """``parts`` joined, with white noise ``snr_db`` below the speech."""
    audio = np.concatenate(parts).astype(np.float64)
    voiced = audio[np.abs(audio) > 200]
    noise = np.random.default_rng(seed).normal(0, np.sqrt(np.mean(voiced**2) / 10 ** (snr_db / 10)), len(audio))
    noisy: np.ndarray = np.clip(audio + noise, -32768, 32767).astype(np.int16)
    return noisy


def pink_noise(length: int, seed: int) -> np.ndarray:
    """Unit-variance 1/f noise: the low-heavy spectrum of rooms, traffic and fans (white noise is all hiss)."""
    spectrum = np.fft.rfft(np.random.default_rng(seed).normal(size=length))
    spectrum /= np.sqrt(np.maximum(np.arange(len(spectrum)), 1))
    noise = np.fft.irfft(spectrum, length)
    unit: np.ndarray = noise / noise.std()
    return unit


def in_room_noise(samples: np.ndarray, snr_db: float, seed: int = 3) -> np.ndarray:
    """``samples`` with pink noise ``snr_db`` below the speech's voiced power."""
    audio = samples.astype(np.float64)
    voiced = audio[np.abs(audio) > 200]
    noise = pink_noise(len(audio), seed) * np.sqrt(np.mean(voiced**2) / 10 ** (snr_db / 10))
    noisy: np.ndarray = np.clip(audio + noise, -32768, 32767).astype(np.int16)
    return noisy


def word_errors(reference: str, heard: str) -> tuple[int, int]:
    """Word-level edit distance (substitutions, insertions, deletions) and the reference's word count."""
    ref, hyp = _words(reference), _words(heard)
    row = list(range(len(hyp) + 1))
    for i in range(1, len(ref) + 1):
        diagonal, row[0] = row[0], i
        for j in range(1, len(hyp) + 1):
            diagonal, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, diagonal + (ref[i - 1] != hyp[j - 1]))
    return row[len(hyp)], len(ref)


def _words(text: str) -> list[str]:
    spelled = text.lower().replace("favorite", "favourite").replace("color", "colour")
    return "".join(c if c.isalnum() or c == "'" else " " for c in spelled).split()


def span(samples: np.ndarray) -> tuple[int, int]:
    """First and last sample louder than the noise floor."""
    voiced = np.nonzero(np.abs(samples) > 200)[0]
    return int(voiced[0]), int(voiced[-1])


def pitch_hz(samples: np.ndarray, rate: int) -> float:
    """Median F0 over voiced 40 ms windows, by normalised autocorrelation (60-400 Hz).

    Normalised per lag, so a longer period is not penalised for its smaller overlap: the raw
    autocorrelation favoured half the period on a low voice with a strong second harmonic
    (Duke's ~90 Hz measured as 178 Hz once in CI).
    """
    audio = samples.astype(np.float64)
    size, lo, hi = int(0.04 * rate), rate // 400, rate // 60
    lags = np.arange(lo, hi)
    estimates = []
    for start in range(0, len(audio) - size - hi, size):
        head = audio[start : start + size]
        if np.sqrt(np.mean(head**2)) < 1500:
            continue
        shifted = np.lib.stride_tricks.sliding_window_view(audio[start + lo : start + hi + size - 1], size)
        head = head - head.mean()
        shifted = shifted - shifted.mean(axis=1, keepdims=True)
        scores = shifted @ head / (np.sqrt((shifted**2).sum(axis=1) * (head @ head)) + 1e-9)
        # The first lag that nearly matches the best: a whole-sample lag at two periods can
        # beat one period that falls between samples (246 Hz read as 123 Hz otherwise).
        best = int(np.argmax(scores >= 0.9 * scores.max()))
        while best + 1 < len(scores) and scores[best + 1] > scores[best]:
            best += 1  # climb to that peak's top
        estimates.append(rate / lags[best])
    return float(np.median(estimates))


def envelope_ratio(reference: np.ndarray, other: np.ndarray, rate: int = 16_000) -> float:
    """How far ``other``'s long-term spectrum sits above ``reference``'s on a log-frequency axis (300-4000 Hz)."""

    def log_spectrum(audio: np.ndarray) -> np.ndarray:
        frames = np.lib.stride_tricks.sliding_window_view(audio.astype(np.float64), 1024)[::256]
        power = (np.abs(np.fft.rfft(frames * np.hanning(1024), axis=1)) ** 2).mean(axis=0)
        smooth = np.convolve(np.log(power + 1e-9), np.ones(9) / 9, mode="same")  # blur the harmonics away
        freqs = np.fft.rfftfreq(1024, 1 / rate)
        return np.interp(np.geomspace(300, 4000, 400), freqs, smooth)

    axis = np.arange(400)
    # The spectral tilt is left out (it does not move with the vocal tract, and would pin the lag at 0).
    a, b = (s - np.polyval(np.polyfit(axis, s, 1), axis) for s in (log_spectrum(reference), log_spectrum(other)))
    step = np.log(4000 / 300) / 399
    lags = range(-40, 41)
    scores = [float(np.dot(a[max(0, -k) : 400 - max(0, k)], b[max(0, k) : 400 - max(0, -k)])) for k in lags]
    return float(np.exp(step * lags[int(np.argmax(scores))]))
