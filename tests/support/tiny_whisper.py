"""Builds a tiny CTranslate2 Whisper model directory at test time, so no weights come from a hub.

The model is real in every shape faster-whisper and CTranslate2 check (log-mel front end,
convolutions, encoder, decoder with cross-attention, a Whisper vocabulary with its special
and timestamp tokens, ``tokenizer.json``), but its decoder is scripted: every layer adds
nothing to the residual stream, so each step's logits depend only on the previous token,
and the projection maps each token to the next word of ``SCRIPT``. Whatever it hears,
it says ``SCRIPT``. That is enough to prove the provider's loading, decoding and
text handling; what a real model hears is the user's model's business.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import numpy as np

SCRIPT = ("hello", "from", "whisper")
WORDS = ("<unk>", "!", "-", *SCRIPT, "unused")
SPECIALS = (
    "<|endoftext|>",
    "<|startoftranscript|>",
    "<|en|>",
    "<|translate|>",
    "<|transcribe|>",
    "<|startoflm|>",
    "<|startofprev|>",
    "<|nocaptions|>",
    "<|notimestamps|>",
)
TIMESTAMPS = 1501  # <|0.00|> .. <|30.00|>, as Whisper has
WIDTH = 64
MELS = 80


def vocabulary() -> list[str]:
    """Text tokens, then the special tokens, then timestamps: the order faster-whisper's tokenizer assumes."""
    return [*WORDS, *SPECIALS, *(f"<|{index * 0.02:.2f}|>" for index in range(TIMESTAMPS))]


def build(directory: Path, seed: int = 0) -> Path:
    """Write the model (CTranslate2 format) and its ``tokenizer.json`` into ``directory``."""
    from ctranslate2.specs import whisper_spec

    tokens = vocabulary()
    ids = {token: index for index, token in enumerate(tokens)}
    rng = np.random.default_rng(seed)
    spec = whisper_spec.WhisperSpec(1, 2, 1, 2)

    def small(*shape: int) -> np.ndarray:
        return (rng.standard_normal(shape) * 0.02).astype(np.float32)

    def norm(layer: Any) -> None:
        layer.gamma = np.ones(WIDTH, np.float32)
        layer.beta = np.zeros(WIDTH, np.float32)

    encoder = spec.encoder
    encoder.conv1.weight, encoder.conv1.bias = small(WIDTH, MELS, 3), small(WIDTH)
    encoder.conv2.weight, encoder.conv2.bias = small(WIDTH, WIDTH, 3), small(WIDTH)
    encoder.position_encodings.encodings = small(1500, WIDTH)
    norm(encoder.layer_norm)
    for layer in encoder.layer:
        _attention(layer.self_attention, small, norm, fused=3)
        _feed_forward(layer.ffn, small, norm, silent=False)

    decoder = spec.decoder
    # Each token's embedding points along its own axis; layers add nothing, so the
    # final layer norm sees that axis, and the projection row of the next word reads it.
    embeddings = np.zeros((len(tokens), WIDTH), np.float32)
    projection = np.zeros((len(tokens), WIDTH), np.float32)
    chain = ["<|notimestamps|>", *SCRIPT, "<|endoftext|>"]
    for axis, (current, following) in enumerate(itertools.pairwise(chain)):
        embeddings[ids[current], axis] = 10.0
        projection[ids[following], axis] = 4.0
    decoder.embeddings.weight = embeddings
    decoder.projection.weight = projection
    decoder.position_encodings.encodings = np.zeros((448, WIDTH), np.float32)
    norm(decoder.layer_norm)
    for layer in decoder.layer:
        _attention(layer.self_attention, small, norm, fused=3, silent=True)
        _cross_attention(layer.attention, small, norm)
        _feed_forward(layer.ffn, small, norm, silent=True)

    spec.register_vocabulary(tokens)
    spec.config.suppress_ids = []
    spec.config.suppress_ids_begin = []
    spec.config.lang_ids = []
    spec.config.alignment_heads = [(0, 0)]
    spec.validate()
    spec.optimize(quantization=None)
    directory.mkdir(parents=True, exist_ok=True)
    spec.save(str(directory))
    _write_tokenizer(directory / "tokenizer.json", tokens)
    return directory


def _attention(attention: Any, small: Any, norm: Any, fused: int, silent: bool = False) -> None:
    norm(attention.layer_norm)
    qkv, out = attention.linear
    qkv.weight, qkv.bias = small(fused * WIDTH, WIDTH), small(fused * WIDTH)
    out.weight = np.zeros((WIDTH, WIDTH), np.float32) if silent else small(WIDTH, WIDTH)
    out.bias = np.zeros(WIDTH, np.float32)


def _cross_attention(attention: Any, small: Any, norm: Any) -> None:
    norm(attention.layer_norm)
    query, key_value, out = attention.linear
    query.weight, query.bias = small(WIDTH, WIDTH), small(WIDTH)
    key_value.weight, key_value.bias = small(2 * WIDTH, WIDTH), small(2 * WIDTH)
    out.weight, out.bias = np.zeros((WIDTH, WIDTH), np.float32), np.zeros(WIDTH, np.float32)


def _feed_forward(ffn: Any, small: Any, norm: Any, silent: bool) -> None:
    norm(ffn.layer_norm)
    ffn.linear_0.weight, ffn.linear_0.bias = small(2 * WIDTH, WIDTH), small(2 * WIDTH)
    ffn.linear_1.weight = np.zeros((WIDTH, 2 * WIDTH), np.float32) if silent else small(WIDTH, 2 * WIDTH)
    ffn.linear_1.bias = np.zeros(WIDTH, np.float32)


def _write_tokenizer(path: Path, tokens: list[str]) -> None:
    """A word-level ``tokenizers`` tokenizer over the same vocabulary, specials marked special."""
    from tokenizers import AddedToken, Tokenizer
    from tokenizers.models import WordLevel
    from tokenizers.pre_tokenizers import Whitespace

    tokenizer = Tokenizer(WordLevel({token: index for index, token in enumerate(tokens)}, unk_token="<unk>"))
    tokenizer.pre_tokenizer = Whitespace()
    tokenizer.add_special_tokens([AddedToken(token, special=True) for token in tokens[len(WORDS) :]])
    path.write_text(json.dumps(json.loads(tokenizer.to_str())), encoding="utf-8")
