"""The voice stage: a line of text in, show-rate speech with timings out."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from types import MappingProxyType

from talkshow.audio import resample
from talkshow.config import VoiceSettings
from talkshow.errors import NothingToSayError, TalkshowError, VoiceError
from talkshow.telemetry import Telemetry
from talkshow.voice.cache import SpeechCache
from talkshow.voice.espeak import EspeakEngine
from talkshow.voice.textclean import clean_for_speech
from talkshow.voice.types import Speech, Voice, VoiceEngine

logger = logging.getLogger(__name__)

__all__ = ["ENGINES", "SpeechService"]

ENGINES: Mapping[str, Callable[[], VoiceEngine]] = MappingProxyType({"espeak": EspeakEngine})

MAX_SPEECH_CHARS = 600


class SpeechService:
    """Cleans text, consults the cache, synthesizes and resamples once to the show rate."""

    def __init__(
        self,
        sample_rate: int,
        cache: SpeechCache | None,
        telemetry: Telemetry | None = None,
        engines: Mapping[str, Callable[[], VoiceEngine]] = ENGINES,
    ) -> None:
        self.sample_rate = sample_rate
        self.engines = engines
        self.cache = cache
        self.telemetry = telemetry or Telemetry()
        self._engines: dict[str, VoiceEngine] = {}
        self._voices: dict[str, Voice] = {}
        self._versions: dict[str, str] = {}

    def engine(self, name: str) -> VoiceEngine:
        """The engine called ``name``; raises VoiceError for an unknown engine."""
        if name not in self._engines:
            factory = self.engines.get(name)
            if factory is None:
                raise VoiceError(f"unknown voice engine {name!r}; available: {', '.join(self.engines)}")
            self._engines[name] = factory()
        return self._engines[name]

    def check(self, settings: VoiceSettings) -> None:
        """Raise UnknownVoiceError now if ``settings`` names a missing voice."""
        self._voice(settings)

    def _voice(self, settings: VoiceSettings) -> Voice:
        key = settings.cache_key()
        if key not in self._voices:
            engine = self.engine(settings.engine)
            make = getattr(engine, "voice", None)
            if make is None:
                raise VoiceError(f"voice engine {settings.engine!r} cannot make voices")
            self._voices[key] = make(settings)
            self._versions[settings.engine] = engine.version()
        return self._voices[key]

    def speak(self, settings: VoiceSettings, text: str, **context: object) -> Speech:
        """Speech for ``text`` at the show's sample rate; ``context`` tags telemetry."""
        spoken = clean_for_speech(text)
        if not spoken:
            raise NothingToSayError(f"nothing speakable in {text[:60]!r}")
        if len(spoken) > MAX_SPEECH_CHARS:
            raise VoiceError(f"line too long to speak ({len(spoken)} chars, limit {MAX_SPEECH_CHARS})")
        voice = self._voice(settings)
        key = None
        if self.cache is not None:
            key = self.cache.key(settings.cache_key(), self._versions[settings.engine], spoken, self.sample_rate)
            cached = self.cache.get(key)
            if cached is not None:
                self.telemetry.emit("tts_cached", chars=len(spoken), audio_s=round(cached.duration, 3), **context)
                return cached
        self.telemetry.emit("tts_start", engine=settings.engine, chars=len(spoken), **context)
        started = time.perf_counter()
        try:
            native = voice.synthesize(spoken)
        except TalkshowError:
            raise
        except Exception as exc:  # an engine's own failure, mapped at the boundary so callers see one error type
            raise VoiceError(f"{settings.engine} voice {settings.voice!r} failed: {type(exc).__name__}: {exc}") from exc
        self.telemetry.emit("tts_first_audio", ms=round((time.perf_counter() - started) * 1000, 3), **context)
        speech = Speech(
            samples=resample(native.samples, native.sample_rate, self.sample_rate),
            sample_rate=self.sample_rate,
            text=spoken,
            phonemes=native.phonemes,
            words=native.words,
        )
        self.telemetry.emit(
            "tts_done",
            ms=round((time.perf_counter() - started) * 1000, 3),
            chars=len(spoken),
            audio_s=round(speech.duration, 3),
            **context,
        )
        if self.cache is not None and key is not None:
            self.cache.put(key, speech)
        return speech
