"""What the ears understand, and what it costs: word error rate and decode time of each STT on one test set.

    .venv/bin/python benchmarks/understanding.py [--threads 1] [--window 8]

The set is tests/support/spoken.py's: twelve things a caller says, in three espeak-ng voices no
character uses, clean and in pink (room) noise at 20 and 10 dB SNR (36 utterances each).
For Whisper base (the default) and pocketsphinx (the fallback): WER per condition, decode
time per utterance (median and p90, the utterance already whole), the model's load time
and the resident memory it adds. Run it from a cold start: the load is part of the figure.
Last, how much harder espeak is to hear than a person: the WER on two CMU ARCTIC sentences read by
a person (tests/support/human_speech.py; `make test` fetches them) and on the same sentences in the
three espeak voices, all in room noise 20 dB down.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from support.human_speech import RECORDINGS, samples
from support.spoken import CALLER_SENTENCES, CALLER_VOICES, in_room_noise, utterance, word_errors
from talkshow.core.kinds.hearing import SpeechToText
from talkshow.ears.pocketsphinx_stt import PocketsphinxSTT
from talkshow.ears.whisper_model import whisper_dir
from talkshow.ears.whisper_stt import WhisperSTT

RATE = 16_000
QUIET = np.zeros(RATE // 5, np.int16)


def rss_mb() -> float:
    """This process's resident memory (Linux)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def measure(stt: SpeechToText, snr_db: float | None) -> tuple[float, list[float]]:
    """WER and decode seconds over the set at ``snr_db`` (None: clean)."""
    errors = words = 0
    seconds = []
    for text in CALLER_SENTENCES:
        for index, voice in enumerate(CALLER_VOICES):
            audio = np.concatenate([QUIET, utterance(text, voice), QUIET])
            if snr_db is not None:
                audio = in_room_noise(audio, snr_db, seed=index * 100 + len(text))
            started = time.perf_counter()
            heard = stt.transcribe(audio, RATE).text
            seconds.append(time.perf_counter() - started)
            found, count = word_errors(text, heard)
            errors, words = errors + found, words + count
    return errors / words, seconds


def person_against_espeak(stt: SpeechToText, snr_db: float = 20.0) -> tuple[float, float]:
    """WER on the recorded person's sentences, and on the same sentences in the espeak voices, at ``snr_db``."""

    def wer(clips: list[tuple[str, np.ndarray]]) -> float:
        counts = [word_errors(said, stt.transcribe(audio, RATE).text) for said, audio in clips]
        return sum(found for found, _ in counts) / sum(words for _, words in counts)

    person = [(r.said, in_room_noise(samples(r), snr_db, seed=5)) for r in RECORDINGS]
    espeak = [
        (r.said, in_room_noise(np.concatenate([QUIET, utterance(r.said, voice), QUIET]), snr_db, seed=5))
        for r in RECORDINGS
        for voice in CALLER_VOICES
    ]
    return wer(person), wer(espeak)


def main() -> None:
    """Print one row per STT and condition."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--window", type=float, default=8.0)
    args = parser.parse_args()
    for text in CALLER_SENTENCES:  # spoken first, so the model's memory is measured alone
        for voice in CALLER_VOICES:
            utterance(text, voice)
    engines: dict[str, Callable[[], SpeechToText]] = {
        "whisper": lambda: WhisperSTT(whisper_dir(), threads=args.threads, window_s=args.window),
        "pocketsphinx": PocketsphinxSTT,
    }
    print(f"{'stt':13} {'condition':9} {'WER':>6} {'median s':>9} {'p90 s':>7}   load s, +RSS MB")
    for name, build in engines.items():
        before, started = rss_mb(), time.perf_counter()
        stt = build()
        load_s, added = time.perf_counter() - started, rss_mb() - before
        for snr in (None, 20.0, 10.0):
            wer, seconds = measure(stt, snr)
            p90 = float(np.percentile(seconds, 90))
            condition = "clean" if snr is None else f"{snr:g} dB"
            print(f"{name:13} {condition:9} {wer:6.3f} {statistics.median(seconds):9.3f} {p90:7.3f}", end="")
            print(f"   {load_s:.2f}, {added:.0f}" if snr is None else "")
        person, espeak = person_against_espeak(stt)
        print(f"{name:13} CMU ARCTIC at 20 dB: a person {person:.3f}, the same sentences in espeak {espeak:.3f}")


if __name__ == "__main__":
    main()
