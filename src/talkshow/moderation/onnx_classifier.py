"""Stage 2 by a user-supplied ONNX text classifier and its Hugging Face ``tokenizer.json``.

The model takes ``input_ids`` (and ``attention_mask`` if it has that input), int64 of
shape (1, tokens), and gives logits (1, labels). ``labels`` names them; a line is held when
the softmax of any label in ``flag`` reaches ``threshold``. Nothing is downloaded: the
files are the user's.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import numpy as np

from talkshow.core.errors import TalkshowError
from talkshow.core.kinds.moderation import Verdict

__all__ = ["OnnxClassifier", "create"]

MAX_TOKENS = 256


class OnnxClassifier:
    """Softmax over the model's logits; held when a flagged label reaches the threshold."""

    name = "onnx"

    def __init__(self, model: Path, tokenizer: Path, labels: list[str], flag: list[str], threshold: float) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        for path in (model, tokenizer):
            if not path.is_file():
                raise TalkshowError(f"moderation onnx: {path} does not exist")
        unknown = sorted(set(flag) - set(labels))
        if unknown or not flag:
            raise TalkshowError(f"moderation onnx: flag must name labels from {labels}, got {flag}")
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        try:
            self._session = ort.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])
            self._tokenizer = Tokenizer.from_file(str(tokenizer))
        except Exception as exc:
            raise TalkshowError(f"moderation onnx: cannot load {model} or {tokenizer}: {exc}") from exc
        self._inputs = {i.name for i in self._session.get_inputs()}
        if "input_ids" not in self._inputs:
            raise TalkshowError(f"moderation onnx: {model} has no input_ids input (it has {sorted(self._inputs)})")
        self.labels = labels
        self._flag = [labels.index(name) for name in flag]
        self.threshold = threshold
        self._lock = threading.Lock()  # one run at a time: the session is given one thread

    def check(self, text: str) -> Verdict:
        """Tokenize, run, softmax."""
        started = time.perf_counter()
        ids = self._tokenizer.encode(text).ids[:MAX_TOKENS] or [0]
        feeds: dict[str, Any] = {"input_ids": np.asarray([ids], dtype=np.int64)}
        if "attention_mask" in self._inputs:
            feeds["attention_mask"] = np.ones((1, len(ids)), dtype=np.int64)
        with self._lock:
            logits = np.asarray(self._session.run(None, feeds)[0], dtype=np.float64).reshape(-1)
        if logits.size != len(self.labels):
            raise TalkshowError(f"moderation onnx: the model gave {logits.size} logits for {len(self.labels)} labels")
        probabilities = np.exp(logits - logits.max())
        probabilities /= probabilities.sum()
        worst = max(self._flag, key=lambda i: probabilities[i])
        score = float(probabilities[worst])
        ms = (time.perf_counter() - started) * 1000
        if score >= self.threshold:
            reason = f"classified {self.labels[worst]} (p={score:.2f})"
            return Verdict(False, reason, self.name, score=score, categories=(self.labels[worst],), ms=ms)
        return Verdict(True, stage=self.name, score=score, ms=ms)

    def close(self) -> None:
        """Nothing to release beyond the session, which goes with the object."""


def create(options: dict[str, Any]) -> OnnxClassifier:
    """From ``[moderation.semantic_options]``: ``model``, ``tokenizer``, ``labels``, ``flag``, ``threshold``."""
    labels = [str(x) for x in options.get("labels", ["ok", "unsafe"])]
    flag = [str(x) for x in options.get("flag", labels[1:])]
    for key in ("model", "tokenizer"):
        if not options.get(key):
            raise TalkshowError(f"moderation semantic 'onnx' needs {key} = the path of the file")
    return OnnxClassifier(
        Path(str(options["model"])).expanduser(),
        Path(str(options["tokenizer"])).expanduser(),
        labels,
        flag,
        float(options.get("threshold", 0.5)),
    )
