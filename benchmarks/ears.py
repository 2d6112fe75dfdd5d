"""Ears benchmark: Silero VAD accuracy and cost, turn-end decision, and STT time, on test speech with noise.

    .venv/bin/python benchmarks/ears.py

Speech is espeak-ng (voices no character uses) at several rates and pitches, with white
noise at 20, 10 and 5 dB SNR. Reports medians: VAD frame accuracy against the speech
span, onset error, CPU per second of audio; how long after the speech ends the turn
detector says so; and pocketsphinx's time to a transcript, at the end of an utterance and
when fed while it is spoken.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from support.spoken import RATE, noisy, span, utterance
from talkshow.core.cast import VoiceSettings
from talkshow.ears.pocketsphinx_stt import PocketsphinxSTT
from talkshow.ears.silero import SileroVad
from talkshow.ears.turn_end import TurnDetector, TurnSettings

TEXTS = ["Hello, can you hear me?", "I think the moon is overrated, honestly.", "What about the lambo in the room?"]
VOICES = [
    VoiceSettings(voice="en-us+f3", pitch=70, rate=150),
    VoiceSettings(voice="en-us+m1", pitch=40, rate=190),
    VoiceSettings(voice="en-us+f2", pitch=60, rate=220),
]


def main() -> None:
    """Print the medians."""
    accuracy, onset, cpu_share, turn_end, stt_ms, stream_ms = [], [], [], [], [], []
    stt = PocketsphinxSTT()
    settings = TurnSettings()
    for text in TEXTS:
        for voice in VOICES:
            said = utterance(text, voice)
            first, last = span(said)
            lead = RATE
            for snr in (20.0, 10.0, 5.0):
                audio = noisy([np.zeros(lead, np.int16), said, np.zeros(2 * RATE, np.int16)], snr)
                vad = SileroVad()
                started = time.process_time()
                probabilities = vad.probabilities(audio)
                cpu_share.append((time.process_time() - started) / (len(audio) / RATE))
                centres = (np.arange(len(probabilities)) + 0.5) * vad.frame_samples
                truth = (centres >= lead + first) & (centres <= lead + last)
                voiced = np.array(probabilities) >= 0.5
                accuracy.append(float(np.mean(voiced == truth)))
                if voiced.any():
                    onset.append((int(np.argmax(voiced)) * vad.frame_samples - (lead + first)) / RATE * 1000)
                events = TurnDetector(SileroVad(), settings).feed(audio)
                ends = [e for e in events if e.kind == "speech_end"]
                if ends:  # decided when the detector has seen end_silence_ms more audio after this sample
                    decided = ends[0].sample + settings.end_silence_ms / 1000 * RATE
                    turn_end.append((decided - (lead + last)) / RATE * 1000)
                started = time.perf_counter()
                stt.transcribe(audio, RATE)
                stt_ms.append((time.perf_counter() - started) * 1000)
                with stt.open_stream() as stream:
                    for start in range(0, len(audio), 320):  # 20 ms packets as they arrive
                        stream.feed(audio[start : start + 320])
                    stream_ms.append(stream.finish().ms)
    print(f"cases {len(accuracy)} (3 sentences x 3 voices x SNR 20/10/5 dB)")
    print(f"Silero VAD: frame accuracy median {statistics.median(accuracy):.3f} (min {min(accuracy):.3f}); "
          f"onset error median {statistics.median(onset):.0f} ms; CPU {statistics.median(cpu_share) * 100:.2f}% "
          "of real time")  # fmt: skip
    print(f"turn end decided after the speech stopped: median {statistics.median(turn_end):.0f} ms "
          f"(end_silence_ms {settings.end_silence_ms:g})")  # fmt: skip
    print(f"pocketsphinx transcript of a whole utterance: median {statistics.median(stt_ms):.0f} ms; "
          f"fed while spoken, ready {statistics.median(stream_ms):.0f} ms after the last packet")  # fmt: skip


if __name__ == "__main__":
    main()
