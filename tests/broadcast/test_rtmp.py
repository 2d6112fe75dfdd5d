"""RTMP push against a real RTMP server (ffmpeg listening), including refusal and reconnects."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

import av
import pytest

from support.budgets import LATE_FRAMES_ALLOWED
from support.rtmp_server import start_rtmp_server, wait_for
from support.serve import free_port
from support.small_shows import small_config
from talkshow.live.settings import LiveSettings
from talkshow.station.engine import build_engine
from talkshow.telemetry.events import MemorySink, Telemetry

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs the ffmpeg binary (.ci/run installs it)"),
]


def decoded_counts(path: Path) -> tuple[int, int]:
    """(video frames, audio samples) decoded from what the server received."""
    with av.open(str(path), "r") as container:
        frames = sum(1 for _ in container.decode(video=0))
    with av.open(str(path), "r") as container:
        samples = sum(f.samples for f in container.decode(audio=0))
    return frames, samples


# It counts late frames while it starts, kills and restarts an FFmpeg RTMP server beside the show: 7 late
# once beside the other worker (0 alone), so it runs alone.
@pytest.mark.solo
def test_rtmp_refused_then_connects_then_survives_a_server_drop(tmp_path: Path) -> None:
    port = free_port()
    url = f"rtmp://127.0.0.1:{port}/live/test"
    sink = MemorySink()
    settings = LiveSettings(
        hls_dir=tmp_path / "hls", rtmp_urls=(url,), show_gap_s=1.0, rtmp_backoff_s=(0.25, 0.5), frame_limit=0
    )
    engine = build_engine(small_config(tmp_path, turns=2), settings, Telemetry([sink]))
    first, second = tmp_path / "first.flv", tmp_path / "second.flv"
    engine.start()
    server = None
    try:
        # No server yet: the push is refused and retried while HLS goes on.
        assert wait_for(lambda: sink.of_kind("rtmp_error"), 10)
        server = start_rtmp_server(port, first)
        assert wait_for(lambda: sink.of_kind("rtmp_connected"), 10)
        time.sleep(3.0)
        server.kill()  # the server goes away mid-stream
        server.wait()
        assert wait_for(lambda: len(sink.of_kind("rtmp_error")) >= 2, 15)
        server = start_rtmp_server(port, second)
        assert wait_for(lambda: len(sink.of_kind("rtmp_connected")) >= 2, 10)
        time.sleep(3.0)
    finally:
        engine.stop()
        if server is not None:
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()

    assert engine.stats.late <= LATE_FRAMES_ALLOWED, "RTMP trouble never delays a frame"
    assert engine.hls.published >= 8
    frames, samples = decoded_counts(second)
    assert frames >= 60, "the second server received and decoded at least 2 s of video"
    assert samples >= (frames - 30) * 1600, "with its audio"
    assert first.stat().st_size > 0


def test_closing_an_output_whose_server_stopped_reading_ends_its_feeder_and_pusher(tmp_path: Path) -> None:
    """A server that accepts and then never answers: the pusher stops reading, the pipe and the queue fill,
    and the stop signal cannot be queued. Closing must still end the feeder thread and the pusher process."""
    from talkshow.broadcast.rtmp import RtmpOutput

    stalled = socket.create_server(("127.0.0.1", 0))
    url = f"rtmp://127.0.0.1:{stalled.getsockname()[1]}/live/test"
    output = RtmpOutput(url, Telemetry(), backoff_s=(5.0, 5.0), io_timeout_s=1.0, queue_packets=20)
    engine = build_engine(
        small_config(tmp_path), LiveSettings(hls_dir=tmp_path / "hls", extra_outputs=(output,)), Telemetry()
    )
    engine.start()
    try:
        assert wait_for(lambda: output.dropped_packets > 0, 20), "the queue filled"
        started = time.monotonic()
        engine.stop()
        stopped_in = time.monotonic() - started
    finally:
        stalled.close()
    assert not output._worker.alive, f"the feeder thread outlived close ({stopped_in:.1f} s)"
    assert output._process is not None and output._process.poll() is not None, "the pusher process ended"
    assert stopped_in < 15, f"closing took {stopped_in:.1f} s"
