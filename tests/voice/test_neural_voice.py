"""The embedded Piper voice, user-supplied Piper and Kokoro files, the SHA-256 pin, and streaming."""

from __future__ import annotations

import os
import shutil
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from support.tiny_models import FRAMES_PER_ID, HOP, KOKORO_SAMPLES_PER_TOKEN, build_kokoro, build_piper
from talkshow.config import default_cast
from talkshow.core.cast import VoiceSettings
from talkshow.core.errors import ShowFileError, UnknownVoiceError, VoiceError
from talkshow.core.kinds.voice import Speech, Voice, VoiceInfo, join_speech
from talkshow.show_check import load_show
from talkshow.telemetry.events import MemorySink, Telemetry
from talkshow.voice.embedded import EMBEDDED_VOICES, embedded_files, verify_file
from talkshow.voice.onnx_vits import VitsModel
from talkshow.voice.piper import MAX_IDS_PER_RUN, VOICE_THREADS, PiperEngine, voice_threads
from talkshow.voice.service import SpeechService

TEXT = "Why is there a lambo in the room? Nobody knows. It was there yesterday, too."


def test_the_embedded_voice_times_every_phoneme_from_its_own_durations() -> None:
    duke = default_cast()[0].voice
    speech = SpeechService(48_000, None, Telemetry()).speak(duke, TEXT)
    assert duke.engine == "piper" and duke.voice == "joe"
    assert 3.0 < speech.duration < 9.0 and np.abs(speech.samples).max() > 3000
    starts = [p.start for p in speech.phonemes]
    assert starts == sorted(starts) and all(p.end > p.start for p in speech.phonemes)
    gaps = [abs(a.end - b.start) for a, b in zip(speech.phonemes, speech.phonemes[1:], strict=False)]
    assert max(gaps) < 1e-3, "contiguous (sentences join within a resampled sample)"
    assert speech.phonemes[0].start == 0.0 and abs(speech.phonemes[-1].end - speech.duration) < 0.002
    assert {"M", "B"} <= {p.phone for p in speech.phonemes}, "'lambo' closes the lips"
    spoken = [speech.text[w.char_start : w.char_end] for w in speech.words]
    assert spoken == ["Why", "is", "there", "a", "lambo", "in", "the", "room", "Nobody", "knows", "It", "was",
                      "there", "yesterday", "too"]  # fmt: skip


def test_the_embedded_voice_runs_on_both_cores_and_its_idle_workers_sleep() -> None:
    cores = os.sched_getaffinity(0)
    try:
        os.sched_setaffinity(0, set(sorted(cores)[:1]))
        assert voice_threads() == 1, "pinned to one core, a second thread would only wait"
    finally:
        os.sched_setaffinity(0, cores)
    assert voice_threads() == min(VOICE_THREADS, len(cores)) and VOICE_THREADS == 2
    voice = PiperEngine().voice(VoiceSettings(engine="piper", voice="joe"))
    options = voice.model.session.get_session_options()
    assert options.intra_op_num_threads == voice_threads(), "a caller waits on the first sentence"
    assert options.get_session_config_entry("session.intra_op.allow_spinning") == "0", "the frame loop's core"


def test_a_voice_file_that_does_not_match_its_pin_is_refused_by_name(tmp_path: Path) -> None:
    model, _ = embedded_files("joe")
    copy = tmp_path / model.name
    shutil.copyfile(model, copy)
    verify_file(copy, EMBEDDED_VOICES["joe"].model_sha256)  # the real bytes pass
    with copy.open("r+b") as handle:
        handle.seek(1000)
        handle.write(b"\x00\x01")
    with pytest.raises(VoiceError, match=rf"{copy.name} does not match the SHA-256 talkshow pins: expected 58afce"):
        verify_file(copy, EMBEDDED_VOICES["joe"].model_sha256)


def test_a_user_piper_voice_file_loads_with_its_durations_exposed(tmp_path: Path) -> None:
    path = build_piper(tmp_path, speakers={"alice": 0, "bob": 1})
    model = VitsModel(path)
    assert model.has_durations
    result = model.run([1, 2, 3, 4], 1.0, 0.667, 0.8, speaker=1)
    assert result.id_samples is not None and list(result.id_samples) == [FRAMES_PER_ID * HOP] * 4
    assert len(result.audio) == 4 * FRAMES_PER_ID * HOP

    settings = VoiceSettings(engine="piper", voice=str(path), options={"speaker": "bob"})
    speech = SpeechService(22_050, None, Telemetry()).speak(settings, "Hello there.")
    assert abs(speech.phonemes[-1].end - speech.duration) < 1e-3 and len(speech.words) == 2
    with pytest.raises(UnknownVoiceError, match="speakers: \\['alice', 'bob'\\]"):
        SpeechService(22_050, None, Telemetry(), last_resort=None).check(
            VoiceSettings(engine="piper", voice=str(path), options={"speaker": "carol"})
        )


def test_a_show_file_naming_a_missing_voice_says_file_line_and_the_voices_there_are(tmp_path: Path) -> None:
    show = tmp_path / "show.toml"
    show.write_text(
        'topic = "x"\n[[cast]]\ncharacter = "duke"\n[cast.voice]\nengine = "piper"\nvoice = "jim"\n'
        '[[cast]]\ncharacter = "wendell"\n'
    )
    with pytest.raises(ShowFileError, match=r"show.toml:6: unknown piper voice 'jim'; voices: joe, or a .onnx"):
        load_show(show)
    show.write_text(show.read_text().replace('"jim"', '"voices/mine.onnx"'))
    with pytest.raises(ShowFileError, match=r"show.toml:6: .*mine.onnx.*no such model file"):
        load_show(show)
    build_piper(tmp_path)
    show.write_text(show.read_text().replace('"voices/mine.onnx"', '"tiny-voice.onnx"'))
    config = load_show(show)  # relative to the show file
    assert config.cast[0].voice.voice == str(tmp_path / "tiny-voice.onnx")


def test_kokoro_files_load_and_feed_tokens_style_and_speed(tmp_path: Path) -> None:
    model, voices, config = build_kokoro(tmp_path)
    options = {"model": str(model), "voices": str(voices), "config": str(config)}
    service = SpeechService(24_000, None, Telemetry(), last_resort=None)
    chunks = list(service.stream(VoiceSettings(engine="kokoro", voice="af_test", options=options), "Hi there. Bye."))
    assert [c.text for c in chunks] == ["Hi there.", " Bye."]
    assert all(len(c.samples) % KOKORO_SAMPLES_PER_TOKEN == 0 and len(c.samples) > 0 for c in chunks)
    with pytest.raises(UnknownVoiceError, match="voices: af_test"):
        service.check(VoiceSettings(engine="kokoro", voice="am_nobody", options=options))
    with pytest.raises(UnknownVoiceError, match="options voices must name existing files"):
        service.check(VoiceSettings(engine="kokoro", voice="af_test", options={**options, "voices": "nope.bin"}))


def test_the_first_sentence_is_handed_on_before_the_last_is_synthesized() -> None:
    engine = PiperEngine()
    model, _ = engine.load("joe")
    runs: list[float] = []
    original = model.run

    def counting(*args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        runs.append(time.perf_counter())
        return original(*args, **kwargs)  # type: ignore[arg-type]

    model.run = counting  # type: ignore[method-assign]
    sink = MemorySink()
    service = SpeechService(48_000, None, Telemetry([sink]), engines={"piper": lambda: engine})
    stream = service.stream(default_cast()[1].voice, TEXT)
    first = next(stream)
    assert len(runs) == 1 and first.text == "Why is there a lambo in the room?"
    rest = list(stream)
    assert len(runs) == 3 and "".join(c.text for c in [first, *rest]) == TEXT
    first_ms = sink.of_kind("tts_first_audio")[0].fields["ms"]
    done_ms = sink.of_kind("tts_done")[0].fields["ms"]
    assert first_ms < 0.7 * done_ms, (first_ms, done_ms)


LONG = (
    "Honestly, if you think the sandwich was invented by an earl who could not stop playing cards, you have never"
    " met my grandmother, who put bread around everything she could find, from cheese to cold potatoes."
)


def test_a_long_sentence_is_voiced_a_few_clauses_at_a_time_and_airs_whole() -> None:
    engine = PiperEngine()
    model, _ = engine.load("joe")
    run_ids: list[int] = []
    original = model.run

    def counting(ids: list[int], *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        run_ids.append(len(ids))
        return original(ids, *args, **kwargs)  # type: ignore[arg-type]

    model.run = counting  # type: ignore[method-assign]
    service = SpeechService(48_000, None, Telemetry(), engines={"piper": lambda: engine})
    chunks = list(service.stream(default_cast()[0].voice, LONG))
    assert len(chunks) == len(run_ids) >= 3, "one sentence, voiced in runs of clauses"
    for ids, chunk in zip(run_ids, chunks, strict=True):
        assert ids <= MAX_IDS_PER_RUN or "," not in chunk.text.strip()[:-1], "only a clause alone may be longer"
    assert "".join(c.text for c in chunks) == LONG
    assert all(c.text.rstrip().endswith((",", ".")) for c in chunks), "runs end where a clause ends"
    whole = join_speech(chunks)
    spoken = [whole.text[w.char_start : w.char_end] for w in whole.words]
    assert spoken == LONG.replace(",", "").rstrip(".").split()
    gaps = [b.start - a.end for a, b in zip(whole.words, whole.words[1:], strict=False)]
    assert max(gaps) < 0.6, "runs join with the pause a comma makes, not a hole"


def test_lines_voiced_in_parallel_air_in_order_when_a_later_one_finishes_first(tmp_path: Path) -> None:
    from talkshow.config import show_from_topic
    from talkshow.lipsync.lip_sync import LipSync
    from talkshow.show.prepare import TurnPreparer
    from talkshow.stage.builder import build_stage

    config = show_from_topic("order", turns=4)
    engine = PiperEngine()
    slow_first = threading.Event()

    class SlowFirstLine:
        """The real embedded voice; the first line asked for takes 3 s longer to voice (line 0 or line 1: the
        two are voiced in parallel, and either thread may ask first)."""

        def version(self) -> str:
            return engine.version()

        name = "piper"

        def list_voices(self) -> list[VoiceInfo]:
            return []

        def voice(self, settings: VoiceSettings) -> Voice:
            inner = engine.voice(settings)

            class SlowVoice:
                def synthesize(self, text: str) -> Speech:
                    if not slow_first.is_set():
                        slow_first.set()
                        time.sleep(3.0)  # 1.5 s was not enough once on loaded cores (seed 314017598)
                    return inner.synthesize(text)

            return SlowVoice()

    sink = MemorySink()
    speech = SpeechService(
        48_000, None, Telemetry([sink]), engines={"piper": lambda: SlowFirstLine(), "espeak": lambda: engine}
    )
    stage = build_stage(config)
    with TurnPreparer(config, stage, speech, LipSync(), Telemetry([sink])) as preparer:
        preparer.start()
        turns = [preparer.next_turn(timeout=60) for _ in range(4)]
    assert [t.index for t in turns if t is not None] == [0, 1, 2, 3]
    done = [e.fields["turn"] for e in sink.of_kind("tts_done")]
    assert done != sorted(done), f"the slowed line held back the lines after it: they were voiced in order, {done}"


def test_a_file_hashed_to_its_pin_is_not_read_again_until_it_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every load hashed every model (0.4-0.7 s of CPU a show start); a file's stamp now says it was hashed."""
    model, _ = embedded_files("joe")
    monkeypatch.setattr("talkshow.model_files.VERIFIED_DIR", tmp_path / "verified")
    copy = tmp_path / model.name
    shutil.copyfile(model, copy)
    pin = EMBEDDED_VOICES["joe"].model_sha256
    verify_file(copy, pin)
    assert len(list((tmp_path / "verified").glob("*.json"))) == 1
    opened: list[Path] = []
    real_open = Path.open

    def watched_open(self: Path, *args: Any, **kwargs: Any) -> Any:
        opened.append(self)
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", watched_open)
    verify_file(copy, pin)
    assert copy not in opened, "an unchanged file was read again"
    with pytest.raises(VoiceError, match="does not match"):
        verify_file(copy, "0" * 64)  # another pin is another stamp: hashed, and refused
    with copy.open("r+b") as handle:  # the same size, the same inode: the change time tells
        handle.seek(1000)
        handle.write(b"\x00\x01")
    with pytest.raises(VoiceError, match="does not match"):
        verify_file(copy, pin)
