"""Formant shifting: a longer or shorter vocal tract for the same voice, at the same pitch.

One embedded voice can play two people only if more than its pitch changes. What tells
speakers apart is mostly the vocal tract: its length sets where the formants (the spectral
envelope's peaks) sit, and a shorter tract moves every formant up by the same ratio. So a
second character is the same model with its pitch *and* its formants moved, each by its
own ratio. (Resampling alone, as the pitch setting does, moves both by one ratio: that is
the same man sped up.)

Per STFT frame: the spectral envelope is found by cepstral smoothing (the low quefrencies
of the log spectrum), warped along frequency by the ratio, and the frame's magnitudes are
multiplied by warped / original envelope. The harmonics stay where the pitch put them, and
the phases are untouched, so the result keeps the model's timing to the sample: phoneme
times and lip sync do not move. The cost is a few FFTs per 12 ms, batched in numpy.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["shift_formants"]

_FRAME_S = 0.046  # about 1024 samples at 22 kHz: two periods of an 80 Hz voice
_HOPS_PER_FRAME = 4
_HIGHEST_F0_HZ = 350.0  # the envelope keeps quefrencies below one period of this (500 smoothed F1 and F2 into one)
_MAX_GAIN_DB = 24.0  # a bin is never boosted or cut more than this (keeps noise floors quiet)


def shift_formants(audio: npt.NDArray[np.float32], rate: int, ratio: float) -> npt.NDArray[np.float32]:
    """``audio`` (mono float) with its formants moved up by ``ratio`` (0.5-2), same length and loudness."""
    if not 0.5 <= ratio <= 2.0:
        raise ValueError(f"a formant ratio must be between 0.5 and 2, not {ratio}")
    if abs(ratio - 1.0) < 1e-3 or audio.size == 0:
        return audio
    size = 1 << int(round(np.log2(rate * _FRAME_S)))
    hop = size // _HOPS_PER_FRAME
    window = np.hanning(size + 1)[:-1].astype(np.float32)
    padded = np.concatenate([np.zeros(size, np.float32), audio.astype(np.float32), np.zeros(size, np.float32)])
    count = 1 + (len(padded) - size) // hop
    frames = np.lib.stride_tricks.sliding_window_view(padded, size)[::hop][:count] * window
    spectrum = np.fft.rfft(frames, axis=1)
    log_mag = np.log(np.abs(spectrum) + 1e-9)
    envelope = _cepstral_envelope(log_mag, size, int(rate / _HIGHEST_F0_HZ))
    bins = np.arange(log_mag.shape[1], dtype=np.float64)
    # The new envelope at bin k is the old one at k / ratio: a peak at f moves to f * ratio.
    source = bins / ratio
    warped = np.stack([np.interp(source, bins, row, right=row[-1]) for row in envelope])
    gain_db = np.clip((warped - envelope) * (20 / np.log(10)), -_MAX_GAIN_DB, _MAX_GAIN_DB)
    spectrum *= 10 ** (gain_db / 20)
    shaped = np.fft.irfft(spectrum, n=size, axis=1).astype(np.float32) * window
    out = np.zeros(len(padded), np.float32)
    norm = np.zeros(len(padded), np.float32)
    for index in range(count):  # overlap-add; count is about 90 a second, cheap next to the FFTs
        start = index * hop
        out[start : start + size] += shaped[index]
        norm[start : start + size] += window**2
    result = out[size : size + len(audio)] / np.maximum(norm[size : size + len(audio)], 1e-3)
    before, after = float(np.sqrt(np.mean(audio**2))), float(np.sqrt(np.mean(result**2)))
    return (result * (before / after if after > 0 else 1.0)).astype(np.float32)


def _cepstral_envelope(log_mag: npt.NDArray[np.float64], size: int, keep: int) -> npt.NDArray[np.float64]:
    """Each frame's smoothed log-magnitude envelope: its real cepstrum cut to ``keep`` quefrencies."""
    cepstrum = np.fft.irfft(log_mag, n=size, axis=1)
    cepstrum[:, keep : size - keep + 1] = 0.0
    return np.asarray(np.fft.rfft(cepstrum, axis=1).real)
