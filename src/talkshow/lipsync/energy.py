"""Lip sync for audio with no text: a documented energy and spectral fallback.

Every 10 ms the audio's loudness (RMS, relative to the clip's loud parts), its
zero-crossing rate and its spectral centroid pick a shape:

* quiet (below -38 dB of the clip's 95th percentile) -> X (rest)
* noisy and not loud (high zero-crossing rate: s, sh, f) -> B
* low centroid (dark, rounded vowels) -> F when soft, E when louder
* otherwise loudness picks A (murmur) < B < C < D (wide open)

The result is smoothed like phoneme cues. See docs/lipsync.md.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from talkshow.lipsync.cues import MouthCue, smooth_cues

__all__ = ["cues_from_audio"]

HOP_SECONDS = 0.010
WINDOW_SECONDS = 0.025
SILENCE_DB = -38.0


def cues_from_audio(samples: npt.NDArray[np.int16], sample_rate: int) -> list[MouthCue]:
    """Smoothed cues for raw speech audio."""
    hop = int(sample_rate * HOP_SECONDS)
    window = int(sample_rate * WINDOW_SECONDS)
    duration = len(samples) / sample_rate
    if len(samples) < window:
        return [MouthCue(0.0, duration, "X")] if duration > 0 else []
    audio = samples.astype(np.float32) / 32768.0
    count = 1 + (len(audio) - window) // hop
    frames = np.lib.stride_tricks.sliding_window_view(audio, window)[::hop][:count]
    rms = np.sqrt(np.mean(frames**2, axis=1) + 1e-12)
    loud_ref = float(np.percentile(rms, 95)) + 1e-9
    level_db = 20 * np.log10(rms / loud_ref + 1e-12)
    signs = np.signbit(frames)
    zcr = np.mean(signs[:, 1:] != signs[:, :-1], axis=1)
    spectrum = np.abs(np.fft.rfft(frames * np.hanning(window), axis=1))
    freqs = np.fft.rfftfreq(window, 1.0 / sample_rate)
    centroid = (spectrum @ freqs) / (spectrum.sum(axis=1) + 1e-9)

    cues: list[MouthCue] = []
    for index in range(count):
        shape = _classify(float(level_db[index]), float(zcr[index]), float(centroid[index]))
        start = index * hop / sample_rate
        end = duration if index == count - 1 else (index + 1) * hop / sample_rate
        cues.append(MouthCue(start, end, shape))
    return smooth_cues(cues)


def _classify(level_db: float, zcr: float, centroid: float) -> str:
    if level_db < SILENCE_DB:
        return "X"
    if zcr > 0.25 and level_db < -8:
        return "B"
    if centroid < 700:
        return "F" if level_db < -12 else "E"
    if level_db < -24:
        return "A"
    if level_db < -14:
        return "B"
    if level_db < -6:
        return "C"
    return "D"
