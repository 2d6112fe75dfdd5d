"""How long a clip pushed with /api/say takes to decode and prepare (off the frame loop).

Builds a 1080p engine (not started: preparation does not need the clock), then pushes the
same speech clip, as WAV and as MP3, with and without text, and prints the median of
decode + prepare (voiced lines are not measured: their TTS time is the writer's path).

    .venv/bin/python benchmarks/say_clip.py --seconds 15 --runs 9
"""

from __future__ import annotations

import argparse
import io
import statistics
import tempfile
import time
from pathlib import Path

import av
import numpy as np

from talkshow.audio import decode_audio, wav_bytes
from talkshow.config import VoiceSettings, show_from_topic
from talkshow.live.settings import LiveSettings
from talkshow.station.engine import build_engine
from talkshow.telemetry.events import Telemetry
from talkshow.voice.service import SpeechService

RATE = 48_000


def speech_clip(seconds: float) -> np.ndarray:
    """Real espeak-ng speech, repeated to ``seconds``."""
    line = "Breaking news from the studio: the lambo has left the building, and nobody knows why. "
    speech = SpeechService(RATE, None, Telemetry()).speak(VoiceSettings(voice="en-us+m3"), line * 2).samples
    return np.resize(speech, int(seconds * RATE)).astype(np.int16)


def as_mp3(samples: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    with av.open(buffer, "w", format="mp3") as container:
        stream = container.add_stream("libmp3lame", rate=RATE, layout="mono")
        frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = RATE
        for packet in stream.encode(frame):
            container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return buffer.getvalue()


def main() -> None:
    """Print median decode and prepare times per clip kind."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    samples = speech_clip(args.seconds)
    with tempfile.TemporaryDirectory() as tmp:
        engine = build_engine(show_from_topic("a benchmark"), LiveSettings(hls_dir=Path(tmp), topics=()), Telemetry())
        for kind, data in [("wav", wav_bytes(samples, RATE)), ("mp3", as_mp3(samples))]:
            for text in ("", "Breaking news from the studio"):
                decode, prepare = [], []
                for _ in range(args.runs):
                    started = time.perf_counter()
                    decode_audio(data, RATE, 120)
                    decode.append((time.perf_counter() - started) * 1000)
                    turn = engine.say("duke", text, data)
                    prepare.append(turn.timings["prep_ms"])
                label = f"{kind} {args.seconds:g} s, {'aligned to text' if text else 'no text (energy)'}"
                print(
                    f"{label:36} decode median {statistics.median(decode):6.1f} ms, "
                    f"prepare median {statistics.median(prepare):6.1f} ms"
                )
        engine.stage.close()


if __name__ == "__main__":
    main()
