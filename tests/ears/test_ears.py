"""Ears: Silero voice activity and turns on real speech made here (espeak-ng voices no character uses), with noise."""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import numpy as np
import pytest

from support.spoken import RATE, SPEAKERS, noisy, span, utterance
from talkshow.core.cast import VoiceSettings
from talkshow.core.errors import TalkshowError, VoiceError
from talkshow.ears.models import SILERO_VAD, model_path
from talkshow.ears.silero import SileroVad
from talkshow.ears.turn_end import TurnDetector, TurnSettings

# times nothing: make test runs it beside the solo tier, on the CPU those two workers leave idle
pytestmark = pytest.mark.beside


@pytest.mark.parametrize(("voice", "snr_db"), [(SPEAKERS[0], 20.0), (SPEAKERS[1], 10.0)])
def test_a_turn_starts_at_the_speech_and_ends_after_the_configured_silence(voice: VoiceSettings, snr_db: float) -> None:
    silence = np.zeros(RATE, np.int16)
    said = utterance("Hello there. Can you tell me why the lambo is in the room?", voice)
    audio = noisy([silence, said, silence, silence], snr_db)
    first, last = span(said)
    settings = TurnSettings(end_silence_ms=600)
    detector = TurnDetector(SileroVad(), settings)
    events = [
        e for start in range(0, len(audio), 320) for e in detector.feed(audio[start : start + 320])
    ]  # 20 ms packets

    pauses = [e for e in events if e.kind in ("speech_pause", "speech_resumed")]
    events = [e for e in events if e not in pauses]
    assert [e.kind for e in events] == ["voice_onset", "speech_start", "speech_end"], events
    assert events[0].sample == events[1].sample, "the onset and the confirmed turn start at the same sample"
    # Going quiet is told early (a reply may be prepared), going on again too; the last pause is the end.
    assert pauses and pauses[-1].kind == "speech_pause" and pauses[-1].sample == events[2].sample
    assert all(a.kind != b.kind for a, b in itertools.pairwise(pauses)), pauses
    events = events[1:]
    start, end = events[0].sample - RATE, events[1].sample - RATE
    # Bounds: one 32 ms VAD frame of quantisation plus 100 ms of onset/offset judgement.
    assert abs(start - first) < 0.132 * RATE, (start, first)
    assert abs(end - last) < 0.3 * RATE, "the end is placed where the silence began, not after it"
    assert events[1].reason == "silence"


def test_a_backchannel_is_not_a_turn_but_a_sentence_is() -> None:
    silence = np.zeros(RATE // 2, np.int16)
    blip = utterance("mm", SPEAKERS[0])[: int(0.18 * RATE)]
    sentence = utterance("Actually I have a question about that.", SPEAKERS[1])
    audio = noisy([silence, blip, silence, silence, sentence, silence, silence], 20.0)
    detector = TurnDetector(SileroVad(), TurnSettings(end_silence_ms=500))  # the default minimum speech
    events = [e for e in detector.feed(audio) if e.kind not in ("speech_pause", "speech_resumed")]
    # The "mm" is a possible interruption that comes to nothing (a reply pauses, then resumes).
    assert [e.kind for e in events] == ["voice_onset", "voice_dropped", "voice_onset", "speech_start", "speech_end"]
    assert events[1].sample == events[0].sample < len(silence) + 0.1 * RATE
    events = events[3:]
    sentence_at = len(silence) * 3 + len(blip)
    assert events[0].sample > sentence_at - 0.1 * RATE, "the 180 ms 'mm' did not open a turn"


def test_a_monologue_is_cut_into_bounded_turns() -> None:
    said = utterance("I will keep talking and talking about the lambo, the moon and the office octopus.", SPEAKERS[0])
    audio = noisy([np.zeros(RATE // 2, np.int16), said, said, np.zeros(RATE, np.int16)], 20.0)
    events = TurnDetector(SileroVad(), TurnSettings(max_utterance_s=2.0)).feed(audio)
    ends = [e for e in events if e.kind == "speech_end"]
    assert ends and ends[0].reason == "max_length"
    starts = [e.sample for e in events if e.kind == "speech_start"]
    assert all(b - a <= 2.0 * RATE + 512 for a, b in zip(starts, [e.sample for e in ends], strict=False))


def test_the_vad_model_is_pinned_and_a_missing_one_says_how_to_fetch_it(tmp_path: Path) -> None:
    with pytest.raises(TalkshowError, match=r"silero_vad.onnx is missing; fetch it with: .* -m talkshow.ears.fetch"):
        model_path(SILERO_VAD, tmp_path)
    shutil.copyfile(model_path(SILERO_VAD), tmp_path / "silero_vad.onnx")
    with (tmp_path / "silero_vad.onnx").open("r+b") as handle:
        handle.seek(5000)
        handle.write(b"\xff\xfe")
    with pytest.raises(VoiceError, match="does not match the SHA-256 talkshow pins"):
        model_path(SILERO_VAD, tmp_path)
