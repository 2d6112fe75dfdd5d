"""faster-whisper (the ``whisper`` extra) on a tiny model the test builds: loading, decoding, the listener, errors."""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

import tiny_whisper
from spoken import SPEAKERS, noisy, utterance
from talkshow.audio import resample
from talkshow.ears.listener import EARS_RATE, EarsEvent, Listener
from talkshow.ears.silero import SileroVad
from talkshow.ears.stt import TranscriptionError
from talkshow.ears.turns import TurnSettings
from talkshow.errors import InputError, ShowFileError
from talkshow.show_file import load_show
from talkshow.talk.providers import make_stt
from talkshow.talk.settings import TalkSettings

pytest.importorskip("faster_whisper")

SAID = " ".join(tiny_whisper.SCRIPT)


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tiny_whisper.build(tmp_path_factory.mktemp("whisper") / "tiny")


def _settings(**options: object) -> TalkSettings:
    return TalkSettings(stt="faster-whisper", stt_options=dict(options))


def test_a_local_model_directory_loads_and_transcribes_48k_speech(model_dir: Path) -> None:
    stt = make_stt(_settings(model_dir=str(model_dir), threads=1))
    speech = resample(utterance("is anybody listening", SPEAKERS[1]), EARS_RATE, 48_000)
    transcript = stt.transcribe(speech, 48_000)
    # The scripted decoder says its script whatever it hears: this checks loading, the
    # prompt, greedy decoding and detokenising, not hearing.
    assert (transcript.text, transcript.provider) == (SAID, "faster-whisper")
    assert transcript.ms > 0


def test_the_listener_uses_a_whole_utterance_engine_at_the_pause(model_dir: Path) -> None:
    quiet = np.zeros(EARS_RATE, np.int16)
    audio = resample(noisy([quiet, utterance("tell me about the moon", SPEAKERS[0]), quiet], 20.0), EARS_RATE, 48_000)
    events: list[EarsEvent] = []
    done = threading.Event()

    def heard(event: EarsEvent) -> None:
        events.append(event)
        if event.kind == "utterance":
            done.set()

    stt = make_stt(_settings(model_dir=str(model_dir)))
    with Listener(SileroVad(), stt, heard, TurnSettings()) as ears:
        t0 = time.perf_counter()
        for start in range(0, len(audio), 960):
            ears.feed(audio[start : start + 960], t0 + (start + 960) / 48_000)
        assert done.wait(30), [e.kind for e in events]
    kinds = [e.kind for e in events]
    assert kinds == ["voice_onset", "speech_start", "tentative", "utterance"], kinds
    final = events[-1].utterance
    assert final is not None and final.transcript is not None
    # Transcribed whole at the pause (no streaming), so the text was ready before the end was decided.
    assert final.text == SAID and final.transcript.provider == "faster-whisper"
    assert final.text_ready_at <= final.decided_at


def test_incomplete_or_missing_model_directories_are_named(tmp_path: Path, model_dir: Path) -> None:
    with pytest.raises(InputError, match="needs talk.stt_options.model_dir"):
        make_stt(_settings())
    with pytest.raises(InputError, match="is not a directory"):
        make_stt(_settings(model_dir=str(tmp_path / "nowhere")))
    partial = tmp_path / "partial"
    partial.mkdir()
    for name in ("model.bin", "config.json", "vocabulary.json"):
        (partial / name).write_bytes((model_dir / name).read_bytes())
    # Without tokenizer.json faster-whisper would fetch one from the hub: refused before it can.
    with pytest.raises(InputError, match="lacks tokenizer.json"):
        make_stt(_settings(model_dir=str(partial)))
    (partial / "tokenizer.json").write_bytes((model_dir / "tokenizer.json").read_bytes())
    (partial / "model.bin").write_bytes(b"not a model")
    with pytest.raises(TranscriptionError, match="cannot load"):
        make_stt(_settings(model_dir=str(partial)))


def test_without_the_extra_the_error_names_it(model_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "faster_whisper", None)  # what an install without the extra looks like
    with pytest.raises(InputError, match=r"pip install 'talkshow\[whisper\]'"):
        make_stt(_settings(model_dir=str(model_dir)))


def test_the_show_file_takes_faster_whisper_and_names_the_choices(tmp_path: Path) -> None:
    path = tmp_path / "show.toml"
    options = 'stt_options = { model_dir = "/models/base.en" }'
    path.write_text(f'topic = "moons"\n[talk]\nstt = "faster-whisper"\n{options}\n')
    talk = load_show(path).talk
    assert (talk.stt, talk.stt_options["model_dir"]) == ("faster-whisper", "/models/base.en")
    path.write_text('topic = "moons"\n[talk]\nstt = "whisper"\n')
    with pytest.raises(ShowFileError, match="unknown stt .whisper.; choose from pocketsphinx, openai, faster-whisper"):
        load_show(path)
