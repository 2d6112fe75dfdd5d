"""Ears (talk mode): incoming audio -> voice activity -> turns -> speech to text -> writer.

So far: Silero voice activity on onnxruntime, and a silence-based turn detector with
start and end thresholds, a minimum speech length (backchannels do not count) and a
bounded utterance length.
"""

from talkshow.ears.models import SILERO_VAD, fetch_model, model_path
from talkshow.ears.silero import SileroVad
from talkshow.ears.turns import TurnDetector, TurnEvent, TurnSettings

__all__ = ["SILERO_VAD", "SileroVad", "TurnDetector", "TurnEvent", "TurnSettings", "fetch_model", "model_path"]
