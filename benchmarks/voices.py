"""Voice benchmark: real-time factor, time to first audio and memory, per embedded engine, side by side.

    .venv/bin/python benchmarks/voices.py [--lines 12]

Every line is synthesized uncached through the same SpeechService the show uses. The
one-sentence replies measure ``tts_first_audio`` as the show records it; the
multi-sentence lines measure how much sooner the first sentence exists than the whole.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time

from talkshow.config import default_cast
from talkshow.core.cast import VoiceSettings
from talkshow.telemetry.events import MemorySink, Telemetry
from talkshow.voice.service import SpeechService

ONE_SENTENCE = [
    "I have never been more certain of anything in my life.",
    "Are you sure that is safe?",
    "That is exactly what a winner would say.",
    "Sorry, I just think we should check first.",
    "The numbers speak for themselves, my friend.",
    "What if it rains on the lambo?",
]
MULTI = [
    "Listen to me. The moon is overrated, and I can prove it. Have you ever tried to park there?",
    "I am not sure. What if the pigeons unionise? Then we would all be in trouble, would we not?",
    "Soup is a drink. You drink it from a bowl. Case closed, next question please.",
]


def _run(service: SpeechService, sink: MemorySink, voice: VoiceSettings, texts: list[str]) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {"rtf": [], "first_ms": [], "done_ms": []}
    for text in texts:
        sink.events.clear()
        started = time.perf_counter()
        speech = service.speak(voice, text)
        elapsed = time.perf_counter() - started
        out["rtf"].append(elapsed / speech.duration)
        out["first_ms"].append(sink.of_kind("tts_first_audio")[0].fields["ms"])
        out["done_ms"].append(elapsed * 1000)
    return out


def main() -> None:
    """Print medians for the neural default and espeak-ng, measured in one run."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3, help="passes over the sentences")
    args = parser.parse_args()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    sink = MemorySink()
    service = SpeechService(48_000, None, Telemetry([sink]))
    voices = {
        "piper joe (Duke)": default_cast()[0].voice,
        "piper joe (Wendell)": default_cast()[1].voice,
        "espeak-ng (Duke's fallback)": default_cast()[0].voice.fallback,
    }
    loaded = {}
    for name, voice in voices.items():
        assert voice is not None
        started = time.perf_counter()
        service.warm([voice])  # loads the model and speaks one word
        loaded[name] = (time.perf_counter() - started) * 1000
    print(f"peak RSS before voices {rss_before:.0f} MB, after loading them "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")  # fmt: skip
    for name, voice in voices.items():
        assert voice is not None
        short = _run(service, sink, voice, ONE_SENTENCE * args.repeat)
        multi = _run(service, sink, voice, MULTI * args.repeat)
        print(f"\n{name}: load {loaded[name]:.0f} ms")
        print(f"  one sentence: first audio median {statistics.median(short['first_ms']):.0f} ms, "
              f"RTF median {statistics.median(short['rtf']):.3f}")  # fmt: skip
        first, whole, rtf = (statistics.median(multi[k]) for k in ("first_ms", "done_ms", "rtf"))
        print(f"  three sentences: first audio median {first:.0f} ms, whole line {whole:.0f} ms, RTF median {rtf:.3f}")
    print(f"\npeak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
