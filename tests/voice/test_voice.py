from pathlib import Path

import numpy as np
import pytest

from support.spoken import pitch_hz
from talkshow.config import default_cast
from talkshow.core.cast import VoiceSettings
from talkshow.core.errors import UnknownVoiceError
from talkshow.telemetry.events import MemorySink, Telemetry
from talkshow.voice.cache import SpeechCache
from talkshow.voice.service import SpeechService
from talkshow.voice.textclean import clean_for_speech

# times nothing: make test runs it beside the solo tier, on the CPU those two workers leave idle
pytestmark = pytest.mark.beside


def test_espeak_speaks_with_phoneme_timings(tmp_path: Path) -> None:
    service = SpeechService(48_000, SpeechCache(tmp_path), Telemetry())
    espeak = VoiceSettings(engine="espeak", voice="en-us+m3", pitch=38, rate=168)
    speech = service.speak(espeak, "Why is there a lambo in the room?")
    assert speech.sample_rate == 48_000
    assert 1.0 < speech.duration < 4.0
    assert np.abs(speech.samples).max() > 3000  # real audio, not silence
    starts = [p.start for p in speech.phonemes]
    assert starts == sorted(starts) and len(speech.phonemes) > 15
    assert speech.phonemes[-1].end <= speech.duration + 1 / 22_050  # within one native sample
    assert {"M", "B"} & {p.phone for p in speech.phonemes}  # "lambo" has closed-lip phones
    assert len(speech.words) >= 6  # espeak joins some small words into one event ("in the"); how many depends on
    # what it spoke before in this process (it keeps state between syntheses)


def test_cast_voices_are_clearly_different() -> None:
    """One neural voice, two people: Wendell sits 8 semitones (x1.59) above Duke, and speaks faster.

    The autocorrelation estimate is coarse and the voice is stochastic; measured ratios were
    1.5-1.53, so the bound asks for 6 semitones (x1.41). Their formants: tests/voice/test_formants.py.
    """
    service = SpeechService(48_000, None, Telemetry())
    text = "I think this is a very good idea. Why is there a lambo in the room? Nobody knows."
    duke, wendell = (service.speak(m.voice, text) for m in default_cast())
    assert pitch_hz(wendell.samples, 48_000) > 1.41 * pitch_hz(duke.samples, 48_000)
    assert wendell.duration < 0.95 * duke.duration


def test_speech_is_cached_on_disk(tmp_path: Path) -> None:
    sink = MemorySink()
    service = SpeechService(48_000, SpeechCache(tmp_path), Telemetry([sink]))
    first = service.speak(default_cast()[1].voice, "Is that legal?")
    second = SpeechService(48_000, SpeechCache(tmp_path), Telemetry([sink])).speak(
        default_cast()[1].voice, "Is that legal?"
    )
    assert np.array_equal(first.samples, second.samples)
    assert second.phonemes == first.phonemes
    assert len(sink.of_kind("tts_done")) == 1 and len(sink.of_kind("tts_cached")) == 1


def test_emoji_and_markup_are_not_spoken() -> None:
    assert clean_for_speech("Hello 🚗🔥 *world* <b>now</b> (sighs)!") == "Hello world now!"


def test_unknown_voice_is_named() -> None:
    with pytest.raises(UnknownVoiceError, match="xx-nowhere"):
        SpeechService(48_000, None, Telemetry()).check(VoiceSettings(voice="xx-nowhere"))


def test_talkshow_voices_says_which_engines_work_and_why_the_others_do_not(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from talkshow.cli import main

    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("ELEVENLABS_API_KEY", raising=False)
    assert main(["voices"]) == 0
    out = capsys.readouterr().out
    assert "duke       piper:joe" in out and "(fallback espeak:en-us+m3)" in out
    assert "piper (onnxruntime-" in out and "available" in out
    assert "openai: unavailable: set OPENAI_API_KEY" in out
    assert "elevenlabs: unavailable: set ELEVENLABS_API_KEY" in out
    monkeypatch.setenv("ELEVENLABS_API_KEY", "xi-test")
    assert main(["voices"]) == 0
    assert "elevenlabs (v1): available" in capsys.readouterr().out
