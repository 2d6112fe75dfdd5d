"""The offline check by meaning: how likely a line is to be harmful, from the labelled lines nearest it in meaning.

Stage 1 knows words; a threat or a push to self-harm said in plain words ("you'll get beaten
after the show", "go hurt yourself") has none it knows. This check embeds the line
(``SentenceEncoder``) and compares it with labelled example lines
(``assets/moderation/exemplars.toml``: threats, self-harm, hate, harassment, sexual content,
and benign lines that share their words). A category's score is the mean similarity of its
``k`` nearest examples.

Those scores are not a decision by themselves: a misheard, meaningless line ("water out to the
rim bokeh.") is near no example, and whichever is nearest is then noise. So the decision is
calibrated: a logistic model turns (the harmful lead over benign, the nearest harmful score, the
benign score) into P(harmful), fit on the examples themselves (each scored against the others);
the line is held
at ``threshold``, set on that dev half as the highest that keeps 95% of its threats, self-harm and hate. Below
``floor`` (near no harmful example at all) a line is benign whatever the model says. A verdict
under ``sure`` is marked unsure: a caller whose words it was is asked to say them again, never
scolded (the gate decides). The test half is never fit on: ``talkshow bench moderation``
reports it (docs/audience.md).
"""

from __future__ import annotations

import contextlib
import hashlib
import inspect
import json
import os
import time
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from talkshow.core.errors import InputError
from talkshow.core.kinds.moderation import Verdict
from talkshow.llm.sentence_encoder import MINILM_MODEL, SentenceEncoder, Vectors
from talkshow.model_files import models_dir

__all__ = [
    "BENIGN",
    "DEFAULT_K",
    "Calibration",
    "MeaningCheck",
    "calibrate",
    "create",
    "labelled_split",
    "read_examples",
]

BENIGN = "benign"
DEFAULT_K = 3  # chosen on the examples and the labelled set together; docs/moderation.md has the sweep
DEFAULT_FLOOR = 0.3  # a line this far from every harmful example is benign: which is nearest is noise
DEFAULT_SURE = 0.97  # P(harmful) from here on is a sure verdict; below it (and over the threshold), unsure
TARGET_RECALL = 0.95  # the threshold is the highest that holds this share of each critical category's dev lines
CRITICAL = ("threat", "self_harm", "hate")
Scores = npt.NDArray[np.float64]  # a row per line: features, or each category's nearest-example score
MAX_EXAMPLES = 5000


def read_examples(path: Path | None = None) -> dict[str, list[str]]:
    """Category -> example lines, from ``path`` or talkshow's own set; checked (a benign category is required)."""
    if path is None:
        raw = resources.files("talkshow").joinpath("assets/moderation/exemplars.toml").read_bytes()
        where = "talkshow's moderation examples"
    else:
        where = str(path)
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise InputError(f"moderation examples {path}: cannot read it ({exc.strerror})") from exc
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"moderation examples {where}: not TOML: {exc}") from exc
    examples: dict[str, list[str]] = {}
    for category, lines in data.items():
        if not isinstance(lines, list) or not lines or not all(isinstance(x, str) and x.strip() for x in lines):
            raise InputError(f"moderation examples {where}: {category!r} must be a list of lines")
        examples[category] = [line.strip() for line in lines]
    if BENIGN not in examples or len(examples) < 2:
        raise InputError(f"moderation examples {where}: needs a 'benign' list and at least one harmful one")
    if sum(map(len, examples.values())) > MAX_EXAMPLES:
        raise InputError(f"moderation examples {where}: more than {MAX_EXAMPLES} lines")
    return examples


@dataclass(frozen=True)
class Calibration:
    """P(harmful) = sigmoid(weights . features + bias), held from ``threshold``; fit by ``calibrate``."""

    weights: tuple[float, float, float]
    bias: float
    threshold: float

    def probability(self, features: Scores) -> Scores:
        """P(harmful) for each row of features (lead, nearest harmful score, benign score)."""

        z = features @ np.asarray(self.weights, dtype=np.float64) + self.bias
        return np.asarray(1.0 / (1.0 + np.exp(-z)), dtype=np.float64)

    @classmethod
    def nearest(cls) -> Calibration:
        """For a show's own examples, which the labelled set does not describe: held when a harmful category is
        nearer than benign (P = 0.5 at a tie), sure once it leads by 0.02."""
        return cls((200.0, 0.0, 0.0), 0.0, 0.5)


def labelled_split(part: str) -> list[tuple[str, str]]:
    """(line, category) of the labelled set's ``dev`` half (every other line of each category) or ``test`` half."""
    if part not in ("dev", "test"):
        raise ValueError(f"part must be dev or test, got {part!r}")
    data = tomllib.loads(resources.files("talkshow").joinpath("assets/moderation/labelled_lines.toml").read_text())
    keep = 0 if part == "dev" else 1
    return [(text, category) for category, lines in data.items() for i, text in enumerate(lines) if i % 2 == keep]


def _features(scores: Scores, benign_column: int) -> Scores:
    harmful = np.delete(scores, benign_column, axis=1).max(axis=1)
    benign = scores[:, benign_column]
    return np.stack([harmful - benign, harmful, benign], axis=1).astype(np.float64)


def calibrate(
    features: Scores,
    harmful: npt.NDArray[np.bool_],
    dev_features: Scores,
    dev_categories: list[str],
    floor: float = DEFAULT_FLOOR,
) -> Calibration:
    """Fit the logistic model on labelled features (plain gradient descent: three weights, deterministic), then
    set the threshold on a held-out dev set: the highest that still holds ``TARGET_RECALL`` of each category
    in ``CRITICAL`` (threats, self-harm, hate)."""
    weights, bias = np.zeros(3), 0.0
    target = harmful.astype(np.float64)
    for _ in range(20000):
        p = 1.0 / (1.0 + np.exp(-(features @ weights + bias)))
        error = p - target
        weights -= 0.5 * features.T @ error / len(target)
        bias -= 0.5 * float(error.mean())
    calibration = Calibration((float(weights[0]), float(weights[1]), float(weights[2])), bias, 0.5)
    p = calibration.probability(dev_features)
    p[dev_features[:, 1] < floor] = 0.0
    thresholds = []
    for category in CRITICAL:
        held_p = np.sort(p[np.array([c == category for c in dev_categories], dtype=bool)])
        if held_p.size:
            thresholds.append(float(held_p[int(np.floor((1.0 - TARGET_RECALL) * held_p.size))]))
    threshold = min(thresholds, default=0.5)
    return Calibration(calibration.weights, bias, min(max(threshold, 0.05), 0.95))


class MeaningCheck:
    """P(harmful) from the nearest labelled examples, calibrated; thread-safe, about 6 ms a line on one core."""

    name = "meaning"

    def __init__(
        self,
        encoder: SentenceEncoder,
        examples: dict[str, list[str]],
        k: int = DEFAULT_K,
        floor: float = DEFAULT_FLOOR,
        sure: float = DEFAULT_SURE,
        calibration: Calibration | None = None,
    ) -> None:
        if k < 1:
            raise ValueError(f"k must be at least 1, got {k}")
        self._encoder = encoder
        self.k = k
        self.floor = floor
        self.sure = sure
        self.categories = [c for c in examples if c != BENIGN] + [BENIGN]
        self._vectors = _example_vectors(encoder, {c: examples[c] for c in self.categories})
        labelled = set(self.categories) == set(read_examples())  # the labelled set's categories: fit on it
        self.calibration = calibration or (self._calibrate() if labelled else Calibration.nearest())

    def _calibrate(self) -> Calibration:
        """Fit on the examples (each scored against the others: leave one out), threshold on the dev half."""
        rows, harmful = [], []
        for category in self.categories:
            vectors = self._vectors[category]
            for i, vector in enumerate(vectors):
                row = []
                for other in self.categories:
                    similarity = self._vectors[other] @ vector
                    if other == category:
                        similarity = np.delete(similarity, i)
                    row.append(float(np.sort(similarity)[-self.k :].mean()))
                rows.append(row)
                harmful.append(category != BENIGN)
        benign_column = len(self.categories) - 1
        dev = labelled_split("dev")
        dev_rows = self._score_rows(_line_vectors(self._encoder, [text for text, _ in dev]))
        return _stored_calibration(
            _features(np.array(rows), benign_column), np.array(harmful),
            _features(dev_rows, benign_column), [category for _, category in dev], self.floor,
        )  # fmt: skip

    def _score_rows(self, vectors: Vectors) -> Scores:
        rows = np.zeros((len(vectors), len(self.categories)), dtype=np.float64)
        for column, category in enumerate(self.categories):
            similarity = vectors @ self._vectors[category].T
            nearest = np.sort(similarity, axis=1)[:, -min(self.k, similarity.shape[1]) :]
            rows[:, column] = nearest.mean(axis=1)
        return rows

    def scores(self, text: str) -> dict[str, float]:
        """Category -> mean cosine similarity of the line to that category's ``k`` nearest examples."""
        row = self._score_rows(self._encoder.encode([text]))[0]
        return {category: float(row[i]) for i, category in enumerate(self.categories)}

    def check(self, text: str) -> Verdict:
        """Held when P(harmful) reaches the threshold and the line is near a harmful example (unsure below ``sure``)."""
        started = time.perf_counter()
        row = self._score_rows(self._encoder.encode([text]))
        features = _features(row, len(self.categories) - 1)
        p = float(self.calibration.probability(features)[0])
        scores = dict(zip(self.categories[:-1], row[0][:-1], strict=True))
        category = max(scores, key=lambda c: scores[c])
        ms = (time.perf_counter() - started) * 1000
        if p >= self.calibration.threshold and scores[category] >= self.floor:
            reason = (
                f"reads as {category.replace('_', '-')} (P={p:.2f}; nearest examples {scores[category]:.2f}, "
                f"benign {row[0][-1]:.2f})"
            )
            return Verdict(False, reason, self.name, score=p, categories=(category,), ms=ms, unsure=p < self.sure)
        return Verdict(True, stage=self.name, score=p, ms=ms)

    def close(self) -> None:
        """Nothing to release: the session goes with the object."""


def _example_vectors(encoder: SentenceEncoder, examples: dict[str, list[str]]) -> dict[str, Vectors]:
    """Each category's vectors, kept on disk beside the model (embedding 270 lines takes about a second).

    The file is named by a hash of the model and the lines, so an edited example set or a new
    model is embedded afresh; a cache that cannot be read or written is only a slower start.
    """
    model = [MINILM_MODEL.sha256, encoder.model.name]  # the pinned file and the copy made from it
    digest = hashlib.sha256(json.dumps([model, examples], sort_keys=True).encode()).hexdigest()
    cache = models_dir() / "cache" / f"meaning-{digest[:24]}.npz"
    with contextlib.suppress(OSError, ValueError, KeyError), np.load(cache) as stored:
        return {category: np.asarray(stored[category], dtype=np.float32) for category in examples}
    vectors = {category: encoder.encode(lines) for category, lines in examples.items()}
    with contextlib.suppress(OSError):
        cache.parent.mkdir(parents=True, exist_ok=True)
        staged = cache.with_suffix(f".{os.getpid()}.npz")
        np.savez(staged, allow_pickle=False, **vectors)
        staged.replace(cache)  # atomic: a show starting beside this one reads the whole file or none
    return vectors


def _stored_calibration(
    features: Scores, harmful: npt.NDArray[np.bool_], dev_features: Scores, dev_categories: list[str], floor: float
) -> Calibration:
    """``calibrate``'s fit, kept on disk (its 20,000 steps take about 0.3 s, and every gate and show start made
    them again). The file is named by a hash of the fit's inputs and of ``calibrate``'s own code, so new examples,
    dev lines, a new floor or a changed fit are fitted afresh; a cache that cannot be read or written is only a
    slower start."""
    digest = hashlib.sha256(inspect.getsource(calibrate).encode())
    for array in (features, harmful, dev_features):
        digest.update(np.ascontiguousarray(array).tobytes())
    digest.update(json.dumps([dev_categories, floor]).encode())
    cache = models_dir() / "cache" / f"calibration-{digest.hexdigest()[:24]}.json"
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
        stored = json.loads(cache.read_text())
        weights = tuple(float(w) for w in stored["weights"])
        if len(weights) == 3:
            return Calibration((weights[0], weights[1], weights[2]), float(stored["bias"]), float(stored["threshold"]))
    fitted = calibrate(features, harmful, dev_features, dev_categories, floor)
    with contextlib.suppress(OSError):
        cache.parent.mkdir(parents=True, exist_ok=True)
        staged = cache.with_suffix(f".{os.getpid()}.json")
        staged.write_text(json.dumps({"weights": fitted.weights, "bias": fitted.bias, "threshold": fitted.threshold}))
        staged.replace(cache)  # atomic, as the vectors' file is
    return fitted


def _line_vectors(encoder: SentenceEncoder, lines: list[str]) -> Vectors:
    """The vectors of ``lines``, through the same on-disk cache as the examples."""
    return _example_vectors(encoder, {"lines": lines})["lines"]


def create(options: dict[str, Any]) -> MeaningCheck:
    """From ``[moderation.meaning]``: ``examples`` (a TOML file of category = [lines]), ``k``, ``floor``, ``sure``."""
    unknown = sorted(set(options) - {"examples", "k", "floor", "sure"})
    if unknown:
        raise InputError(
            f"moderation meaning: unknown option(s) {', '.join(unknown)} (expected examples, k, floor, sure)"
        )
    examples_file = options.get("examples")
    k = options.get("k", DEFAULT_K)
    if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= 20:
        raise InputError(f"moderation meaning: k must be a whole number from 1 to 20, got {k!r}")
    floor = _fraction(options, "floor", DEFAULT_FLOOR)
    sure = _fraction(options, "sure", DEFAULT_SURE)
    examples = read_examples(Path(str(examples_file)).expanduser() if examples_file else None)
    return MeaningCheck(SentenceEncoder(), examples, k, floor, sure)


def _fraction(options: dict[str, Any], key: str, default: float) -> float:
    value = options.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not -1.0 <= value <= 1.0:
        raise InputError(f"moderation meaning: {key} must be a number from -1 to 1, got {value!r}")
    return float(value)
