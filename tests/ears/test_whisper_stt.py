"""Whisper on a user-supplied model: a tiny model the test builds, for loading, decoding, the listener, errors.

The embedded Whisper base itself is heard on speech in test_understanding.py.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import numpy as np
import pytest

from support import tiny_whisper
from support.spoken import SPEAKERS, noisy, utterance
from talkshow.audio import resample
from talkshow.core.errors import InputError, ShowFileError
from talkshow.core.kinds.hearing import TranscriptionError
from talkshow.ears.listener import EARS_RATE, EarsEvent, Listener
from talkshow.ears.silero import SileroVad
from talkshow.ears.turn_end import TurnSettings
from talkshow.ears.whisper_stt import WhisperSTT, without_repeats
from talkshow.show_check import load_show
from talkshow.talk.providers import make_stt
from talkshow.talk.settings import TalkSettings

SAID = " ".join(tiny_whisper.SCRIPT)


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tiny_whisper.build(tmp_path_factory.mktemp("whisper") / "tiny")


def _settings(**options: object) -> TalkSettings:
    return TalkSettings(stt="whisper", stt_options=dict(options))


def test_a_local_model_directory_loads_and_transcribes_48k_speech(model_dir: Path) -> None:
    stt = make_stt(_settings(model_dir=str(model_dir), threads=1))
    speech = resample(utterance("is anybody listening", SPEAKERS[1]), EARS_RATE, 48_000)
    transcript = stt.transcribe(speech, 48_000)
    # The scripted decoder says its script whatever it hears: this checks loading, the
    # prompt, greedy decoding and detokenising, not hearing.
    assert (transcript.text, transcript.provider) == (SAID, "whisper")
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
        for start in range(0, len(audio), 960):  # in real time: the text is made during the silence
            ears.feed(audio[start : start + 960], t0 + (start + 960) / 48_000)
            time.sleep(max(0.0, t0 + (start + 960) / 48_000 - time.perf_counter()))
        assert done.wait(30), [e.kind for e in events]
    kinds = [e.kind for e in events]
    assert kinds == ["voice_onset", "speech_start", "tentative", "utterance"], kinds
    final = events[-1].utterance
    assert final is not None and final.transcript is not None
    # Gathered in the child as spoken, decoded whole at the pause: ready before the end was decided.
    assert final.text == SAID and final.transcript.provider == "whisper"
    assert final.text_ready_at <= final.decided_at


def test_incomplete_or_missing_model_directories_are_named(tmp_path: Path, model_dir: Path) -> None:
    with pytest.raises(InputError, match="is not a directory"):
        make_stt(_settings(model_dir=str(tmp_path / "nowhere")))
    with pytest.raises(InputError, match="unknown keys for whisper: model"):
        make_stt(_settings(model="base.en"))
    with pytest.raises(InputError, match="talk.stt_options.alternatives must be 0-8, not 9"):
        WhisperSTT(model_dir, alternatives=9)
    partial = tmp_path / "partial"
    partial.mkdir()
    for name in ("model.bin", "config.json", "vocabulary.json"):
        (partial / name).write_bytes((model_dir / name).read_bytes())
    with pytest.raises(InputError, match="lacks tokenizer.json"):
        make_stt(_settings(model_dir=str(partial)))
    (partial / "tokenizer.json").write_bytes((model_dir / "tokenizer.json").read_bytes())
    (partial / "model.bin").write_bytes(b"not a model")
    # A model the runtime cannot read: the error names the directory, and the calls are heard by the fallback.
    stt = make_stt(_settings(model_dir=str(partial)))
    assert stt.name == "pocketsphinx"
    with pytest.raises(TranscriptionError, match="cannot load the model in .*partial"):
        WhisperSTT(partial)


def test_the_show_file_takes_faster_whisper_and_names_the_choices(tmp_path: Path) -> None:
    path = tmp_path / "show.toml"
    options = 'stt_options = { model_dir = "/models/base.en" }'
    path.write_text(f'topic = "moons"\n[talk]\nstt = "faster-whisper"\n{options}\n')  # the old name still works
    talk = load_show(path).section(TalkSettings)
    assert (talk.stt, talk.stt_options["model_dir"]) == ("faster-whisper", "/models/base.en")
    assert TalkSettings().stt == "whisper", "the default ears"
    path.write_text('topic = "moons"\n[talk]\nstt = "whispr"\n')
    with pytest.raises(ShowFileError, match="unknown stt .whispr.; choose from pocketsphinx, openai, whisper"):
        load_show(path)


def test_the_embedded_models_files_are_pinned_and_a_missing_or_altered_one_is_named(tmp_path: Path) -> None:
    from talkshow.core.errors import TalkshowError
    from talkshow.ears.whisper_model import WHISPER_BASE, whisper_dir

    assert whisper_dir().name == "whisper-base", "make setup fetched and verified the default ears"
    folder = tmp_path / WHISPER_BASE.name
    folder.mkdir()
    with pytest.raises(
        TalkshowError, match=r"whisper-base/model.bin is missing; fetch it with: .* -m talkshow.ears.fetch"
    ):
        whisper_dir(folder=tmp_path)
    for name in WHISPER_BASE.sha256:
        (folder / name).write_bytes(b"not what was pinned")
    with pytest.raises(TalkshowError, match=r"model.bin does not match the SHA-256 talkshow pins.*fetch it again"):
        whisper_dir(folder=tmp_path)


@pytest.mark.parametrize(
    ("decoded", "kept"),
    [
        # the decoder looping on one token, heard in the brain's spoken dev set: "Who discovered penicillin?"
        ("Who this convent pennies a l l l l l l l l l l l l", "Who this convent pennies a l"),
        ("very very very very very good", "very good"),
        ("What is it? What is it? What is", "What is it?"),  # a sentence again, and its cut tail
        ("No no no no, listen.", "No no no no, listen."),  # a person says a word four times; that is kept
        ("I had a a cat.", "I had a a cat."),
    ],
)
def test_a_decoder_loop_is_cut_to_what_was_said_once(decoded: str, kept: str) -> None:
    assert without_repeats(decoded) == kept
