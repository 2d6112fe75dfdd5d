"""OpenAI and ElevenLabs voices against local servers speaking those vendors' real protocols."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from support.tts_servers import SpeechVendor
from talkshow.core.cast import VoiceSettings
from talkshow.lipsync.lip_sync import LipSync
from talkshow.telemetry.events import MemorySink, Telemetry
from talkshow.voice.cache import SpeechCache
from talkshow.voice.service import SpeechService

TEXT = "The lambo is parked outside. Nobody knows why!"
ESPEAK_FALLBACK = VoiceSettings(engine="espeak", voice="en-us+m3")


@pytest.fixture
def keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEST_TTS_KEY", "sk-test-123")


@pytest.fixture
def vendors() -> Iterator[list[SpeechVendor]]:
    started: list[SpeechVendor] = []
    yield started
    for vendor in started:
        vendor.close()


def _voice(vendor: SpeechVendor, engine: str, voice: str, **options: object) -> VoiceSettings:
    opts = {"base_url": vendor.url, "api_key_env": "TEST_TTS_KEY", "timeout_s": 2.0, **options}
    return VoiceSettings(engine=engine, voice=voice, options=opts, fallback=ESPEAK_FALLBACK)


def test_openai_speech_streams_sentence_by_sentence_and_bills_characters(
    keys: None, vendors: list[SpeechVendor]
) -> None:
    vendor = SpeechVendor("openai")
    vendors.append(vendor)
    sink = MemorySink()
    service = SpeechService(48_000, None, Telemetry([sink]))
    chunks = list(service.stream(_voice(vendor, "openai", "nova", model="tts-1"), TEXT))

    assert [c.text for c in chunks] == ["The lambo is parked outside.", " Nobody knows why!"]
    path, headers, body = vendor.requests[0]
    assert path == "/v1/audio/speech" and headers["Authorization"] == "Bearer sk-test-123"
    assert body == {"model": "tts-1", "input": "The lambo is parked outside.", "voice": "nova",
                    "response_format": "pcm", "speed": 1.0}  # fmt: skip
    speech = service.speak(_voice(vendor, "openai", "nova", model="tts-1"), TEXT)
    assert 1.5 < speech.duration < 6 and np.abs(speech.samples).max() > 3000
    assert speech.phonemes == ()  # the API gives no timings: lip sync aligns against the text
    cues, method = LipSync().cues_by(speech)
    assert method == "aligned" and len({c.shape for c in cues}) >= 5
    (first, *_), done = sink.of_kind("tts_first_audio"), sink.of_kind("tts_done")[0]
    assert first.fields["engine"] == "openai" and first.fields["ms"] < done.fields["ms"]
    billed = sink.of_kind("tts_engine_done")[0].fields
    assert billed["engine"] == "openai" and billed["billed_chars"] == len(TEXT) and 0 < billed["rtf"] < 5


def test_a_429_is_retried_after_its_retry_after_and_a_500_too(keys: None, vendors: list[SpeechVendor]) -> None:
    vendor = SpeechVendor("openai", script=lambda n: {1: 429, 2: 500}.get(n, "ok"), retry_after="1")
    vendors.append(vendor)
    sink = MemorySink()
    service = SpeechService(48_000, None, Telemetry([sink]), attempts=3)
    started = time.perf_counter()
    speech = service.speak(_voice(vendor, "openai", "alloy"), "Hello there.")
    assert time.perf_counter() - started >= 1.0, "waited the 429's Retry-After"
    assert len(vendor.requests) == 3 and speech.duration > 0.5
    errors = [e.fields["error"] for e in sink.of_kind("tts_error")]
    assert "rate limit (429)" in errors[0] and "server error 500" in errors[1]
    assert sink.of_kind("tts_done")[0].fields["engine"] == "openai"


def test_a_refused_key_is_not_retried_and_the_fallback_voice_speaks_uncached(
    keys: None, vendors: list[SpeechVendor], tmp_path: Path
) -> None:
    vendor = SpeechVendor("openai", script=lambda n: 401)
    vendors.append(vendor)
    sink = MemorySink()
    service = SpeechService(48_000, SpeechCache(tmp_path), Telemetry([sink]))
    speech = service.speak(_voice(vendor, "openai", "alloy"), "Is anybody there?")
    assert len(vendor.requests) == 1, "a refused key is not retried"
    assert speech.phonemes, "espeak-ng (the fallback) spoke, with its timings"
    assert sink.of_kind("tts_done")[0].fields["engine"] == "espeak"
    assert "refused the key (401)" in sink.of_kind("tts_error")[0].fields["error"]
    assert not list(tmp_path.rglob("*.npz")), "a fallback's audio is not cached as the OpenAI voice"


def test_a_hung_server_times_out_and_the_line_still_speaks(keys: None, vendors: list[SpeechVendor]) -> None:
    vendor = SpeechVendor("elevenlabs", script=lambda n: "hang")
    vendors.append(vendor)
    service = SpeechService(48_000, None, Telemetry(), attempts=2)
    started = time.perf_counter()
    speech = service.speak(_voice(vendor, "elevenlabs", "voice123", timeout_s=0.5), "Still here.")
    elapsed = time.perf_counter() - started
    assert len(vendor.requests) == 2 and speech.duration > 0.3
    assert elapsed < 0.5 * 2 + 2.0, f"two timeouts of 0.5 s then espeak took {elapsed:.1f} s"


@pytest.mark.parametrize("streaming", [False, True])
def test_elevenlabs_character_times_become_phonemes_and_words(
    keys: None, vendors: list[SpeechVendor], streaming: bool
) -> None:
    vendor = SpeechVendor("elevenlabs")
    vendors.append(vendor)
    settings = _voice(vendor, "elevenlabs", "21m00Tcm4TlvDq8ikWAM", streaming=streaming, stability=0.4)
    speech = SpeechService(48_000, None, Telemetry()).speak(settings, TEXT)

    path, headers, body = vendor.requests[0]
    suffix = "stream/with-timestamps" if streaming else "with-timestamps"
    assert path == f"/v1/text-to-speech/21m00Tcm4TlvDq8ikWAM/{suffix}?output_format=pcm_24000"
    assert headers["xi-api-key"] == "sk-test-123"
    assert body == {"text": "The lambo is parked outside.", "model_id": "eleven_flash_v2_5",
                    "voice_settings": {"stability": 0.4}}  # fmt: skip
    assert [speech.text[w.char_start : w.char_end] for w in speech.words] == TEXT.replace(".", "").replace(
        "!", ""
    ).split()
    starts = [p.start for p in speech.phonemes]
    assert starts == sorted(starts) and speech.phonemes[-1].end <= speech.duration + 0.01
    assert {"M", "B"} <= {p.phone for p in speech.phonemes}, "'lambo' closes the lips"
    second = next(w for w in speech.words if speech.text[w.char_start : w.char_end] == "Nobody")
    assert second.start > 1.0, "the second sentence's times are offset by the first's audio"


def test_a_voice_whose_model_file_is_damaged_falls_back_and_the_line_is_spoken(tmp_path: Path) -> None:
    from support.tiny_models import build_piper

    model = build_piper(tmp_path)
    model.write_bytes(b"not an onnx model at all")
    sink = MemorySink()
    service = SpeechService(48_000, SpeechCache(tmp_path / "cache"), Telemetry([sink]))
    speech = service.speak(VoiceSettings(engine="piper", voice=str(model), fallback=ESPEAK_FALLBACK), "Still on air.")
    assert speech.duration > 0.4 and speech.phonemes
    assert "is not an ONNX voice model" in sink.of_kind("tts_error")[0].fields["error"]
    assert sink.of_kind("tts_done")[0].fields["engine"] == "espeak"


def test_elevenlabs_websocket_speaks_text_that_is_still_being_written(keys: None) -> None:
    from support.tts_servers import ElevenLabsSocketServer

    server = ElevenLabsSocketServer()
    try:
        settings = VoiceSettings(
            engine="elevenlabs",
            voice="vid",
            options={"base_url": server.url, "api_key_env": "TEST_TTS_KEY", "websocket": True, "stability": 0.5},
        )
        speech = SpeechService(48_000, None, Telemetry()).speak(settings, TEXT)
        path, headers = server.connections[0]
        assert path == "/v1/text-to-speech/vid/stream-input?model_id=eleven_flash_v2_5&output_format=pcm_24000"
        assert headers["xi-api-key"] == "sk-test-123"
        assert server.messages == [
            {"text": " ", "voice_settings": {"stability": 0.5}},
            {"text": "The lambo is parked outside. ", "flush": True},
            {"text": "Nobody knows why! ", "flush": True},
            {"text": ""},
        ]
        spoken = [speech.text[w.char_start : w.char_end] for w in speech.words]
        assert spoken == ["The", "lambo", "is", "parked", "outside", "Nobody", "knows", "why"]
        assert {"M", "B"} <= {p.phone for p in speech.phonemes}
        starts = [p.start for p in speech.phonemes]
        assert starts == sorted(starts) and speech.words[5].start > 1.0

        # A reply still being written: the first audio arrives before the writer has finished.
        from talkshow.voice.elevenlabs import ElevenLabsEngine

        written_at: list[float] = []

        def writer() -> Iterator[str]:
            for piece in ["Hold on. ", "Let me think about that. ", "Yes."]:
                written_at.append(time.perf_counter())
                yield piece
                time.sleep(0.6)

        chunks = ElevenLabsEngine().voice(settings).stream_pieces(writer())
        first = next(chunks)
        first_at = time.perf_counter()
        rest = list(chunks)
        assert first.text == "Hold on." and first_at < written_at[-1], "audio came while the text was being written"
        assert "".join(c.text for c in [first, *rest]) == "Hold on. Let me think about that. Yes."
    finally:
        server.close()


def test_elevenlabs_websocket_refusing_the_key_falls_back_without_retrying(
    keys: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from support.tts_servers import ElevenLabsSocketServer

    server = ElevenLabsSocketServer(key="another-key")
    try:
        sink = MemorySink()
        settings = _voice(server, "elevenlabs", "vid", websocket=True)  # type: ignore[arg-type]
        speech = SpeechService(48_000, None, Telemetry([sink])).speak(settings, "Hello there.")
        assert len(server.connections) == 1 and speech.phonemes
        assert "(1008)" in sink.of_kind("tts_error")[0].fields["error"]
        assert sink.of_kind("tts_done")[0].fields["engine"] == "espeak"
    finally:
        server.close()


def test_elevenlabs_websocket_that_goes_quiet_times_out_and_the_line_still_speaks(keys: None) -> None:
    from support.tts_servers import ElevenLabsSocketServer

    server = ElevenLabsSocketServer(hang=True)
    try:
        settings = _voice(server, "elevenlabs", "vid", websocket=True, timeout_s=0.5)  # type: ignore[arg-type]
        started = time.perf_counter()
        speech = SpeechService(48_000, None, Telemetry(), attempts=2).speak(settings, "Anyone there?")
        assert len(server.connections) == 2 and speech.phonemes, "retried once, then espeak-ng spoke"
        assert time.perf_counter() - started < 2 * 0.5 + 2.0
    finally:
        server.close()


def test_a_voicing_that_times_out_is_waited_for_not_started_again(
    keys: None, vendors: list[SpeechVendor], tmp_path: Path
) -> None:
    """The first speech request hangs past the preparer's deadline. The retry waits on the same call
    instead of sending another request behind it; when the vendor lets go (it drops that connection, and
    the voice asks again), the line airs."""
    from dataclasses import replace

    from support.small_shows import small_config
    from talkshow.show.prepare import TurnPreparer
    from talkshow.stage.builder import build_stage

    vendor = SpeechVendor("openai", script=lambda n: "hang" if n == 1 else "ok")
    vendors.append(vendor)
    config = small_config(tmp_path, turns=1)
    voice = _voice(vendor, "openai", "nova", model="tts-1", timeout_s=10.0)
    config = replace(config, cast=tuple(replace(m, voice=voice) for m in config.cast), cache_dir=None)
    sink = MemorySink()
    speech = SpeechService(48_000, None, Telemetry([sink]))
    # The deadline is each attempt's: the retry after the vendor lets go must voice, align and draw within it,
    # and under three test workers on two cores 1 s was sometimes not enough (the turn was skipped).
    deadline_s = 2.0
    with TurnPreparer(
        config, build_stage(config), speech, LipSync(), Telemetry([sink]), prepare_timeout_s=deadline_s
    ) as p:
        p.start()
        deadline = time.monotonic() + 20
        while not sink.of_kind("turn_error"):  # the first attempt timed out on the hung request
            assert time.monotonic() < deadline
            time.sleep(0.02)
        time.sleep(0.3)  # a retry that started another voicing would have sent its request by now
        during_the_hang = len(vendor.requests)
        vendor.release.set()
        turn = p.next_turn(timeout=20)
    assert during_the_hang == 1, f"{during_the_hang} requests were sent while the first one hung"
    assert turn is not None and turn.index == 0 and not sink.of_kind("turn_skipped"), "the line aired"
