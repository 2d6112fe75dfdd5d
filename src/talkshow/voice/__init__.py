"""Voice stage: line text to speech (PCM + phoneme timings), sentence by sentence.

Providers plug in behind :class:`VoiceEngine` and register one line in
``talkshow.voice.registry``. The embedded default is a Piper neural voice on
onnxruntime; espeak-ng is always there as an engine and the last resort.
"""

from typing import TYPE_CHECKING

from talkshow._lazy import lazy_exports

if TYPE_CHECKING:  # the names below are imported on first use (a settings module stays light)
    from talkshow.voice.cache import SpeechCache, default_cache_dir
    from talkshow.voice.registry import ENGINES, EngineAvailability, engine_availability
    from talkshow.voice.service import LAST_RESORT, SpeechService
    from talkshow.voice.settings import VoiceSettings
    from talkshow.voice.textclean import clean_for_speech
    from talkshow.voice.types import (
        PhonemeTiming,
        Speech,
        StreamingVoice,
        Voice,
        VoiceEngine,
        VoiceInfo,
        WordTiming,
        join_speech,
    )

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "SpeechCache": "cache",
        "default_cache_dir": "cache",
        "ENGINES": "registry",
        "EngineAvailability": "registry",
        "engine_availability": "registry",
        "LAST_RESORT": "service",
        "SpeechService": "service",
        "VoiceSettings": "settings",
        "clean_for_speech": "textclean",
        "PhonemeTiming": "types",
        "Speech": "types",
        "StreamingVoice": "types",
        "Voice": "types",
        "VoiceEngine": "types",
        "VoiceInfo": "types",
        "WordTiming": "types",
        "join_speech": "types",
    },
)

__all__ = [
    "ENGINES",
    "LAST_RESORT",
    "EngineAvailability",
    "PhonemeTiming",
    "Speech",
    "SpeechCache",
    "SpeechService",
    "StreamingVoice",
    "Voice",
    "VoiceEngine",
    "VoiceInfo",
    "VoiceSettings",
    "WordTiming",
    "clean_for_speech",
    "default_cache_dir",
    "engine_availability",
    "join_speech",
]
