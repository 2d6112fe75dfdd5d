"""Stage 1, part two: a small offensive-language classifier whose model ships inside a wheel.

The model is alt-profanity-check's (MIT; version pinned below): a TF-IDF vectoriser over
words and five sigmoid-calibrated linear SVMs. talkshow takes its two files from the wheel
at setup and scores them with numpy, so neither scikit-learn nor scipy is installed. They
are read with a restricted unpickler that builds plain attribute holders instead of
scikit-learn's classes: the only code it runs is numpy's array rebuild. Measured against
the library itself, the probabilities agree to 1e-9 (``tests/moderation/test_moderation.py``).

It knows profanity and abuse well ("go kill yourself": 0.95) and not hate without
swearing (0.01 for a calm hateful line), which is why a show can add a semantic stage 2.
"""

from __future__ import annotations

import pickle
import re
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from talkshow.core.errors import TalkshowError
from talkshow.core.kinds.moderation import Verdict
from talkshow.model_files import ModelFile, model_path

__all__ = ["PROFANITY_MODEL", "PROFANITY_VECTORIZER", "ProfanityClassifier"]

PROFANITY_VECTORIZER = ModelFile(
    name="profanity-vectorizer.joblib",
    distribution="alt-profanity-check==1.9.1",
    member="profanity_check/data/vectorizer.joblib",
    sha256="19c5200dc6a41f026e0558e2f164f5fe8d8f58e502b46b37e4385037fcfa4831",
)
PROFANITY_MODEL = ModelFile(
    name="profanity-model.joblib",
    distribution="alt-profanity-check==1.9.1",
    member="profanity_check/data/model.joblib",
    sha256="aeafc04849d4d93db4721cf30a86ebf22085595294b8a07d51918e7fa98f538b",
)
_TOKEN = re.compile(r"(?u)\b\w\w+\b")  # the vectoriser's own token pattern
_SAFE_GLOBALS = {("numpy", "dtype"), ("numpy", "ndarray"), ("numpy", "float64"), ("numpy", "int64"),
                 ("numpy._core.multiarray", "scalar"), ("numpy.core.multiarray", "scalar"),
                 ("joblib.numpy_pickle", "NumpyArrayWrapper")}  # fmt: skip


class _Fields:
    """Stands in for any pickled scikit-learn object: it keeps the state, runs none of the code."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def __setstate__(self, state: Any) -> None:
        if isinstance(state, dict):
            self.__dict__.update(state)


def _restricted_load(path: Path) -> Any:
    from joblib.numpy_pickle import NumpyUnpickler  # joblib's array storage; small, pure Python

    class Restricted(NumpyUnpickler):  # type: ignore[misc]
        def find_class(self, module: str, name: str) -> Any:
            if module.split(".")[0] == "sklearn":
                return type(name, (_Fields,), {})
            if (module, name) in _SAFE_GLOBALS:
                return super().find_class(module, name)
            raise pickle.UnpicklingError(f"{path.name} refers to {module}.{name}, which a model file may not")

    with path.open("rb") as handle:
        return Restricted(str(path), handle, ensure_native_byte_order=True).load()


class ProfanityClassifier:
    """P(offensive) for a line in about a millisecond; ``check`` holds lines at or over ``threshold``."""

    name = "classifier"

    def __init__(self, threshold: float = 0.8, folder: Path | None = None) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError(f"the classifier threshold must be in (0, 1], got {threshold}")
        self.threshold = threshold
        try:
            vectorizer = _restricted_load(model_path(PROFANITY_VECTORIZER, folder))
            model = _restricted_load(model_path(PROFANITY_MODEL, folder))
            self._vocabulary: dict[str, int] = dict(vectorizer.vocabulary_)
            self._idf: npt.NDArray[np.float64] = np.asarray(vectorizer._tfidf.idf_, dtype=np.float64)
            folds = model.calibrated_classifiers_
            self._coef = np.stack([np.asarray(f.estimator.coef_, np.float64).ravel() for f in folds])
            self._intercept = np.array([float(np.ravel(f.estimator.intercept_)[0]) for f in folds])
            self._a = np.array([float(f.calibrators[0].a_) for f in folds])
            self._b = np.array([float(f.calibrators[0].b_) for f in folds])
        except (AttributeError, IndexError, KeyError, ValueError, pickle.UnpicklingError) as exc:
            raise TalkshowError(f"the profanity model is not the expected one: {exc}") from exc
        self._lock = threading.Lock()  # numpy is thread-safe; this only keeps the counters honest
        self.checked = 0

    def probability(self, text: str) -> float:
        """P(offensive): the mean of the five calibrated folds, as the library computes it."""
        counts: dict[int, int] = {}
        for token in _TOKEN.findall(text.lower()):
            column = self._vocabulary.get(token)
            if column is not None:
                counts[column] = counts.get(column, 0) + 1
        if not counts:
            decision = self._intercept
        else:
            columns = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
            weights = np.fromiter(counts.values(), dtype=np.float64, count=len(counts)) * self._idf[columns]
            weights /= np.linalg.norm(weights)
            decision = self._coef[:, columns] @ weights + self._intercept
        return float(np.mean(1.0 / (1.0 + np.exp(self._a * decision + self._b))))

    def check(self, text: str) -> Verdict:
        """Held when the probability reaches the threshold."""
        started = time.perf_counter()
        score = self.probability(text)
        with self._lock:
            self.checked += 1
        ms = (time.perf_counter() - started) * 1000
        if score >= self.threshold:
            return Verdict(False, f"offensive language (p={score:.2f})", self.name, score=score, ms=ms)
        return Verdict(True, stage=self.name, score=score, ms=ms)

    def close(self) -> None:
        """Nothing to release."""
