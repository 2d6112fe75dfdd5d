"""The sentence encoder made smaller in memory: its word table requantized once, the rest as pinned.

The pinned MiniLM file keeps int8 weights that its graph casts to float on every run;
onnxruntime folds those casts when it loads the graph, so the session held all 90 MB of the
float weights (168 MB resident for a 23 MB file, in every show), half of it the 30522-word
embedding table. Requantized once with onnxruntime's dynamic quantization of that table only
(a Gather: int8 rows, a scale per column, turned to float after the lookup), the session holds
83 MB and no line is slower; the vectors stay within cosine 0.997 of the pinned file's. The
matrix products were left in float: quantizing them too (44 MB, twice as fast) moved the
vectors to cosine 0.987 and changed three of the 225 labelled moderation verdicts.

The derived file is made from the pinned one (checked first) beside it, in a child process
(the quantizer's imports stay out of the show), at setup or on first use; the output is the
same bytes for the same onnxruntime, whose version is in the file's name.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from talkshow.core.errors import TalkshowError

__all__ = ["derived_path", "requantize", "requantized"]

DERIVE_TIMEOUT_S = 300.0  # about 3 s here; generous for a cold disk on busy cores


def derived_path(source: Path) -> Path:
    """Where the requantized copy of ``source`` lives: beside it, named by the onnxruntime that made it."""
    import onnxruntime

    return source.with_name(f"{source.stem}.int8-words-ort{onnxruntime.__version__}.onnx")


def requantized(source: Path) -> Path:
    """The requantized copy of ``source``, made first (in a child process) if it is not there."""
    target = derived_path(source)
    if target.is_file():
        return target
    command = [sys.executable, "-m", "talkshow.llm.requantize", str(source), str(target)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=DERIVE_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired as exc:
        raise TalkshowError(f"requantizing {source} took longer than {DERIVE_TIMEOUT_S:g} s") from exc
    if done.returncode != 0 or not target.is_file():
        raise TalkshowError(f"cannot requantize {source}: {done.stderr.strip()[-500:]}")
    return target


def requantize(source: Path, target: Path) -> None:
    """Write ``source`` with float weights folded, then quantized dynamically, to ``target`` (atomic)."""
    import onnxruntime as ort
    from onnxruntime.quantization import QuantType, quantize_dynamic

    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".requantize-") as scratch:
        folded = Path(scratch) / "folded.onnx"
        options = ort.SessionOptions()
        # Basic optimizations fold the file's int8 -> float casts into float weights to quantize.
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_BASIC
        options.optimized_model_filepath = str(folded)
        ort.InferenceSession(str(source), options, providers=["CPUExecutionProvider"])
        staged = Path(scratch) / target.name
        quantize_dynamic(folded, staged, weight_type=QuantType.QInt8, op_types_to_quantize=["Gather"], per_channel=True)
        staged.replace(target)


if __name__ == "__main__":
    requantize(Path(sys.argv[1]), Path(sys.argv[2]))
