"""Any part may fail alone: outputs, threads and sinks fail under a real engine, and the stream goes on.

Faults are real where this machine allows it: a full disk is a small tmpfs (root can
mount one, as CI runs), filled with a ballast file and freed again. Thread faults are
injected exceptions, since nothing else makes a renderer or a decoder raise on cue.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import av
import pytest

from support.budgets import LATE_FRAMES_ALLOWED
from support.disks import fill, tmpfs
from support.live import decode_segment, read_playlist
from support.small_shows import small_config
from talkshow.config import SceneSettings
from talkshow.live.engine import LiveEngine
from talkshow.live.settings import LiveSettings
from talkshow.station.engine import build_engine
from talkshow.telemetry.events import Event, MemorySink, Telemetry

# Slow, and it times the show against the clock (late frames, reply and barge-in times): it runs alone.
pytestmark = [pytest.mark.slow, pytest.mark.solo]

Packet = Any


class FailsFromPacket:
    """An output whose send raises from its ``nth`` packet on, as a disk that fills up does."""

    name = "flaky"

    def __init__(self, nth: int) -> None:
        self.nth = nth
        self.sent = 0

    def open(self, streams: object) -> None:
        pass

    def send(self, packet: Packet, is_video: bool) -> None:
        self.sent += 1
        if self.sent >= self.nth:
            raise OSError(28, "No space left on device")

    def close(self) -> None:
        pass


class RaisingSink:
    def record(self, event: Event) -> None:
        raise RuntimeError("sink exploded")


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def assert_segments_decode(engine: LiveEngine) -> int:
    """Every listed segment decodes with 1600 samples per frame; returns how many were checked."""
    _, entries, _ = read_playlist(engine.hls.playlist_path)
    for _, _, uri in entries:
        pts, samples = decode_segment(engine.settings.hls_dir / uri)
        # AAC frames (1024 samples) straddle segment cuts, so a segment's audio is within two of them.
        assert pts and abs(samples - len(pts) * 1600) <= 2048, (uri, len(pts), samples)
    return len(entries)


def test_an_output_failing_from_its_10th_packet_fails_alone(tmp_path: Path) -> None:
    from support.studio_api import call
    from talkshow.server.app import create_app
    from talkshow.station.station import open_station

    flaky = FailsFromPacket(10)
    settings = LiveSettings(hls_dir=tmp_path / "hls", topics=(), extra_outputs=(flaky,))
    station = open_station(small_config(tmp_path), settings, tmp_path / "studio.sqlite3", Telemetry())
    engine = station.engine
    engine.start()
    try:
        wait_for(lambda: engine.hls.published >= 4, 20, "four HLS segments")
        (status,) = call(create_app(station, None), ("GET", "/api/status", {}))
    finally:
        engine.stop()
        station.studio.close()
    body = status.json()
    assert body["failed_outputs"] == ["flaky"]
    part = body["parts"]["flaky"]
    assert part["state"] == "failed" and "No space left on device" in part["error"], part
    assert "it gets no more packets" in part["error"], "the report says what is lost"
    assert flaky.sent == 10, "a failed output that cannot reopen is not called again"
    assert body["parts"]["hls-publisher"]["state"] == "running" and body["healthy"] is True
    assert engine.stats.late <= LATE_FRAMES_ALLOWED  # this fault costs none; the budget covers the shared cores
    assert assert_segments_decode(engine) >= 4
    _, _, ended = read_playlist(engine.hls.playlist_path)
    assert ended, "the other outputs were closed cleanly: ENDLIST"


def test_a_full_record_disk_is_ridden_out_in_a_new_numbered_file(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "disk", "3m") as disk:
        ballast = fill(disk, leave_bytes=64 * 1024)
        sink = MemorySink()
        settings = LiveSettings(hls_dir=tmp_path / "hls", record=disk / "show.mp4", topics=("cats",), show_gap_s=0.5)
        engine = build_engine(small_config(tmp_path), settings, Telemetry([sink]))
        engine.start()
        try:
            wait_for(lambda: engine.supervisor.state("mp4:" + str(disk / "show.mp4")) == "restarting", 20, "failure")
            ballast.unlink()  # the disk frees
            wait_for(lambda: (disk / "show-1.mp4").exists(), 10, "the numbered file")
            time.sleep(2.0)
        finally:
            engine.stop()
        assert engine.supervisor.snapshot()["mp4:" + str(disk / "show.mp4")]["restarts"] >= 1
        with av.open(str(disk / "show-1.mp4"), "r") as container:
            video, audio = container.streams.video[0], container.streams.audio[0]
            assert video.codec_context.name == "h264" and audio.codec_context.name == "aac"
            first = next(container.decode(video))
            assert first.pts is not None and first.time_base is not None and float(first.pts * first.time_base) < 0.1, (
                "the new file starts at 0"
            )
            assert sum(1 for _ in container.decode(video)) >= 30
    assert assert_segments_decode(engine) >= 3, "HLS went on meanwhile"
    assert [e for e in sink.of_kind("part_state") if e.fields["state"] == "running" and "mp4" in e.fields["part"]]


def test_a_full_hls_disk_drops_segments_then_publishes_again_by_itself(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "hls", "4m") as disk:
        sink = MemorySink()
        settings = LiveSettings(hls_dir=disk, topics=(), show_gap_s=0.5)
        engine = build_engine(small_config(tmp_path), settings, Telemetry([sink]))
        engine.start()
        try:
            wait_for(lambda: engine.hls.published >= 2, 15, "first segments")
            ballast = fill(disk)
            wait_for(lambda: engine.supervisor.state(engine.hls.name) == "restarting", 10, "HLS to fail")
            published = engine.hls.published
            ballast.unlink()
            wait_for(lambda: engine.hls.published > published, 5, "publishing to resume")
            recovered = time.monotonic()
            assert engine.supervisor.state(engine.hls.name) == "running"
            wait_for(lambda: engine.hls.published > published + 2, 10, "more segments")
        finally:
            engine.stop()
        assert time.monotonic() - recovered < 10
        dropped = sink.of_kind("segment_dropped")
        assert dropped and "No space left" in dropped[0].fields["error"]
        text = engine.hls.playlist_path.read_text()
        assert "#EXT-X-ENDLIST" in text, "shutdown ended the playlist (no traceback)"
        assert_segments_decode(engine)


def test_renderer_and_tv_threads_that_raise_are_restarted_and_the_stream_goes_on(
    tmp_path: Path, tv_video: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import talkshow.stage.tv as tv_module

    split = tv_module._split_i420
    tv_frames = {"n": 0}

    def split_failing_once(*args: Any) -> Any:  # the decoder thread calls this for every frame
        tv_frames["n"] += 1
        if tv_frames["n"] == 20:
            raise ValueError("injected TV decoder fault")
        return split(*args)

    monkeypatch.setattr(tv_module, "_split_i420", split_failing_once)
    sink = MemorySink()
    config = replace(small_config(tmp_path), scene=SceneSettings(tv=str(tv_video)))
    settings = LiveSettings(hls_dir=tmp_path / "hls", topics=("octopus",), show_gap_s=0.5)
    engine = build_engine(config, settings, Telemetry([sink]))
    compose = engine.stage.compositor.compose
    calls = {"n": 0}

    def compose_failing_once(state: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 45:
            raise RuntimeError("injected renderer fault")
        return compose(state)

    engine.stage.compositor.compose = compose_failing_once  # type: ignore[method-assign]
    engine.start()
    try:
        wait_for(lambda: engine.stats.frames >= 150, 20, "5 s of stream")
    finally:
        engine.stop()
    parts = engine.supervisor.snapshot()
    assert parts["renderer"]["restarts"] >= 1 and "injected renderer fault" in parts["renderer"]["error"]
    assert parts["tv-decode"]["restarts"] >= 1 and "injected TV decoder fault" in parts["tv-decode"]["error"]
    assert engine.exit_code == 0 and engine.stats.frames >= 150
    assert assert_segments_decode(engine) >= 3
    assert engine.encoder.samples_encoded == engine.encoder.frames_encoded * 1600, "A/V stay locked"


def test_a_pacer_that_cannot_run_ends_the_stream_cleanly_with_an_exit_code(tmp_path: Path) -> None:
    sink = MemorySink()
    engine = build_engine(small_config(tmp_path), LiveSettings(hls_dir=tmp_path / "hls", topics=()), Telemetry([sink]))
    engine.start()
    wait_for(lambda: engine.hls.published >= 2 and engine.healthy(), 15, "a healthy stream")

    def broken_pop() -> None:
        raise RuntimeError("frame queue corrupted")

    engine.frames.pop = broken_pop  # type: ignore[method-assign]
    assert engine.wait(timeout=10), "the pacer gives up after a second of failing ticks"
    assert not engine.healthy()
    engine.stop()
    assert engine.exit_code == 3
    assert "frame queue corrupted" in engine.supervisor.fatal_reason
    assert sink.of_kind("stream_failed")
    _, entries, ended = read_playlist(engine.hls.playlist_path)
    assert ended and entries, "ENDLIST: players stop cleanly instead of waiting forever"


def test_a_telemetry_sink_that_raises_does_not_stop_the_thread_that_emitted(tmp_path: Path) -> None:
    telemetry = Telemetry([RaisingSink()])
    engine = build_engine(small_config(tmp_path), LiveSettings(hls_dir=tmp_path / "hls", topics=()), telemetry)
    with engine:
        wait_for(lambda: engine.stats.frames >= 60 and engine.hls.published >= 1, 15, "two seconds of stream")
        parts = engine.supervisor.snapshot()
    assert parts["sink:RaisingSink"]["state"] == "failed" and "sink exploded" in parts["sink:RaisingSink"]["error"]
    assert parts["pacer"]["state"] in ("running", "stopped") and engine.exit_code == 0


def test_a_voice_failure_on_a_pushed_line_is_recorded_in_the_transcript(tmp_path: Path) -> None:
    # Found by the soak: a pushed line whose voicing failed had no row yet, and recording
    # its turn_error raised inside the recorder (NOT NULL status) on every retry.
    from talkshow.core.domain import DomainLog
    from talkshow.studio.hub import EventHub
    from talkshow.studio.memory import Memory
    from talkshow.studio.recorder import TranscriptRecorder
    from talkshow.studio.store import StudioStore

    store = StudioStore(tmp_path / "studio.sqlite3")
    log = DomainLog()
    recorder = TranscriptRecorder(store, EventHub(), log, Memory(store), {})
    try:
        log.publish(Event("turn_error", 1.0, time.time(), {"show": None, "turn": 900001, "error": "tts down"}))
        log.publish(Event("turn_skipped", 2.0, time.time(), {"show": None, "turn": 900001, "error": "tts down"}))
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and not [r for r in store.lines(limit=5) if r.status == "failed"]:
            time.sleep(0.05)
    finally:
        recorder.close()
        store.close()
    store = StudioStore(tmp_path / "studio.sqlite3")
    try:
        (line,) = store.lines(limit=5)
    finally:
        store.close()
    assert line.status == "failed" and "tts down" in line.error
