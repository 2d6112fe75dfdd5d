"""The encoder on real libx264/AAC: pooled frames arrive intact, one clock for A/V."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

from talkshow.broadcast.encoder import Encoder, EncoderError
from talkshow.broadcast.mp4 import Mp4Output
from talkshow.config import VideoSettings
from talkshow.core.clock import ShowClock
from talkshow.core.kinds.output import Packet
from talkshow.telemetry.events import Telemetry

VIDEO = VideoSettings(width=320, height=192, crf=18)
CLOCK = ShowClock(30, 48_000)


def _frame(value: int) -> np.ndarray:
    luma = np.full((VIDEO.height, VIDEO.width), value, np.uint8)
    chroma = np.full((VIDEO.height // 4, VIDEO.width), 128, np.uint8)  # two quarter-size planes
    return np.concatenate([luma, chroma, chroma]).reshape(-1)


def test_pooled_frames_keep_their_own_content(tmp_path: Path) -> None:
    # A pool smaller than the frame count: every pooled frame is reused many times.
    out = tmp_path / "pool.mp4"
    encoder = Encoder(VIDEO, CLOCK, [Mp4Output(out)], Telemetry(), queue_size=3)
    levels = [16 + (i * 7) % 220 for i in range(60)]
    for i, level in enumerate(levels):
        assert encoder.submit(_frame(level), np.full(1600, i, np.int16), i)
    encoder.close()

    with av.open(str(out), "r") as container:
        decoded = [f.to_ndarray(format="yuv420p") for f in container.decode(video=0)]
    assert len(decoded) == 60
    means = [float(d[: VIDEO.height].mean()) for d in decoded]
    assert means == pytest.approx(levels, abs=2.0)

    with av.open(str(out), "r") as container:
        stream = container.streams.video[0]
        assert stream.average_rate == 30
        pts = np.array([f.pts for f in container.decode(video=0)], dtype=np.int64)  # a missing pts fails here
        assert np.all(np.diff(pts) == pts[1] - pts[0])
    with av.open(str(out), "r") as container:
        samples = sum(f.samples for f in container.decode(audio=0))
    assert samples >= 60 * 1600  # AAC pads its last frame; never fewer samples than frames x 1600


def test_wrong_audio_length_is_refused(tmp_path: Path) -> None:
    encoder = Encoder(VIDEO, CLOCK, [Mp4Output(tmp_path / "x.mp4")], Telemetry())
    with pytest.raises(ValueError, match="1600 samples"):
        encoder.submit(_frame(50), np.zeros(1000, np.int16), 0)
    encoder.close()


def test_offline_output_failure_reaches_the_producer(tmp_path: Path) -> None:
    class Broken:
        name = "broken"

        def open(self, streams: object) -> None:
            pass

        def send(self, packet: Packet, is_video: bool) -> None:
            raise OSError("disk on fire")

        def close(self) -> None:
            pass

    # A render must fail loudly; live outputs are isolated instead (tests/live/test_isolation.py).
    encoder = Encoder(VIDEO, CLOCK, [Broken()], Telemetry(), queue_size=2, isolate_outputs=False)
    with pytest.raises(EncoderError, match="disk on fire"):
        for i in range(200):
            encoder.submit(_frame(80), np.zeros(1600, np.int16), i)
    with pytest.raises(EncoderError):
        encoder.close()
