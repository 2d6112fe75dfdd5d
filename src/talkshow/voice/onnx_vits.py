"""Runs a VITS text-to-speech model exported to ONNX (Piper's format) on onnxruntime.

A VITS model predicts a duration for every input phoneme id inside its graph (the
ceiling of exp(logw) times the length scale, in spectrogram frames). At load, that
tensor is made an extra output of the graph, so every synthesis returns exact phoneme
times with its audio: lip sync for a neural voice is as exact as for espeak-ng.
"""

from __future__ import annotations

import logging
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from talkshow.core.errors import VoiceError

logger = logging.getLogger(__name__)

__all__ = ["DURATIONS_OUTPUT", "VitsModel", "VitsResult", "expose_durations"]

DURATIONS_OUTPUT = "talkshow_phoneme_frames"


@dataclass(frozen=True)
class VitsResult:
    """Float audio in [-1, 1] and each input id's duration in samples (None if the graph hid it)."""

    audio: npt.NDArray[np.float32]
    id_samples: npt.NDArray[np.float64] | None


def _import(module: str) -> Any:
    try:
        return __import__(module)
    except ImportError as exc:  # both are default dependencies; a broken install says what to fix
        raise VoiceError(f"neural voices need the {module!r} package: pip install 'talkshow'") from exc


def expose_durations(model_bytes: bytes) -> tuple[bytes, bool]:
    """The model with its per-phoneme duration tensor as an extra output, and whether it was found.

    The tensor is the output of the graph's only ``Ceil`` (Piper's export has exactly one:
    ``w_ceil``). The parsed model is only read, then dropped: the extra output is added by
    appending a serialized ``ModelProto`` holding just the new node and output, which
    protobuf merges into the original graph. Re-serializing the whole parsed model instead
    held three copies of it at once.
    """
    onnx = _import("onnx")
    model = onnx.load_from_string(model_bytes)
    ceils = [node.output[0] for node in model.graph.node if node.op_type == "Ceil"]
    del model
    if len(ceils) != 1:
        logger.info("VITS graph has %d Ceil nodes; phoneme times will come from alignment", len(ceils))
        return model_bytes, False
    extra = onnx.ModelProto()
    extra.graph.node.append(onnx.helper.make_node("Identity", [ceils[0]], [DURATIONS_OUTPUT]))
    extra.graph.output.append(onnx.helper.make_tensor_value_info(DURATIONS_OUTPUT, onnx.TensorProto.FLOAT, None))
    return model_bytes + extra.SerializeToString(), True


class VitsModel:
    """One loaded VITS model; ``run`` may be called from several threads, and runs one call at a time."""

    def __init__(self, model_path: Path, hop_length: int = 256, threads: int = 1) -> None:
        ort = _import("onnxruntime")
        self.path = model_path
        self.hop_length = hop_length
        try:
            graph, self.has_durations = expose_durations(model_path.read_bytes())
        except OSError as exc:
            raise VoiceError(f"cannot read voice model {model_path}: {exc}") from exc
        except Exception as exc:  # onnx's own parse errors: a damaged or wrong file
            raise VoiceError(f"{model_path} is not an ONNX voice model: {exc}") from exc
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        # An idle worker sleeps at once: a spinning one would burn the frame loop's core between sentences.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        # Memory patterns pre-plan buffers per input shape; every sentence has a new length, so
        # they only add memory (measured: peak 458 -> 389 MB on a long sentence, no slower).
        options.enable_mem_pattern = False
        # The arena keeps the biggest sentence's buffers for good (118 MB more after one long line); without it
        # they go back after each sentence. Measured on the joe voice: load + short + long + short, 281 -> 165 MB
        # resident; a 10 s line took 0.47 s instead of 0.37 s, a short one the same 0.06 s.
        options.enable_cpu_mem_arena = False
        try:
            # From a file, so no Python copy of the model is alive while onnxruntime builds its own:
            # that copy was 63 MB of the load's peak memory.
            with tempfile.TemporaryDirectory(prefix="talkshow-voice-") as folder:
                edited = Path(folder) / model_path.name
                edited.write_bytes(graph)
                del graph
                self.session = ort.InferenceSession(str(edited), options, providers=["CPUExecutionProvider"])
        except OSError as exc:
            raise VoiceError(f"cannot stage the voice model {model_path.name} for loading: {exc}") from exc
        except Exception as exc:
            raise VoiceError(f"onnxruntime cannot load {model_path}: {exc}") from exc
        self.inputs = {i.name for i in self.session.get_inputs()}
        missing = {"input", "input_lengths", "scales"} - self.inputs
        if missing:
            raise VoiceError(f"{model_path} lacks the VITS inputs {sorted(missing)} (has {sorted(self.inputs)})")
        self.outputs = ["output", DURATIONS_OUTPUT] if self.has_durations else ["output"]
        # One synthesis at a time. onnxruntime's arena keeps the peak of every run in flight: two
        # sentences at once held 615 MB against 396 for one after the other (measured: the same
        # six sentences on two threads). And the voice is given one core; the frame loop has the other.
        self._one_run = threading.Lock()

    def run(
        self,
        ids: list[int],
        length_scale: float,
        noise_scale: float,
        noise_w: float,
        speaker: int | None = None,
    ) -> VitsResult:
        """Audio for phoneme ``ids``; raises VoiceError if the model fails."""
        feed: dict[str, npt.NDArray[Any]] = {
            "input": np.array([ids], dtype=np.int64),
            "input_lengths": np.array([len(ids)], dtype=np.int64),
            "scales": np.array([noise_scale, length_scale, noise_w], dtype=np.float32),
        }
        if "sid" in self.inputs:
            feed["sid"] = np.array([speaker or 0], dtype=np.int64)
        try:
            with self._one_run:
                results = self.session.run(self.outputs, feed)
        except Exception as exc:
            raise VoiceError(f"voice model {self.path.name} failed: {exc}") from exc
        audio = np.asarray(results[0], dtype=np.float32).reshape(-1)
        id_samples = None
        if self.has_durations:
            frames = np.asarray(results[1], dtype=np.float64).reshape(-1)
            if len(frames) == len(ids):
                id_samples = frames * self.hop_length
        return VitsResult(audio, id_samples)
