"""The broadcast delay on real libx264/AAC: public outputs run behind, and a dump takes the held span off.

Frames carry their own brightness and the audio a tone, so what reached HLS, an MP4 and a
real RTMP server (ffmpeg listening) can be read back: the dumped span shows a still of the
last picture released, with silence, on an even timeline, and the playlist stays valid.
"""

from __future__ import annotations

import itertools
import re
import shutil
import time
from datetime import datetime
from pathlib import Path

import av
import numpy as np
import pytest

from support.rtmp_server import start_listening_rtmp_server, wait_for
from talkshow.broadcast.delay import BroadcastDelay
from talkshow.broadcast.encoder import Encoder
from talkshow.broadcast.hls import HlsOutput
from talkshow.broadcast.mp4 import Mp4Output
from talkshow.broadcast.rtmp import RtmpOutput
from talkshow.config import VideoSettings
from talkshow.core.clock import ShowClock
from talkshow.core.kinds.output import EncodedStreams, Output, Packet
from talkshow.supervisor import Supervisor
from talkshow.telemetry.events import MemorySink, Telemetry

VIDEO = VideoSettings(width=320, height=192, crf=18)
CLOCK = ShowClock(30, 48_000)
DELAY_S = 0.8
FRAMES = 150  # 5 s
DUMP_AFTER = 75  # frames submitted when the operator dumps: about frames 51-74 are held
NEXT_KEYFRAME = 90  # a keyframe a second: what follows the dump until here depends on dropped frames, so goes too
RELEASE_MARGIN_S = 0.25  # a packet leaves no later than its due time plus this (2 loaded cores)

pytestmark = pytest.mark.slow  # a real RTMP server and seconds of real-time encoding: make test


def _frame(index: int) -> np.ndarray:
    luma = np.full((VIDEO.height, VIDEO.width), _level(index), np.uint8)
    chroma = np.full((VIDEO.height // 4, VIDEO.width), 128, np.uint8)
    return np.concatenate([luma, chroma, chroma]).reshape(-1)


def _level(index: int) -> int:
    return int(16 + 1.5 * index)  # each frame its own brightness, 1.5 apart


def _tone(index: int) -> np.ndarray:
    t = (np.arange(1600) + index * 1600) / 48_000
    return (np.sin(2 * np.pi * 440 * t) * 8000).astype(np.int16)


class Arrivals:
    """An output that notes when each video packet arrived, by frame."""

    name = "arrivals"

    def __init__(self) -> None:
        self.at: dict[int, float] = {}

    def open(self, streams: EncodedStreams) -> None:
        pass

    def send(self, packet: Packet, is_video: bool) -> None:
        if is_video and packet.pts is not None:
            self.at[int(packet.pts)] = time.monotonic()

    def close(self) -> None:
        pass


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs the ffmpeg binary (.ci/run installs it)")
def test_a_dump_replaces_the_held_span_on_hls_mp4_and_rtmp_and_the_timeline_stays_even(tmp_path: Path) -> None:
    received = tmp_path / "rtmp.flv"
    # Until ffmpeg listens, the output's connection is refused and its retries back off past this short stream.
    server, port = start_listening_rtmp_server(received)
    sink = MemorySink()
    telemetry = Telemetry([sink])
    supervisor = Supervisor(telemetry)
    arrivals = Arrivals()
    hls = HlsOutput(tmp_path / "hls", 30, lambda: 0.0, telemetry, supervisor=supervisor)
    rtmp = RtmpOutput(f"rtmp://127.0.0.1:{port}/live/test", telemetry, supervisor=supervisor)
    public: list[Output] = [hls, Mp4Output(tmp_path / "public.mp4"), rtmp, arrivals]
    delay = BroadcastDelay(DELAY_S, public, 30, telemetry, supervisor)
    encoder = Encoder(VIDEO, CLOCK, [delay], telemetry)
    submitted: dict[int, float] = {}
    start = time.monotonic()
    for index in range(FRAMES):
        time.sleep(max(0.0, start + index / 30 - time.monotonic()))  # real time, as the pacer does
        if index == DUMP_AFTER:
            report = delay.dump()
        submitted[index] = time.monotonic()
        assert encoder.submit(_frame(index), _tone(index), index)
    encoder.close()
    rtmp_done = wait_for(lambda: server.poll() is not None, 10)
    if not rtmp_done:
        server.kill()

    held = [i for i in range(DUMP_AFTER) if i >= DUMP_AFTER - round(DELAY_S * 30) - 3]  # about DELAY_S of frames
    # What is held is DELAY_S of frames, and up to the release margin more when the release thread runs late.
    assert DELAY_S - 0.2 <= report.seconds <= DELAY_S + RELEASE_MARGIN_S, report
    assert report.video_packets >= len(held) - 6, report
    # Every packet left no sooner than DELAY_S after its frame was made, and not much later (the
    # last DELAY_S of frames leave at once when the stream closes).
    waits = [arrivals.at[i] - submitted[i] for i in range(FRAMES - 30) if i in arrivals.at]
    assert min(waits) >= DELAY_S - 0.05 and np.median(waits) < DELAY_S + RELEASE_MARGIN_S, (min(waits), max(waits))

    for name, path in (("mp4", tmp_path / "public.mp4"), ("rtmp", received)):
        with av.open(str(path), "r") as container:
            frames = [(float(f.time), float(f.to_ndarray(format="yuv420p")[: VIDEO.height].mean()))
                      for f in container.decode(video=0)]  # fmt: skip
        shown = {round(t * 30): level for t, level in frames}
        first = min(shown)
        dumped = [i for i in shown if DUMP_AFTER - 20 <= i - first < NEXT_KEYFRAME]
        kept_before = [i for i in shown if i - first < DUMP_AFTER - 30]
        kept_after = [i for i in shown if i - first >= NEXT_KEYFRAME]
        assert dumped, f"{name}: nothing where the dumped span was: {sorted(shown)[:5]}..."
        for i in dumped:  # a still of the last keyframe released (frame 30): never the dumped picture
            assert abs(shown[i] - _level(30)) < 3, f"{name}: frame {i - first} of the dumped span aired"
        assert all(abs(shown[i] - _level(i - first)) < 3 for i in kept_before + kept_after), name
        assert len(kept_after) >= FRAMES - NEXT_KEYFRAME - 2, f"{name}: the programme did not come back whole"
        times = sorted(t for t, _ in frames)
        assert max(np.diff(times)) <= 0.51 and times[-1] - times[0] >= (FRAMES - 2) / 30, f"{name}: the timeline jumps"
        with av.open(str(path), "r") as container:
            audio = np.concatenate([f.to_ndarray().reshape(-1) for f in container.decode(audio=0)])
        rate = 48_000
        span = audio[round((DUMP_AFTER - 15) / 30 * rate) : round((NEXT_KEYFRAME - 1) / 30 * rate)]
        before = audio[round(10 / 30 * rate) : round(20 / 30 * rate)]
        assert np.abs(span).max() < 0.01 < np.abs(before).max(), f"{name}: the dumped span is not silent"

    playlist = (tmp_path / "hls" / "live.m3u8").read_text()
    assert "#EXT-X-ENDLIST" in playlist and "#EXT-X-DISCONTINUITY" not in playlist
    durations = [float(d) for d in re.findall(r"#EXTINF:([\d.]+),", playlist)]
    starts = [datetime.fromisoformat(d.replace("Z", "+00:00")).timestamp()
              for d in re.findall(r"#EXT-X-PROGRAM-DATE-TIME:(\S+)", playlist)]  # fmt: skip
    assert all(0 < d <= 1.0 for d in durations), durations  # within the target duration
    gaps = np.diff(starts) - np.array(durations[:-1])
    assert np.abs(gaps).max() < 0.002, f"each segment starts where the last ended: {durations}, {np.diff(starts)}"
    for name in re.findall(r"^(seg\S+\.ts)$", playlist, re.M):
        with av.open(str(tmp_path / "hls" / name), "r") as segment:
            assert sum(1 for _ in segment.decode(video=0)) >= 1, f"{name} does not decode"
    segments = [(e.fields["first_frame"], e.fields["frames"]) for e in sink.of_kind("segment_published")]
    assert all(a + n == b for (a, n), (b, _) in itertools.pairwise(segments)), segments
    assert segments[0][0] == 0 and sum(n for _, n in segments) == FRAMES, "every frame's time is in a segment once"
    assert sink.of_kind("delay_dumped")[0].fields["video_packets"] == report.video_packets


def test_with_a_delay_webrtc_viewers_are_sent_to_hls_and_the_caller_still_talks() -> None:
    import asyncio

    from talkshow.broadcast.webrtc_feed import WebRtcFeed
    from talkshow.core.errors import BusyError
    from talkshow.webrtc.gateway import RtcGateway

    feed = WebRtcFeed(CLOCK)
    feed.watch_refusal = "the broadcast delay (10 s) is on: watch over HLS"
    gateway = RtcGateway(feed)

    async def watch() -> None:
        await gateway.watch("v=0")

    with pytest.raises(BusyError, match="watch over HLS"):
        asyncio.run(watch())
