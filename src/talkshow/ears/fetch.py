"""Fetch the ears' pinned model files from PyPI (``make setup`` runs this once)."""

from talkshow.ears.models import SILERO_VAD, fetch_model

if __name__ == "__main__":
    print(fetch_model(SILERO_VAD))
