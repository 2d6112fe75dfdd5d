"""HLS output fed by the real encoder: rolling window, deletion, atomic files, slow disk."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import numpy as np
import pytest

from talkshow.broadcast import hls as hls_module
from talkshow.broadcast.encoder import Encoder
from talkshow.broadcast.hls import HlsOutput
from talkshow.config import VideoSettings
from talkshow.core.clock import ShowClock
from talkshow.telemetry.events import MemorySink, Telemetry

VIDEO = VideoSettings(width=320, height=192)
CLOCK = ShowClock(30, 48_000)


def encode_seconds(hls: HlsOutput, seconds: int) -> float:
    """Encode ``seconds`` of moving frames into ``hls``; returns the longest submit in seconds."""
    encoder = Encoder(VIDEO, CLOCK, [hls], Telemetry(), queue_size=4)
    longest = 0.0
    frame = np.full(VIDEO.width * VIDEO.height * 3 // 2, 128, np.uint8)
    for index in range(seconds * 30):
        frame[: VIDEO.width * VIDEO.height] = (index * 5) % 200 + 20
        started = time.perf_counter()
        encoder.submit(frame, np.zeros(1600, np.int16), index)
        longest = max(longest, time.perf_counter() - started)
    encoder.close()
    return longest


def test_rolling_window_deletes_old_segments_and_ends_the_playlist(tmp_path: Path) -> None:
    hls = HlsOutput(tmp_path, 30, lambda: 1_700_000_000.0, Telemetry(), window=3)
    encode_seconds(hls, 12)
    text = hls.playlist_path.read_text()
    assert text.count("#EXTINF:1.000000,") == 3 and text.rstrip().endswith("#EXT-X-ENDLIST")
    assert "#EXT-X-MEDIA-SEQUENCE:9\n" in text
    assert "#EXT-X-PROGRAM-DATE-TIME:2023-11-14T22:13:29.000Z" in text  # epoch + 9 s, to the ms
    on_disk = sorted(p.name for p in tmp_path.glob("seg*.ts"))
    assert on_disk == [f"seg{n:06d}.ts" for n in range(6, 12)], "a window's worth of unlisted segments is kept"
    assert not list(tmp_path.glob("*.tmp")), "files appear by rename only"


def test_a_stalled_disk_drops_segments_but_never_blocks_encoding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    disk_free = threading.Event()
    real_write = hls_module.write_atomic

    def stalled_write(path: Path, data: bytes) -> None:
        disk_free.wait(timeout=30)
        real_write(path, data)

    monkeypatch.setattr(hls_module, "write_atomic", stalled_write)
    sink = MemorySink()
    hls = HlsOutput(tmp_path, 30, epoch_wall=time.time, telemetry=Telemetry([sink]), backlog=2)
    threading.Timer(3.0, disk_free.set).start()
    longest_submit = encode_seconds(hls, 8)
    assert longest_submit < 0.5, "the encoder never waited for the disk"
    assert hls.dropped >= 3 and len(sink.of_kind("segment_dropped")) == hls.dropped
    assert "#EXT-X-DISCONTINUITY" in hls.playlist_path.read_text()
