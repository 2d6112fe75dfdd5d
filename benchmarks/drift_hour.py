"""A/V drift after one hour of stream, proven with an accelerated (unpaced) live run.

The live engine runs shows back to back without waiting for the wall clock and
records the stream to MP4; the file is decoded back and its audio timeline is
compared with its video timeline.

    .venv/bin/python benchmarks/drift_hour.py --minutes 60 --size 640x360
"""

from __future__ import annotations

import argparse
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import av

from talkshow.config import show_from_topic
from talkshow.live.settings import LiveSettings
from talkshow.station.engine import build_engine
from talkshow.telemetry.events import MemorySink, Telemetry


def main() -> None:
    """Run, decode, print the drift in samples."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=60)
    parser.add_argument("--size", default="640x360")
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    work = Path(tempfile.mkdtemp(prefix="talkshow-drift-"))
    config = show_from_topic("why there's a lambo in the room", 12, seed=1)
    config = replace(config, video=replace(config.video, width=width, height=height))
    frames = round(args.minutes * 60 * config.video.fps)
    record = work / "hour.mp4"
    settings = LiveSettings(hls_dir=work / "hls", record=record, frame_limit=frames, paced=False, show_gap_s=2.0)
    sink = MemorySink()
    started = time.perf_counter()
    engine = build_engine(config, settings, Telemetry([sink]))
    engine.start()
    engine.wait()
    engine.stop()
    wall = time.perf_counter() - started
    spf = engine.clock.samples_per_frame
    with av.open(str(record)) as container:
        video_frames = sum(1 for _ in container.decode(video=0))
    with av.open(str(record)) as container:
        last = None
        decoded = 0
        for frame in container.decode(audio=0):
            last = frame
            decoded += frame.samples
    assert last is not None and last.pts is not None
    audio_end = last.pts + last.samples
    print(f"{frames} frames ({frames / config.video.fps / 60:.1f} min of stream) in {wall:.0f} s wall")
    print(f"turns on air {len(sink.of_kind('turn_on_air'))}, shows done {engine.programme.shows_done}")
    print(f"encoder input: samples {engine.encoder.samples_encoded} - frames x {spf} = "
          f"{engine.encoder.samples_encoded - engine.encoder.frames_encoded * spf}")  # fmt: skip
    print(f"file: {video_frames} video frames; audio ends at sample {audio_end}; "
          f"video ends at sample {video_frames * spf}; difference {audio_end - video_frames * spf} "
          f"(AAC pads its last 1024-sample packet)")  # fmt: skip


if __name__ == "__main__":
    main()
