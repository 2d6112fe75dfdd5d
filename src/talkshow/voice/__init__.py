"""Voice stage: line text to speech (PCM + phoneme timings), sentence by sentence.

Providers plug in behind :class:`VoiceEngine` and register one line in
``talkshow.voice.registry``. The embedded default is a Piper neural voice on
onnxruntime; espeak-ng is always there as an engine and the last resort.
"""

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
