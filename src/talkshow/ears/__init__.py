"""Ears (talk mode): incoming audio -> voice activity -> turns -> speech to text -> writer.

So far: Silero voice activity on onnxruntime; a silence-based turn detector with start
and end thresholds, a minimum speech length (backchannels do not count) and a bounded
utterance length; and speech to text behind :class:`SpeechToText` (pocketsphinx,
bundled; any OpenAI-compatible transcription endpoint).
"""

from talkshow.ears.models import SILERO_VAD, fetch_model, model_path
from talkshow.ears.silero import SileroVad
from talkshow.ears.stt import SpeechToText, Transcript, TranscriptionError
from talkshow.ears.turns import TurnDetector, TurnEvent, TurnSettings

__all__ = [
    "SILERO_VAD",
    "SileroVad",
    "SpeechToText",
    "Transcript",
    "TranscriptionError",
    "TurnDetector",
    "TurnEvent",
    "TurnSettings",
    "fetch_model",
    "model_path",
]
