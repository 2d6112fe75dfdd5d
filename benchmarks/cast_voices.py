"""Do the two bundled characters sound like two people? Pitch, timbre and intelligibility of each voice.

    .venv/bin/python benchmarks/cast_voices.py

Both characters speak the same eight lines with the embedded Piper voice: once with the
cast's settings, and once with the settings before [12-avatars] (pitch alone, by one
resample, so the formants moved with it). Per voice: median F0, how fast it voices
(real-time factor) and Whisper base's word error rate on it (the ears of [10-understand]).
Between two voices: the F0 ratio; the formant (spectral envelope) ratio, the shift on a
log-frequency axis that best lines up their long-term spectra; and the distance between
their mean MFCCs (13 coefficients from Whisper's own log-mel, c0 left out, over the louder
60% of frames). For scale, the same figures between the old and new settings of each one.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import numpy.typing as npt

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from support.spoken import envelope_ratio, pitch_hz, word_errors
from talkshow.audio import resample
from talkshow.config import default_cast
from talkshow.core.cast import VoiceSettings
from talkshow.ears.log_mel import log_mel
from talkshow.ears.whisper_model import whisper_dir
from talkshow.ears.whisper_stt import WhisperSTT
from talkshow.voice.piper import PiperEngine

RATE = 16_000
LINES = (
    "I have never been more certain of anything in my life.",
    "Are you sure that is safe? What if the pigeons unionise?",
    "Soup is a drink. You drink it from a bowl. Case closed.",
    "The numbers speak for themselves, my friend.",
    "Sorry, I just think we should check the weather first.",
    "Nobody parks a lambo in a living room by accident.",
    "Could we at least read the instructions this time?",
    "Winners do not wait for permission. They take the keys.",
)
BEFORE = {  # the cast's voices until this benchmark's commit
    "duke": VoiceSettings(engine="piper", voice="joe", pitch=36, rate=168),
    "wendell": VoiceSettings(engine="piper", voice="joe", pitch=76, rate=186),
}


def mean_mfcc(audio: npt.NDArray[np.int16]) -> npt.NDArray[np.float64]:
    """Mean of MFCCs 1-13 over the louder frames (a timbre fingerprint, independent of the words' order)."""
    mel = log_mel(audio.astype(np.float32) / 32768.0).astype(np.float64)
    bands = np.arange(mel.shape[0])
    dct = np.cos(np.pi / mel.shape[0] * (bands[None, :] + 0.5) * np.arange(1, 14)[:, None])
    loud = mel.max(axis=0) > np.percentile(mel.max(axis=0), 40)
    return np.asarray((dct @ mel)[:, loud].mean(axis=1))


def main() -> None:
    """Print a row per voice, then the distances between them."""
    engine = PiperEngine()
    stt = WhisperSTT(whisper_dir(), threads=1)
    now = {m.id: m.voice for m in default_cast()}
    voices = {
        f"{who} ({when})": settings
        for when, table in (("now", now), ("before", BEFORE))
        for who, settings in table.items()
    }
    spoken: dict[str, list[npt.NDArray[np.int16]]] = {}
    print(f"{'voice':18} {'F0 Hz':>6} {'RTF':>6} {'WER':>6}")
    for label, settings in voices.items():
        voice = engine.voice(settings)
        lines, errors, words, busy, length = [], 0, 0, 0.0, 0.0
        for text in LINES:
            started = time.perf_counter()
            speech = voice.synthesize(text)
            busy += time.perf_counter() - started
            length += len(speech.samples) / speech.sample_rate
            audio = resample(speech.samples, speech.sample_rate, RATE)
            lines.append(audio)
            heard = stt.transcribe(np.concatenate([np.zeros(RATE // 5, np.int16), audio]), RATE).text
            found, count = word_errors(text, heard)
            errors, words = errors + found, words + count
        spoken[label] = lines
        joined = np.concatenate(lines)
        print(f"{label:18} {pitch_hz(joined, RATE):6.1f} {busy / length:6.3f} {errors / words:6.3f}")
    fingerprint = {label: mean_mfcc(np.concatenate(lines)) for label, lines in spoken.items()}
    pitch = {label: pitch_hz(np.concatenate(lines), RATE) for label, lines in spoken.items()}
    pairs = [("duke (now)", "wendell (now)"), ("duke (before)", "wendell (before)"),
             ("duke (before)", "duke (now)"), ("wendell (before)", "wendell (now)")]  # fmt: skip
    print(f"\n{'pair':36} {'F0 ratio':>9} {'formant ratio':>14} {'MFCC distance':>14}")
    for a, b in pairs:
        distance = float(np.linalg.norm(fingerprint[a] - fingerprint[b]))
        formants = envelope_ratio(np.concatenate(spoken[a]), np.concatenate(spoken[b]))
        print(f"{a + ' ~ ' + b:36} {pitch[b] / pitch[a]:9.3f} {formants:14.3f} {distance:14.2f}")


if __name__ == "__main__":
    main()
