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

import cv2
import numpy as np
import numpy.typing as npt

from talkshow.core.turn import MouthCue
from talkshow.lipsync.cues import smooth_cues

__all__ = ["cues_from_audio"]

HOP_SECONDS = 0.010
WINDOW_SECONDS = 0.025
SILENCE_DB = -38.0


def cues_from_audio(samples: npt.NDArray[np.int16], sample_rate: int) -> list[MouthCue]:
    """Smoothed cues for raw speech audio."""
    hop = int(sample_rate * HOP_SECONDS)
    window = int(sample_rate * WINDOW_SECONDS) // 2 * 2  # even, for the packed DFT below
    duration = len(samples) / sample_rate
    if len(samples) < window:
        return [MouthCue(0.0, duration, "X")] if duration > 0 else []
    audio = samples.astype(np.float32) / 32768.0
    count = 1 + (len(audio) - window) // hop
    frames = np.lib.stride_tricks.sliding_window_view(audio, window)[::hop][:count]
    rms = np.sqrt(np.einsum("ij,ij->i", frames, frames) / window + 1e-12)
    loud_ref = float(np.percentile(rms, 95)) + 1e-9
    level_db = 20 * np.log10(rms / loud_ref + 1e-12)
    # Zero crossings counted once over the clip, then per window from a running sum (windows overlap 2.5x).
    crossings = np.r_[0, np.cumsum(np.signbit(audio[1:]) != np.signbit(audio[:-1]), dtype=np.int32)]
    first = np.arange(count) * hop
    zcr = (crossings[first + window - 1] - crossings[first]) / (window - 1)
    # OpenCV's row-wise real DFT is ~6x faster than numpy's here (float32, 1200 points). Its packed
    # rows read Re0, Re1, Im1, ..., Re(n/2-1), Im(n/2-1), Re(n/2) for an even window.
    packed = cv2.dft(frames * np.hanning(window).astype(np.float32), flags=cv2.DFT_ROWS)
    real = np.concatenate([packed[:, :1], packed[:, 1:-1:2], packed[:, -1:]], axis=1)
    imag = np.zeros_like(real)
    imag[:, 1:-1] = packed[:, 2:-1:2]
    magnitude = cv2.magnitude(real, imag)
    freqs = np.fft.rfftfreq(window, 1.0 / sample_rate).astype(np.float32)
    centroid = (magnitude @ freqs) / (magnitude.sum(axis=1) + 1e-9)
    shapes = _classify(level_db, zcr, centroid)

    # One cue per run of equal shapes (smoothing would merge them anyway), built without a per-hop loop.
    starts = np.flatnonzero(np.r_[True, shapes[1:] != shapes[:-1]])
    ends = np.r_[starts[1:], count]
    cues = [
        MouthCue(start * hop / sample_rate, duration if end == count else end * hop / sample_rate, str(shapes[start]))
        for start, end in zip(starts.tolist(), ends.tolist(), strict=True)
    ]
    return smooth_cues(cues)


def _classify(
    level_db: npt.NDArray[np.floating], zcr: npt.NDArray[np.floating], centroid: npt.NDArray[np.floating]
) -> npt.NDArray[np.str_]:
    """The shape for each hop; the first rule that matches wins (see the module docstring)."""
    rules = [
        (level_db < SILENCE_DB, "X"),
        ((zcr > 0.25) & (level_db < -8), "B"),
        ((centroid < 700) & (level_db < -12), "F"),
        (centroid < 700, "E"),
        (level_db < -24, "A"),
        (level_db < -14, "B"),
        (level_db < -6, "C"),
    ]
    return np.select([rule for rule, _ in rules], [shape for _, shape in rules], default="D")
