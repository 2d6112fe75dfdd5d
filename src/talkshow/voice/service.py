"""The voice stage: a line of text in, show-rate speech with timings out, sentence by sentence.

Every synthesis goes through here: the cache, a bounded retry, the character's fallback
voice and then espeak-ng as the last resort, and per-engine telemetry (time to first
audio, real-time factor, characters, characters billed, errors).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Generator, Iterator, Mapping

from talkshow.audio import resample
from talkshow.core.cast import VoiceSettings
from talkshow.core.errors import NothingToSayError, UnknownVoiceError, VoiceError
from talkshow.core.kinds.voice import Speech, Voice, VoiceEngine, join_speech
from talkshow.telemetry.events import Telemetry
from talkshow.voice.cache import SpeechCache
from talkshow.voice.registry import ENGINES
from talkshow.voice.textclean import clean_for_speech

logger = logging.getLogger(__name__)

__all__ = ["LAST_RESORT", "MAX_SPEECH_CHARS", "WARM_UP_TEXT", "SpeechService"]

WARM_UP_TEXT = "Hello."  # what ``warm`` says with each voice before the clock runs

MAX_SPEECH_CHARS = 600
LAST_RESORT = VoiceSettings(engine="espeak", voice="en-us")  # always installed, never needs a network


class SpeechService:
    """Cleans text, consults the cache, synthesizes (with retry and fallback) and resamples to the show rate."""

    def __init__(
        self,
        sample_rate: int,
        cache: SpeechCache | None,
        telemetry: Telemetry,
        engines: Mapping[str, Callable[[], VoiceEngine]] = ENGINES,
        attempts: int = 2,
        last_resort: VoiceSettings | None = LAST_RESORT,
    ) -> None:
        self.sample_rate = sample_rate
        self.engines = engines
        self.cache = cache
        self.telemetry = telemetry
        self.attempts = attempts
        self.last_resort = last_resort
        self._engines: dict[str, VoiceEngine] = {}
        self._voices: dict[str, Voice] = {}
        self._versions: dict[str, str] = {}

    def __enter__(self) -> SpeechService:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close every voice that holds a connection or a model (an HTTP voice's client, say)."""
        voices, self._voices = list(self._voices.values()), {}
        for voice in voices:
            close = getattr(voice, "close", None)
            if close is not None:
                try:
                    close()
                except Exception as exc:  # closing one must not keep the others open
                    logger.warning("closing a voice failed: %s", exc)

    def engine(self, name: str) -> VoiceEngine:
        """The engine called ``name``; raises VoiceError for an unknown engine."""
        if name not in self._engines:
            if name not in self.engines:
                raise VoiceError(f"unknown voice engine {name!r}; engines: {', '.join(self.engines)}")
            self._engines[name] = self.engines[name]()
        return self._engines[name]

    def check(self, settings: VoiceSettings) -> None:
        """Raise VoiceError now if ``settings`` (or its fallback) names a missing engine or voice."""
        current: VoiceSettings | None = settings
        while current is not None:
            check = getattr(self.engine(current.engine), "check", None)
            if check is not None:  # the engine can tell without loading a model
                check(current)
            else:
                self._voice(current)
            current = current.fallback

    def warm(self, voices: list[VoiceSettings]) -> None:
        """Load ``voices`` (and their fallbacks) and speak one word with each, so the first line is fast.

        A voice that cannot load is logged, not raised: its line will fall back when it comes.
        """
        for settings in voices:
            current: VoiceSettings | None = settings
            while current is not None:
                try:
                    _chunks(self._voice(current), WARM_UP_TEXT).__next__()
                except Exception as exc:  # reported here; the line itself falls back later
                    logger.warning("voice %s did not load: %s", current.describe(), exc)
                current = current.fallback

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
        """The whole line at the show's sample rate; ``context`` tags telemetry."""
        chunks = list(self.stream(settings, text, **context))
        return chunks[0] if len(chunks) == 1 else join_speech(chunks)

    def stream(self, settings: VoiceSettings, text: str, **context: object) -> Iterator[Speech]:
        """The line sentence by sentence at the show rate, each chunk as soon as it exists.

        The chunks' texts join to the cleaned line. A voice that fails is retried, then
        the character's fallback voice (and finally espeak-ng) speaks what is left.
        """
        spoken = clean_for_speech(text)
        if not spoken:
            raise NothingToSayError(f"nothing speakable in {text[:60]!r}")
        if len(spoken) > MAX_SPEECH_CHARS:
            raise VoiceError(f"line too long to speak ({len(spoken)} chars, limit {MAX_SPEECH_CHARS})")
        key = self._cache_key(settings, spoken)
        cached = self.cache.get(key) if self.cache is not None and key is not None else None
        if cached is not None:
            self.telemetry.emit("tts_cached", chars=len(spoken), audio_s=round(cached.duration, 3), **context)
            yield cached
            return
        run = _Run(spoken, time.perf_counter())
        failures: list[str] = []
        for candidate in self._chain(settings):
            if run.done_chars and not spoken[run.done_chars :].strip():
                break
            if (yield from self._try_voice(candidate, run, failures, context)):
                break
        else:
            raise VoiceError(f"no voice could speak {spoken[:40]!r}: {'; '.join(failures)}")
        speech = join_speech(run.chunks)
        used = run.engines
        self.telemetry.emit(
            "tts_done",
            engine="+".join(used),
            ms=round((time.perf_counter() - run.started) * 1000, 3),
            chars=len(spoken),
            audio_s=round(speech.duration, 3),
            **context,
        )
        if self.cache is not None and key is not None and used == [settings.engine] and not failures:
            self.cache.put(key, speech)

    def _chain(self, settings: VoiceSettings) -> Iterator[VoiceSettings]:
        seen: set[str] = set()
        current: VoiceSettings | None = settings
        while current is not None:
            if current.cache_key() not in seen:
                seen.add(current.cache_key())
                yield current
            current = current.fallback
        if self.last_resort is not None and self.last_resort.cache_key() not in seen:
            yield self.last_resort

    def _try_voice(
        self, settings: VoiceSettings, run: _Run, failures: list[str], context: dict[str, object]
    ) -> Generator[Speech, None, bool]:
        """Speak what is left of the line with ``settings``, chunk by chunk; True when it all came out."""
        for attempt in range(1, self.attempts + 1):
            remaining = run.text[run.done_chars :]
            try:
                voice = self._voice(settings)
                self.telemetry.emit("tts_start", engine=settings.engine, chars=len(remaining), **context)
                started = time.perf_counter()
                for native in _chunks(voice, remaining):
                    chunk = self._to_show_rate(native)
                    run.add(native, chunk, settings.engine, self.telemetry, context)
                    yield chunk
                self._record_done(settings, remaining, started, run)
                return True
            except Exception as exc:  # an engine's own failure is mapped here, so callers see one error type
                error = exc if isinstance(exc, VoiceError) else VoiceError(f"{type(exc).__name__}: {exc}")
                failures.append(f"{settings.describe()}: {error}")
                self.telemetry.emit(
                    "tts_error", engine=settings.engine, voice=settings.voice, attempt=attempt, error=str(error)
                )
                logger.warning("%s failed (attempt %d): %s", settings.describe(), attempt, error)
                if isinstance(exc, UnknownVoiceError) or not getattr(exc, "retryable", True):
                    return False
                time.sleep(min(float(getattr(exc, "retry_after_s", 0.0)), 2.0))
        return False

    def _record_done(self, settings: VoiceSettings, text: str, started: float, run: _Run) -> None:
        seconds = time.perf_counter() - started
        audio_s = run.audio_s_by_engine.get(settings.engine, 0.0)
        engine = self._engines.get(settings.engine)
        billed = len(text) if getattr(engine, "paid", False) else 0
        self.telemetry.emit(
            "tts_engine_done",
            engine=settings.engine,
            chars=len(text),
            billed_chars=billed,
            rtf=round(seconds / audio_s, 4) if audio_s else 0.0,
        )

    def _to_show_rate(self, native: Speech) -> Speech:
        return Speech(
            samples=resample(native.samples, native.sample_rate, self.sample_rate),
            sample_rate=self.sample_rate,
            text=native.text,
            phonemes=native.phonemes,
            words=native.words,
        )

    def _cache_key(self, settings: VoiceSettings, spoken: str) -> str | None:
        """The line's cache key; None without a cache, or when the engine cannot even say its version
        (then the voice will fail and fall back, and nothing is cached)."""
        if self.cache is None:
            return None
        try:
            version = self._versions.get(settings.engine) or self.engine(settings.engine).version()
        except Exception:  # the failure itself is reported when the voice is tried
            return None
        return self.cache.key(settings.cache_key(), version, spoken, self.sample_rate)


def _chunks(voice: Voice, text: str) -> Iterator[Speech]:
    stream = getattr(voice, "stream", None)
    if stream is None:
        yield voice.synthesize(text)
    else:
        yield from stream(text)


class _Run:
    """One line's synthesis in progress: chunks made so far, by which engines, and its first audio."""

    def __init__(self, text: str, started: float) -> None:
        self.text = text
        self.started = started
        self.chunks: list[Speech] = []
        self.engines: list[str] = []
        self.audio_s_by_engine: dict[str, float] = {}
        self.done_chars = 0

    def add(self, native: Speech, chunk: Speech, engine: str, telemetry: Telemetry, context: dict[str, object]) -> None:
        if not self.chunks:
            ms = round((time.perf_counter() - self.started) * 1000, 3)
            telemetry.emit("tts_first_audio", engine=engine, ms=ms, **context)
        if engine not in self.engines:
            self.engines.append(engine)
        self.audio_s_by_engine[engine] = self.audio_s_by_engine.get(engine, 0.0) + chunk.duration
        self.chunks.append(chunk)
        self.done_chars += len(native.text)
