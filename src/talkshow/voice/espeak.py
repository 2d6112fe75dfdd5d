"""espeak-ng through the ``espeakng-loader`` wheel, with phoneme events.

libespeak-ng is loaded with ctypes and initialised with phoneme events turned on, so
every phoneme arrives with its sample position: lip sync needs no guessing.
"""

from __future__ import annotations

import ctypes
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from talkshow.core.cast import VoiceSettings
from talkshow.core.errors import UnknownVoiceError, VoiceError
from talkshow.core.kinds.voice import PhonemeTiming, Speech, VoiceInfo
from talkshow.core.turn import WordTiming
from talkshow.voice.arpabet import PAUSE, espeak_to_arpabet

logger = logging.getLogger(__name__)

__all__ = ["EspeakEngine", "EspeakVoice"]

_AUDIO_OUTPUT_SYNCHRONOUS = 2
_INIT_PHONEME_EVENTS = 0x0001
_INIT_DONT_EXIT = 0x8000
_POS_CHARACTER = 1
_CHARS_UTF8 = 1
_EVENT_LIST_TERMINATED = 0
_EVENT_WORD = 1
_EVENT_PHONEME = 7
_PARAM_RATE, _PARAM_VOLUME, _PARAM_PITCH, _PARAM_RANGE = 1, 2, 3, 4


class _EventId(ctypes.Union):
    _fields_ = [("number", ctypes.c_int), ("name", ctypes.c_char_p), ("string", ctypes.c_char * 8)]


class _Event(ctypes.Structure):
    _fields_ = [
        ("type", ctypes.c_int),
        ("unique_identifier", ctypes.c_uint),
        ("text_position", ctypes.c_int),
        ("length", ctypes.c_int),
        ("audio_position", ctypes.c_int),
        ("sample", ctypes.c_int),
        ("user_data", ctypes.c_void_p),
        ("id", _EventId),
    ]


class _VoiceStruct(ctypes.Structure):
    _fields_ = [
        ("name", ctypes.c_char_p),
        ("languages", ctypes.c_char_p),
        ("identifier", ctypes.c_char_p),
        ("gender", ctypes.c_ubyte),
        ("age", ctypes.c_ubyte),
        ("variant", ctypes.c_ubyte),
        ("xx1", ctypes.c_ubyte),
        ("score", ctypes.c_int),
        ("spare", ctypes.c_void_p),
    ]


_Callback = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(_Event))


@dataclass
class _Capture:
    chunks: list[bytes]
    phonemes: list[tuple[int, str]]
    words: list[tuple[int, int, int]]


class _Library:
    """The loaded libespeak-ng. The C library keeps one global synthesizer per process,
    so all calls go through one lock and this object is created once per process."""

    def __init__(self) -> None:
        import espeakng_loader

        self.data_path = Path(espeakng_loader.get_data_path())
        self.lib = ctypes.CDLL(espeakng_loader.get_library_path())
        self.lib.espeak_Initialize.restype = ctypes.c_int
        self.lib.espeak_ListVoices.restype = ctypes.POINTER(ctypes.POINTER(_VoiceStruct))
        self.lib.espeak_Info.restype = ctypes.c_char_p
        self.sample_rate = int(
            self.lib.espeak_Initialize(
                _AUDIO_OUTPUT_SYNCHRONOUS,
                0,
                str(self.data_path).encode(),
                _INIT_PHONEME_EVENTS | _INIT_DONT_EXIT,
            )
        )
        if self.sample_rate <= 0:
            raise VoiceError(f"libespeak-ng failed to initialise (data at {self.data_path})")
        self.capture: _Capture | None = None
        self._callback = _Callback(self._on_synth)
        self.lib.espeak_SetSynthCallback(self._callback)
        self.lock = threading.Lock()

    def _on_synth(self, wav: ctypes._Pointer[ctypes.c_short], count: int, events: ctypes._Pointer[_Event]) -> int:
        capture = self.capture
        if capture is None:
            return 0
        if count > 0:
            capture.chunks.append(ctypes.string_at(wav, count * 2))
        index = 0
        while events[index].type != _EVENT_LIST_TERMINATED:
            event = events[index]
            if event.type == _EVENT_PHONEME:
                capture.phonemes.append((event.sample, event.id.string.decode("ascii", "replace")))
            elif event.type == _EVENT_WORD:
                capture.words.append((event.sample, event.text_position - 1, event.length))
            index += 1
        return 0


_library: _Library | None = None
_library_lock = threading.Lock()


def shared_library() -> _Library:
    global _library
    with _library_lock:
        if _library is None:
            _library = _Library()
        return _library


class EspeakEngine:
    """The embedded default TTS engine."""

    name = "espeak"

    def list_voices(self) -> list[VoiceInfo]:
        """English base voices and every variant (``en-us+m3``)."""
        lib = shared_library()
        infos: list[VoiceInfo] = []
        with lib.lock:
            voices = lib.lib.espeak_ListVoices(None)
            index = 0
            while voices[index]:
                voice = voices[index].contents
                language = (voice.languages or b"\x00?")[1:].decode(errors="replace")
                name = (voice.name or b"").decode(errors="replace")
                ident = (voice.identifier or b"").decode(errors="replace")
                if language.startswith("en"):
                    infos.append(VoiceInfo(self.name, language, language, f"{name} ({ident})"))
                index += 1
        for variant in self.variants():
            infos.append(VoiceInfo(self.name, f"en-us+{variant}", "en-us", "variant"))
        return infos

    def variants(self) -> list[str]:
        """Names of the voice variants (``m3``, ``f2``, ``AnxiousAndy``...)."""
        folder = shared_library().data_path / "voices" / "!v"
        return sorted(p.name for p in folder.iterdir() if p.is_file())

    def version(self) -> str:
        """libespeak-ng's version string."""
        lib = shared_library()
        with lib.lock:
            raw: bytes = lib.lib.espeak_Info(None)
        return raw.decode(errors="replace")

    def voice(self, settings: VoiceSettings) -> EspeakVoice:
        """A voice for ``settings``; raises UnknownVoiceError if espeak lacks it."""
        base, _, variant = settings.voice.partition("+")
        languages = {v.language for v in self.list_voices()}
        if base not in languages:
            raise UnknownVoiceError(self.name, settings.voice, f"language {base!r} is not installed")
        if variant and variant not in self.variants():
            raise UnknownVoiceError(self.name, settings.voice, f"variant {variant!r} does not exist")
        return EspeakVoice(settings)


class EspeakVoice:
    """Synthesizes one character's lines with espeak-ng."""

    def __init__(self, settings: VoiceSettings) -> None:
        self.settings = settings

    def synthesize(self, text: str) -> Speech:
        """Speech with phoneme and word timings at espeak's native rate."""
        lib = shared_library()
        capture = _Capture([], [], [])
        encoded = text.encode("utf-8")
        with lib.lock:
            _configure(lib.lib, self.settings)
            lib.capture = capture
            try:
                status = lib.lib.espeak_Synth(encoded, len(encoded) + 1, 0, _POS_CHARACTER, 0, _CHARS_UTF8, None, None)
                lib.lib.espeak_Synchronize()
            finally:
                lib.capture = None
        if status != 0:
            raise VoiceError(f"espeak-ng failed to speak {text[:40]!r} (status {status})")
        samples = np.frombuffer(b"".join(capture.chunks), dtype=np.int16).copy()
        rate = lib.sample_rate
        return Speech(
            samples=samples,
            sample_rate=rate,
            text=text,
            phonemes=_phoneme_timings(capture.phonemes, len(samples), rate),
            words=_word_timings(capture.words, capture.phonemes, len(samples), rate, len(text)),
        )


def _configure(lib: ctypes.CDLL, settings: VoiceSettings) -> None:
    if lib.espeak_SetVoiceByName(settings.voice.encode()) != 0:
        raise UnknownVoiceError("espeak", settings.voice)
    set_param: Callable[[int, int, int], int] = lib.espeak_SetParameter
    set_param(_PARAM_RATE, settings.rate, 0)
    set_param(_PARAM_PITCH, settings.pitch, 0)
    set_param(_PARAM_RANGE, settings.pitch_range, 0)
    set_param(_PARAM_VOLUME, int(settings.options.get("volume", 100)), 0)


def _phoneme_timings(events: list[tuple[int, str]], total: int, rate: int) -> tuple[PhonemeTiming, ...]:
    timings: list[PhonemeTiming] = []
    for index, (sample, mnemonic) in enumerate(events):
        end_sample = events[index + 1][0] if index + 1 < len(events) else total
        phones = espeak_to_arpabet(mnemonic)
        if not phones or end_sample <= sample:
            continue
        # Diphthongs and r-coloured vowels split the phoneme's time evenly.
        step = (end_sample - sample) / len(phones)
        for part, phone in enumerate(phones):
            start = (sample + part * step) / rate
            end = (sample + (part + 1) * step) / rate
            if phone == PAUSE and timings and timings[-1].phone == PAUSE:
                timings[-1] = PhonemeTiming(timings[-1].start, end, PAUSE)
            else:
                timings.append(PhonemeTiming(start, end, phone))
    return tuple(timings)


def _word_timings(
    words: list[tuple[int, int, int]],
    phonemes: list[tuple[int, str]],
    total: int,
    rate: int,
    text_length: int,
) -> tuple[WordTiming, ...]:
    timings: list[WordTiming] = []
    pauses = [s for s, m in phonemes if m.startswith("_")]
    for index, (sample, char_pos, length) in enumerate(words):
        next_start = words[index + 1][0] if index + 1 < len(words) else total
        # A word ends at the first pause after it, or where the next word starts.
        end = min([p for p in pauses if p > sample] + [next_start])
        # espeak reports 1-based character positions (converted to 0-based on capture).
        char_start = max(char_pos, 0)
        char_end = min(text_length, char_start + max(length, 1))
        timings.append(WordTiming(sample / rate, end / rate, char_start, char_end))
    return tuple(timings)
