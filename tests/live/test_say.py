"""Pushing a line on air (what /api/say does): it cuts the idle queue and airs within a few frames."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from support.budgets import LATE_FRAMES_ALLOWED
from support.small_shows import small_config
from talkshow.audio import AudioDecodeError, wav_bytes
from talkshow.core.errors import InputError, UnknownCharacterError
from talkshow.live.settings import LiveSettings
from talkshow.station.engine import build_engine
from talkshow.telemetry.events import MemorySink, Telemetry
from talkshow.voice.service import SpeechService

# Slow, and it times the show against the clock (late frames, reply and barge-in times): it runs alone.
pytestmark = [pytest.mark.slow, pytest.mark.solo]


def wait_for_kind(sink: MemorySink, kind: str, count: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while len(sink.of_kind(kind)) < count and time.monotonic() < deadline:
        time.sleep(0.02)
    assert len(sink.of_kind(kind)) >= count, f"no {kind} within {timeout} s"


@pytest.fixture
def idle_engine(tmp_path: Path):  # type: ignore[no-untyped-def]
    sink = MemorySink()
    settings = LiveSettings(hls_dir=tmp_path / "hls", topics=())  # idle only: nothing else goes on air
    engine = build_engine(small_config(tmp_path), settings, Telemetry([sink]))
    engine.start()
    time.sleep(1.5)  # the queue is full of idle frames, 1 s ahead
    yield engine, sink
    engine.stop()


def test_a_pushed_line_cuts_the_idle_queue_and_airs_within_a_few_frames(idle_engine) -> None:  # type: ignore[no-untyped-def]
    engine, sink = idle_engine
    turn = engine.say("duke", "Breaking news: the lambo has left the building!", emotion="excited")
    wait_for_kind(sink, "turn_aired", 1, 5)
    aired = sink.of_kind("turn_aired")[0].fields
    assert aired["source"] == "say" and aired["turn"] == turn.index
    # Without the cut it would wait behind a full queue of idle frames (the render-ahead, half a second).
    assert aired["ready_to_air_ms"] < 400
    cut = sink.of_kind("queue_cut")[0].fields
    assert cut["dropped"] >= engine.frames.capacity * 2 // 3, "most of the queue was idle frames, and went"

    wait_for_kind(sink, "turn_done", 1, 10)
    frames = sink.of_kind("frame")
    show_frames = [e.fields["show_frame"] for e in frames]
    expected = list(range(show_frames[0], show_frames[0] + len(show_frames)))
    assert show_frames == expected, "the cut dropped unseen frames only"
    assert engine.stats.late <= LATE_FRAMES_ALLOWED and engine.stats.repeated == 0


@pytest.mark.solo  # it counts late frames while it loads the aligner: on a core of its own
def test_a_pushed_clip_is_aligned_with_its_text_off_the_clock_and_by_audio_without(idle_engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    engine, sink = idle_engine
    text = "Is the lambo insured? Nobody knows. The man who parked it here will not say one word about it to anyone."
    speech = SpeechService(48_000, None, Telemetry()).speak(small_config(tmp_path).cast[1].voice, text)
    clip = wav_bytes(speech.samples, 48_000)
    frames_before = len(sink.of_kind("frame"))
    with_text = engine.say("wendell", text, audio=clip)
    without_text = engine.say("wendell", "", audio=clip)
    methods = [e.fields["method"] for e in sink.of_kind("lipsync_ready")]
    assert methods[-2:] == ["aligned", "energy"]
    assert len(with_text.audio) == len(speech.samples) and len(without_text.cues) > 2
    wait_for_kind(sink, "turn_aired", 2, 15)
    # pocketsphinx holds the GIL (building its decoder takes ~100 ms): aligned in the live process it held
    # frames back 53-75 ms, 2-5 late frames per clip. Aligned in its child, the latest frame was 1.5-3.4 ms
    # late on a quiet machine; the shared cores get the one budget every lateness test gets.
    lateness = [e.fields["lateness_ms"] for e in sink.of_kind("frame")[frames_before:]]
    late = [ms for ms in lateness if ms > 1000 / 30]
    assert len(late) <= LATE_FRAMES_ALLOWED, sorted(lateness)[-5:]


def test_bad_pushes_are_refused_by_name_and_the_stream_goes_on(idle_engine) -> None:  # type: ignore[no-untyped-def]
    engine, sink = idle_engine
    with pytest.raises(UnknownCharacterError, match="'bob'"):
        engine.say("bob", "hello")
    with pytest.raises(InputError, match="nothing to say"):
        engine.say("duke", "   ")
    with pytest.raises(InputError, match="limit is 400"):
        engine.say("duke", "word " * 200)
    with pytest.raises(AudioDecodeError, match="upload"):
        engine.say("duke", "hi", audio=b"RIFF\x00\x00junk that is not audio" * 10)
    frames_before = engine.stats.frames
    time.sleep(0.5)
    assert engine.stats.frames >= frames_before + 10, "the stream kept going"
    assert sink.of_kind("turn_aired") == []


def test_a_said_line_airs_its_first_sentence_while_the_rest_is_voiced_then_plays_whole(idle_engine) -> None:  # type: ignore[no-untyped-def]
    engine, sink = idle_engine
    text = "First things first. The lambo is outside, and it is blue. Nobody knows why, and nobody asks."
    turn = engine.say("wendell", text)
    assert turn.continued and turn.timings["parts"] == 3.0
    wait_for_kind(sink, "turn_done", 3, 15)
    aired = [e for e in sink.of_kind("turn_aired") if e.fields["turn"] == turn.index]
    first_audio = sink.of_kind("tts_first_audio")[-1]
    done = sink.of_kind("tts_done")[-1]
    assert first_audio.fields["ms"] < done.fields["ms"]
    assert aired[0].t_ms < done.t_ms, "the first sentence went on air before the last was synthesized"
    on_air = [e.fields for e in sink.of_kind("turn_on_air") if e.fields["turn"] == turn.index]
    assert len(on_air) == 3
    # No pause between the parts of one line. If a part is not ready when the last one ends, the idle
    # frames rendered meanwhile are cut unseen when it arrives, so at most CUT_KEEP_FRAMES (2) remain.
    assert all(f["gap_frames"] <= 2 for f in on_air[1:]), on_air
    assert engine.stats.late <= LATE_FRAMES_ALLOWED and engine.stats.repeated == 0
