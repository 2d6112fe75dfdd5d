"""Ears (talk mode): incoming audio -> voice activity -> turns -> speech to text -> writer.

Silero voice activity on onnxruntime; a silence-based turn detector with start and end
thresholds, a minimum speech length (backchannels do not count) and a bounded utterance
length, which an opt-in turn model (Smart Turn v3, :class:`TurnJudge`) can end sooner or
hold open; and speech to text behind :class:`SpeechToText` (Whisper base on CTranslate2, embedded,
the default; pocketsphinx, bundled, the light fallback; any OpenAI-compatible transcription endpoint).
"""

from typing import TYPE_CHECKING

from talkshow._lazy import lazy_exports

if TYPE_CHECKING:  # the names below are imported on first use (a settings module stays light)
    from talkshow.ears.models import SILERO_VAD, fetch_model, model_path
    from talkshow.ears.silero import SileroVad
    from talkshow.ears.stt import SpeechToText, Transcript, TranscriptionError
    from talkshow.ears.turns import TurnDetector, TurnEvent, TurnJudge, TurnSettings

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "SILERO_VAD": "models",
        "fetch_model": "models",
        "model_path": "models",
        "SileroVad": "silero",
        "SpeechToText": "stt",
        "Transcript": "stt",
        "TranscriptionError": "stt",
        "TurnDetector": "turns",
        "TurnEvent": "turns",
        "TurnJudge": "turns",
        "TurnSettings": "turns",
    },
)

__all__ = [
    "SILERO_VAD",
    "SileroVad",
    "SpeechToText",
    "Transcript",
    "TranscriptionError",
    "TurnDetector",
    "TurnEvent",
    "TurnJudge",
    "TurnSettings",
    "fetch_model",
    "model_path",
]
