"""The knowledge base, built once at setup into one SQLite file named by its sources' SHA-256.

``python -m talkshow.knowledge.build`` (``make setup`` runs it) reads WordNet's database files and
the country and planet tables out of their pinned archives and writes ``knowledge-<digest>.sqlite3`` beside
the model files: synsets with their glosses (an FTS5 index over glosses and words), senses ranked
by frequency, WordNet's pointers (hypernyms, parts, antonyms...), its exception lists,
countries, planets and quiz questions. A new source or a new builder makes a new file; a show opens it read-only.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import sys
import tempfile
import zipfile
from pathlib import Path

from talkshow.core.errors import TalkshowError
from talkshow.knowledge.countries import read_countries
from talkshow.knowledge.fact_sheet import read_planets
from talkshow.knowledge.quiz import QUIZ_LISTS, read_quiz_lists
from talkshow.knowledge.sources import (
    COUNTRYINFO,
    PLANETS,
    PLANETS_FILE,
    PYCOUNTRY,
    QUIZ,
    QUIZ_DIR,
    SOURCES,
    WORDNET,
    WORDNET_DIR,
    download,
    read_members,
)
from talkshow.knowledge.wordnet import POS_FILES, exceptions, lexnames, read_data, sense_ranks
from talkshow.model_files import models_dir

__all__ = ["BUILD_COMMAND", "build_knowledge", "knowledge_path", "remove_older_builds"]

BUILDER_VERSION = "4"  # a change to the schema or what is read makes a new file
BUILD_COMMAND = "-m talkshow.knowledge.build"
_POS = {"noun": "n", "verb": "v", "adj": "a", "adv": "r"}

SCHEMA = """
CREATE TABLE synset (id INTEGER PRIMARY KEY, pos TEXT NOT NULL, lexname TEXT NOT NULL, words TEXT NOT NULL,
                     gloss TEXT NOT NULL);
CREATE TABLE sense (lemma TEXT NOT NULL, synset INTEGER NOT NULL, rank INTEGER NOT NULL);
CREATE TABLE link (source INTEGER NOT NULL, kind TEXT NOT NULL, target INTEGER NOT NULL,
                   source_word INTEGER NOT NULL, target_word INTEGER NOT NULL);
CREATE TABLE exception (form TEXT NOT NULL, lemma TEXT NOT NULL, pos TEXT NOT NULL);
CREATE TABLE country (name TEXT PRIMARY KEY, capital TEXT, region TEXT, subregion TEXT, demonym TEXT,
                      population INTEGER, area_km2 REAL, languages TEXT, currencies TEXT);
CREATE TABLE country_name (alias TEXT NOT NULL, country TEXT NOT NULL);
CREATE TABLE planet (name TEXT PRIMARY KEY, sun_order INTEGER NOT NULL, distance_au REAL NOT NULL,
                     year_days REAL NOT NULL, day_hours REAL NOT NULL, mean_kelvin REAL NOT NULL);
CREATE TABLE quiz (list TEXT NOT NULL, question TEXT NOT NULL, answers TEXT NOT NULL);
CREATE TABLE source (name TEXT PRIMARY KEY, sha256 TEXT NOT NULL, licence TEXT NOT NULL);
CREATE VIRTUAL TABLE gloss_index USING fts5(words, gloss, content='synset', content_rowid='id');
"""
INDEXES = """
CREATE INDEX sense_lemma ON sense (lemma, rank);
CREATE INDEX link_source ON link (source, kind);
CREATE INDEX link_target ON link (target, kind);
CREATE INDEX exception_form ON exception (form);
CREATE INDEX country_alias ON country_name (alias);
"""


def digest() -> str:
    """The knowledge base's name: a hash of every pinned source and the builder's version."""
    pins = "|".join(f"{s.distribution}:{s.sha256}" for s in SOURCES) + f"|builder {BUILDER_VERSION}"
    return hashlib.sha256(pins.encode()).hexdigest()[:24]


def knowledge_path(folder: Path | None = None) -> Path:
    """The built knowledge base; raises TalkshowError naming the command that builds it if it is missing."""
    path = (folder or models_dir()) / f"knowledge-{digest()}.sqlite3"
    if not path.is_file():
        raise TalkshowError(f"{path} is missing; build it with: {sys.executable} {BUILD_COMMAND}")
    return path


def build_knowledge(folder: Path | None = None, downloads: Path | None = None) -> Path:
    """Build the knowledge base into ``folder`` unless it is there (atomically: a show reads all of it or none)."""
    target = (folder or models_dir()) / f"knowledge-{digest()}.sqlite3"
    if target.is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    wordnet = read_members(
        WORDNET,
        tuple(WORDNET_DIR + f"{kind}.{pos}" for pos in POS_FILES for kind in ("data", "index"))
        + tuple(WORDNET_DIR + f"{pos}.exc" for pos in POS_FILES)
        + (WORDNET_DIR + "lexnames", WORDNET_DIR + "LICENSE"),
        downloads,
    )
    text = {name.removeprefix(WORDNET_DIR): data.decode("utf-8") for name, data in wordnet.items()}
    country_files = _country_members(downloads)
    iso = read_members(PYCOUNTRY, ("pycountry/databases/iso639-3.json", "pycountry/databases/iso4217.json"), downloads)
    planets = read_planets(read_members(PLANETS, (PLANETS_FILE,), downloads)[PLANETS_FILE].decode("utf-8"))
    quiz_files = read_members(QUIZ, tuple(f"{QUIZ_DIR}{name}.yaml" for name in QUIZ_LISTS), downloads)
    quiz = read_quiz_lists({name: quiz_files[f"{QUIZ_DIR}{name}.yaml"] for name in QUIZ_LISTS})
    staged = target.with_suffix(f".{os.getpid()}.tmp")
    staged.unlink(missing_ok=True)
    with sqlite3.connect(staged) as db:
        db.executescript(SCHEMA)
        names = lexnames(text["lexnames"])
        for pos in POS_FILES:
            synsets: list[tuple[int, str, str, str, str]] = []
            links: list[tuple[int, str, int, int, int]] = []
            for synset, pointers in read_data(text[f"data.{pos}"], names):
                synsets.append((synset.id, synset.pos, synset.lexname, "; ".join(synset.words), synset.gloss))
                links.extend((p.source, p.kind, p.target, p.source_word, p.target_word) for p in pointers)
            db.executemany("INSERT INTO synset VALUES (?, ?, ?, ?, ?)", synsets)
            db.executemany("INSERT INTO link VALUES (?, ?, ?, ?, ?)", links)
            db.executemany("INSERT INTO sense VALUES (?, ?, ?)", sense_ranks(text[f"index.{pos}"], _POS[pos]))
            db.executemany("INSERT INTO exception VALUES (?, ?, ?)", exceptions(text[f"{pos}.exc"], _POS[pos]))
        db.execute("INSERT INTO gloss_index (gloss_index) VALUES ('rebuild')")
        iso639, iso4217 = iso["pycountry/databases/iso639-3.json"], iso["pycountry/databases/iso4217.json"]
        for country in read_countries(country_files, iso639, iso4217):
            db.execute(
                "INSERT OR REPLACE INTO country VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (country.name, country.capital, country.region, country.subregion, country.demonym,
                 country.population, country.area_km2, "; ".join(country.languages), "; ".join(country.currencies)),
            )  # fmt: skip
            for alias in {country.name.lower(), *(a.lower() for a in country.aliases)}:
                db.execute("INSERT INTO country_name VALUES (?, ?)", (alias, country.name))
        db.executemany(
            "INSERT INTO planet VALUES (?, ?, ?, ?, ?, ?)",
            [(p.name, p.order, p.distance_au, p.year_days, p.day_hours, p.mean_kelvin) for p in planets],
        )
        db.executemany(
            "INSERT INTO quiz VALUES (?, ?, ?)", [(listed, asked, "\n".join(said)) for listed, asked, said in quiz]
        )
        for source in SOURCES:
            db.execute("INSERT INTO source VALUES (?, ?, ?)", (source.distribution, source.sha256, source.licence))
        db.executescript(INDEXES)
    staged.replace(target)
    remove_older_builds(target)
    return target


def remove_older_builds(kept: Path) -> list[Path]:
    """Delete the knowledge bases built from older sources or builders beside ``kept`` (56 MB each); the ones
    removed. A show still reading one keeps reading it: the file goes when the show closes it."""
    removed = [old for old in kept.parent.glob("knowledge-*.sqlite3") if old.name != kept.name]
    for old in removed:
        old.unlink(missing_ok=True)
    return removed


def _country_members(downloads: Path | None) -> dict[str, bytes]:
    """Every country record in countryinfo's wheel."""
    with tempfile.TemporaryDirectory() as scratch:
        path = download(COUNTRYINFO, downloads or Path(scratch))
        with zipfile.ZipFile(path) as wheel:
            names = [n for n in wheel.namelist() if n.startswith("countryinfo/data/") and n.endswith(".json")]
            if not names:
                raise TalkshowError(f"{path.name} holds no country records")
            return {name: wheel.read(name) for name in names}


if __name__ == "__main__":
    print(build_knowledge())
