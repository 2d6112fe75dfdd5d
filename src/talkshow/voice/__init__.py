"""Voice stage: line text to speech (PCM + phoneme timings).

Providers plug in behind :class:`VoiceEngine`; espeak-ng is the embedded default.
"""

from talkshow.voice.cache import SpeechCache, default_cache_dir
from talkshow.voice.service import ENGINES, SpeechService
from talkshow.voice.textclean import clean_for_speech
from talkshow.voice.types import PhonemeTiming, Speech, Voice, VoiceEngine, VoiceInfo, WordTiming

__all__ = [
    "ENGINES",
    "PhonemeTiming",
    "Speech",
    "SpeechCache",
    "SpeechService",
    "Voice",
    "VoiceEngine",
    "VoiceInfo",
    "WordTiming",
    "clean_for_speech",
    "default_cache_dir",
]
