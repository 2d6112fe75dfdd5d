from pathlib import Path

import av
import numpy as np
import pytest

from support.small_shows import small_config
from talkshow.core.clock import ShowClock
from talkshow.lipsync.lip_sync import LipSync
from talkshow.show.director import Director
from talkshow.show.prepare import TurnPreparer
from talkshow.stage.builder import build_stage
from talkshow.station.render import render_show
from talkshow.telemetry.events import MemorySink, Telemetry
from talkshow.voice.cache import SpeechCache
from talkshow.voice.service import SpeechService

# times nothing: make test runs it beside the solo tier, on the CPU those two workers leave idle
pytestmark = pytest.mark.beside


def test_render_probes_as_h264_aac_with_exact_av_length(tmp_path: Path, tv_video: Path) -> None:
    config = small_config(tmp_path, turns=3)
    config = config.with_overrides(scene=config.scene.__class__(tv=str(tv_video)))
    sink = MemorySink()
    out = tmp_path / "show.mp4"
    result = render_show(config, out, Telemetry([sink]))
    with av.open(str(out), "r") as container:
        video, audio = container.streams.video[0], container.streams.audio[0]
        assert video.codec_context.name == "h264" and video.pix_fmt == "yuv420p"
        assert (video.width, video.height) == (640, 360)
        assert video.average_rate == 30
        assert audio.codec_context.name == "aac" and audio.rate == 48_000
        frames = sum(1 for _ in container.decode(video=0))
    with av.open(str(out), "r") as container:
        samples = sum(f.samples for f in container.decode(audio=0))
    assert frames == result.frames
    # AAC adds encoder priming/padding of under two 1024-sample packets.
    assert abs(samples - result.frames * 1600) < 2048
    assert result.turns == 3 and len(sink.of_kind("turn_on_air")) == 3
    for kind in ("line_written", "tts_start", "tts_done", "lipsync_ready", "turn_ready", "turn_done", "frame"):
        assert sink.of_kind(kind), kind
    gaps = [e.fields["gap_frames"] for e in sink.of_kind("turn_on_air")[1:]]
    assert gaps == [round(config.pause * 30)] * 2
    # The default cast speaks with the embedded neural voice, lip-synced from its own phoneme times.
    assert {e.fields["engine"] for e in sink.of_kind("tts_done")} == {"piper"}
    assert {e.fields["method"] for e in sink.of_kind("lipsync_ready")} == {"phonemes"}


def test_mouths_move_with_speech_and_rest_in_silence(tmp_path: Path) -> None:
    config = small_config(tmp_path, turns=2)
    telemetry = Telemetry()
    clock = ShowClock()
    stage = build_stage(config)
    speech = SpeechService(48_000, SpeechCache(tmp_path), telemetry)
    preparer = TurnPreparer(config, stage, speech, LipSync(), telemetry)
    director = Director(config, clock, {r.cast_id: r.origin[0] for r in stage.rigs}, telemetry)
    preparer.start()
    loud, quiet = [], []
    try:
        while director.turns_done < 2:
            state, audio = director.step(lambda: preparer.next_turn(timeout=60))
            assert len(audio) == 1600
            speaker = director.on_air.line.speaker if director.on_air else None
            rms = float(np.sqrt(np.mean(audio.astype(np.float64) ** 2)))
            if speaker and rms > 2000:
                loud.append(state.poses[speaker].mouth)
            if director.on_air is None:
                quiet.append(tuple(p.mouth for p in state.poses.values()))
    finally:
        preparer.stop()
        stage.close()
    assert len(loud) > 30 and sum(m != "X" for m in loud) > 0.85 * len(loud)
    assert len(set(loud)) >= 6
    assert quiet and all(set(m) == {"X"} for m in quiet)  # everyone rests between turns
