import itertools
import json

import numpy as np
import onnxruntime
import pytest

from support.small_shows import kill_child
from talkshow.config import default_cast
from talkshow.core.cast import VoiceSettings
from talkshow.core.errors import AlignmentError
from talkshow.core.kinds.voice import Speech
from talkshow.lipsync.cues import shape_at, shapes_per_frame
from talkshow.lipsync.energy import cues_from_audio
from talkshow.lipsync.export import to_rhubarb_json, to_rhubarb_tsv
from talkshow.lipsync.lip_sync import LipSync
from talkshow.lipsync.process_aligner import ProcessAligner
from talkshow.telemetry.events import Telemetry
from talkshow.voice.service import SpeechService

# times nothing: make test runs it beside the solo tier, on the CPU those two workers leave idle
pytestmark = pytest.mark.beside

TEXT = "The lambo is parked in the living room, and nobody knows why."
ESPEAK = VoiceSettings(engine="espeak", voice="en-us+m3", pitch=38, rate=168)


def _speech(voice: VoiceSettings = ESPEAK) -> Speech:
    # The neural voice samples noise, so each process speaks a little differently. Measured over
    # seeds 1-8 (16 renders): word starts within 15-32 ms median, worst word 59-110 ms, except
    # one render (seed 8, Duke) where pocketsphinx put one word 390 ms off and the cue agreement
    # fell to 0.85/0.82, which once failed CI. The voice is seeded so the check is of the timing
    # code, the same every run, not of that draw.
    onnxruntime.set_seed(1)
    return SpeechService(48_000, None, Telemetry()).speak(voice, TEXT)


def test_cues_from_phonemes_move_with_speech_and_close_for_b_m() -> None:
    speech = _speech()
    cues = LipSync().cues(speech)
    assert cues[0].start == 0 and abs(cues[-1].end - speech.duration) < 1e-6
    assert all(a.end == b.start for a, b in itertools.pairwise(cues))
    shapes = {c.shape for c in cues}
    assert {"A", "X"} <= shapes and len(shapes) >= 6
    assert shape_at(cues, speech.duration - 0.001) == "X"
    assert all(c.end - c.start >= 0.044 for c in cues[:-1])  # the closing rest may be short


def test_forced_alignment_matches_espeak_word_starts() -> None:
    speech = _speech()
    truth = {w.char_start: w.start for w in speech.words}
    words = LipSync().aligner().align(speech.samples, speech.sample_rate, speech.text)
    errors = [abs(truth[w.char_start] - w.start) for w in words if w.char_start in truth]
    assert len(errors) >= 10
    assert float(np.median(errors)) < 0.025
    assert max(errors) < 0.1


def test_alignment_in_a_child_process_is_the_same_and_survives_the_child_dying() -> None:
    speech = _speech()
    here = LipSync().aligner().align(speech.samples, speech.sample_rate, speech.text)
    with ProcessAligner() as aligner:
        assert aligner.child.pid is None, "the child starts at the first alignment, not before"
        assert aligner.align(speech.samples, speech.sample_rate, speech.text) == here
        assert [w.phones for w in aligner.align(speech.samples, speech.sample_rate, speech.text)] == [
            w.phones for w in here
        ]
        with pytest.raises(AlignmentError, match="no words"):
            aligner.align(speech.samples, speech.sample_rate, " ... ")
        pid = kill_child(aligner.child)
        assert aligner.align(speech.samples, speech.sample_rate, speech.text) == here, "a new child took over"
        assert aligner.child.pid not in (None, pid)
    assert not aligner.child.running


def test_the_neural_voices_own_word_times_agree_with_forced_alignment() -> None:
    """Piper's durations (from its graph) against pocketsphinx on the same audio, both cast voices.

    Measured here: median 15-32 ms, worst word 59-110 ms ("living"/"lambo" onsets) over 8 seeds
    of the voice (see ``_speech``). The bounds leave about 2x margin.
    """
    for member in default_cast():
        speech = _speech(member.voice)
        assert member.voice.engine == "piper" and len(speech.words) == 12
        truth = {w.char_start: w.start for w in speech.words}
        words = LipSync().aligner().align(speech.samples, speech.sample_rate, speech.text)
        errors = [abs(truth[w.char_start] - w.start) for w in words if w.char_start in truth]
        assert len(errors) >= 10
        assert float(np.median(errors)) < 0.04
        assert max(errors) < 0.18


def test_the_neural_voices_mouth_cues_agree_with_cues_from_forced_alignment() -> None:
    """Mouth shapes per frame from Piper's own times against shapes from pocketsphinx on the same audio.

    Measured here: open/closed agree on 94-95% of frames; a frame's shape appears within
    +-2 frames of the aligned track on 89-92% (the exact shape on 63-67%: the aligner spreads
    phones over a word by typical length, the voice knows them). Bounds: 85% and 80%.
    """
    for member in default_cast():
        speech = _speech(member.voice)
        frames = int(speech.duration * 30)
        own = shapes_per_frame(LipSync().cues(speech), 30, frames)
        cues, method = LipSync().cues_by(Speech(speech.samples, speech.sample_rate, ""), TEXT)
        aligned = shapes_per_frame(cues, 30, frames)
        assert method == "aligned"
        open_closed = np.mean([(a == "X") == (b == "X") for a, b in zip(own, aligned, strict=True)])
        nearby = np.mean([own[i] in aligned[max(0, i - 2) : i + 3] for i in range(frames)])
        assert open_closed >= 0.85 and nearby >= 0.80, (member.id, open_closed, nearby)


def test_audio_with_text_but_no_timings_is_aligned() -> None:
    speech = _speech()
    bare = Speech(samples=speech.samples, sample_rate=speech.sample_rate, text="")
    cues, method = LipSync().cues_by(bare, TEXT)
    assert method == "aligned"
    assert len({c.shape for c in cues}) >= 5


def test_energy_fallback_rests_in_silence_and_opens_for_speech() -> None:
    speech = _speech()
    silence = np.zeros(24_000, np.int16)
    audio = np.concatenate([silence, speech.samples, silence])
    cues = cues_from_audio(audio, 48_000)
    assert shape_at(cues, 0.25) == "X"
    assert shape_at(cues, 0.5 + speech.duration + 0.3) == "X"
    spoken = [c for c in cues if 0.6 < c.start < 0.4 + speech.duration]
    assert sum(c.shape != "X" for c in spoken) >= 0.6 * len(spoken)


def test_rhubarb_exports() -> None:
    speech = _speech()
    cues = LipSync().cues(speech)
    document = json.loads(to_rhubarb_json(cues, "line.wav", speech.duration))
    assert document["metadata"]["soundFile"] == "line.wav"
    assert [c["value"] for c in document["mouthCues"]] == [c.shape for c in cues]
    rows = to_rhubarb_tsv(cues).strip().splitlines()
    assert len(rows) == len(cues) + 1 and rows[-1].endswith("\tX")
    assert all(len(r.split("\t")) == 2 for r in rows)
