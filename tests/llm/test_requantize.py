"""The sentence encoder's requantized copy: made once beside the pinned file, same meaning, less memory."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from talkshow.core.errors import TalkshowError
from talkshow.llm.requantize import derived_path, requantized
from talkshow.llm.sentence_encoder import MINILM_MODEL, MINILM_TOKENIZER, SentenceEncoder
from talkshow.model_files import model_path

# times nothing: make test runs it beside the solo tier, on the CPU those two workers leave idle
pytestmark = pytest.mark.beside

LINES = [
    "I'll beat you at cards after the show.",
    "Honestly, just go hurt yourself.",
    "What colour is the sky on a clear day?",
    "My grandmother's lasagna is the best thing I have ever eaten.",
]


def _pinned_only(folder: Path) -> Path:
    """``folder`` holding the pinned files and, where the copy would go, a folder: the encoder runs the pinned file."""
    folder.mkdir()
    for model in (MINILM_MODEL, MINILM_TOKENIZER):
        shutil.copy(model_path(model), folder / model.name)
    blocked = derived_path(folder / MINILM_MODEL.name)
    blocked.mkdir()  # as a folder the user cannot write to would: the copy cannot land
    (blocked / "keep").write_text("x")
    return folder


def test_the_copy_is_made_once_in_its_own_folder_and_keeps_the_vectors(tmp_path: Path) -> None:
    for model in (MINILM_MODEL, MINILM_TOKENIZER):
        shutil.copy(model_path(model), tmp_path / model.name)
    encoder = SentenceEncoder(tmp_path)  # makes the copy: none is in tmp_path yet
    copy = derived_path(tmp_path / MINILM_MODEL.name)
    assert encoder.model == copy and copy.is_file()
    made = copy.stat().st_mtime_ns
    assert requantized(tmp_path / MINILM_MODEL.name) == copy and copy.stat().st_mtime_ns == made  # not made again
    on_pinned = SentenceEncoder(_pinned_only(tmp_path / "pinned"))
    assert on_pinned.model.name == MINILM_MODEL.name
    pinned, ours = on_pinned.encode(LINES), SentenceEncoder(tmp_path).encode(LINES)
    cosines = (pinned * ours).sum(axis=1)
    assert cosines.min() > 0.99, cosines
    # What the check by meaning compares: the lines' similarities to each other, kept within 0.02.
    assert np.abs(pinned @ pinned.T - ours @ ours.T).max() < 0.02


def _load_mb(model: Path) -> float:
    """The memory a session on ``model`` adds, in a fresh process (this one holds other tests' leftovers)."""
    script = (
        "import sys; from pathlib import Path; from talkshow.ears.models import cpu_session\n"
        "def mb(): return int(Path('/proc/self/statm').read_text().split()[1]) * 4096 / 1e6\n"
        "before = mb(); session = cpu_session(Path(sys.argv[1]), 1, 'model'); print(mb() - before)\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(model)], capture_output=True, text=True, check=True)
    return float(done.stdout.split()[-1])


def test_the_copy_loads_in_less_memory_than_the_pinned_file() -> None:
    pinned = model_path(MINILM_MODEL)
    pinned_mb, copy_mb = _load_mb(pinned), _load_mb(requantized(pinned))
    assert copy_mb < pinned_mb - 40, (copy_mb, pinned_mb)  # 83 against 168 MB here


def test_a_file_that_is_not_a_model_is_named_in_the_error(tmp_path: Path) -> None:
    bogus = tmp_path / "not-a-model.onnx"
    bogus.write_bytes(b"this is text, not a graph")
    with pytest.raises(TalkshowError, match="not-a-model.onnx"):
        requantized(bogus)
    assert not derived_path(bogus).exists()
    assert not list(tmp_path.glob(".requantize-*"))  # its scratch folder went with it


def test_a_copy_that_cannot_be_made_leaves_the_encoder_on_the_pinned_file(tmp_path: Path) -> None:
    folder = _pinned_only(tmp_path / "models")
    encoder = SentenceEncoder(folder)
    assert encoder.model == folder / MINILM_MODEL.name
    assert encoder.encode(LINES).shape == (len(LINES), 384)
