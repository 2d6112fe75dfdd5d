"""The knowledge base, read-only: senses of a word, glosses, WordNet's relations, a gloss search, countries.

One SQLite connection shared under a lock (each query takes well under a millisecond); opened
read-only, so a show can never change what it knows.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

from talkshow.core.errors import InputError
from talkshow.knowledge.countries import Country
from talkshow.knowledge.fact_sheet import Planet
from talkshow.knowledge.quiz import QuizBook

__all__ = ["Country", "KnowledgeBase", "Planet", "Sense"]

HYPERNYMS = ("@", "@i")  # a kind of, an instance of
# WordNet's own detachment rules (Morphy, wndb's morph.7): an ending and what replaces it, by part of speech.
# A form is a lemma only if the base holds it, so "cats" -> "cat" but "glass" stays "glass".
MORPHY = {
    "n": (("s", ""), ("ses", "s"), ("xes", "x"), ("zes", "z"), ("ches", "ch"), ("shes", "sh"), ("men", "man"),
          ("ies", "y")),
    "v": (("s", ""), ("ies", "y"), ("es", "e"), ("es", ""), ("ed", "e"), ("ed", ""), ("ing", "e"), ("ing", "")),
    "a": (("er", ""), ("est", ""), ("er", "e"), ("est", "e")),
    "r": (),
}  # fmt: skip


@dataclass(frozen=True)
class Sense:
    """One meaning of a word: its synset, part of speech, WordNet's file (noun.animal), words, gloss, rank."""

    id: int
    pos: str
    lexname: str
    words: tuple[str, ...]
    gloss: str
    rank: int = 0

    @property
    def definition(self) -> str:
        """The gloss without its quoted examples ("1/24th of a day; "the job will take an hour"" -> the first)."""
        parts = [p.strip() for p in self.gloss.split(";")]
        kept = [p for p in parts if p and not p.startswith('"')]
        return "; ".join(kept)

    @property
    def head(self) -> str:
        """The synset's first word (its name)."""
        return self.words[0] if self.words else ""


class KnowledgeBase:
    """Read-only access to ``knowledge-<digest>.sqlite3`` (a context manager)."""

    def __init__(self, path: Path) -> None:
        if not path.is_file():
            raise InputError(f"knowledge base {path}: no such file")
        self.path = path
        self._db = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        self._lock = threading.Lock()
        self.licences = {str(name): str(text) for name, text in self._rows("SELECT name, licence FROM source")}
        self._quiz: QuizBook | None = None

    def __enter__(self) -> KnowledgeBase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._db.close()

    def _rows(self, sql: str, args: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    def lemmas(self, word: str, pos: str = "n") -> list[str]:
        """The dictionary forms ``word`` may be (spiders -> spider, mice -> mouse, geese -> goose), itself first."""
        word = " ".join(word.lower().split())
        found = [word]
        found += [str(r[0]) for r in self._rows("SELECT lemma FROM exception WHERE form = ? AND pos = ?", (word, pos))]
        if " " not in word:
            bases = [word[: -len(ending)] + base for ending, base in MORPHY[pos] if word.endswith(ending)]
            found += [base for base in bases if base and self.is_lemma(base, pos)]
        elif pos == "n":
            *rest, last = word.split()
            found += [" ".join([*rest, form]) for form in self.lemmas(last, "n")[1:]]
        return list(dict.fromkeys(found))

    def senses(self, word: str, pos: str | None = None) -> list[Sense]:
        """Every sense of ``word`` (any inflected form), most frequent first; nouns first when ``pos`` is None."""
        found: dict[int, Sense] = {}
        for part in (pos,) if pos else ("n", "v", "a", "r"):
            for lemma in self.lemmas(word, part):
                rows = self._rows(
                    "SELECT y.id, y.pos, y.lexname, y.words, y.gloss, s.rank FROM sense s"
                    " JOIN synset y ON y.id = s.synset WHERE s.lemma = ? AND y.pos = ? ORDER BY s.rank",
                    (lemma, part),
                )
                for row in rows:
                    sense = _sense(row)
                    found.setdefault(sense.id, sense)
        return list(found.values())

    def is_lemma(self, word: str, pos: str | None = None) -> bool:
        """Whether WordNet has ``word`` as a dictionary form (of ``pos``, or of any part of speech)."""
        if pos is None:
            return any(self.is_lemma(word, part) for part in ("n", "v", "a", "r"))
        rows = self._rows(
            "SELECT 1 FROM sense s JOIN synset y ON y.id = s.synset WHERE s.lemma = ? AND y.pos = ? LIMIT 1",
            (word.lower(), pos),
        )
        return bool(rows)

    def knows(self, word: str) -> bool:
        """Whether ``word`` is any form of a word WordNet has ("cats", "running", "taller")."""
        return any(len(self.lemmas(word, pos)) > 1 or self.is_lemma(word, pos) for pos in ("n", "v", "a", "r"))

    def names_a_thing(self, word: str) -> bool:
        """Whether ``word`` is the first name of some noun synset (a word in common use: "cephalopod", "playlist";
        not "fissiped", which WordNet only has inside "fissiped mammal")."""
        rows = self._rows(
            "SELECT y.words FROM sense s JOIN synset y ON y.id = s.synset WHERE s.lemma = ? AND y.pos = 'n'",
            (word.lower(),),
        )
        return any(str(words).split("; ")[0].lower() == word.lower() for (words,) in rows)

    def sense(self, synset: int) -> Sense | None:
        """One synset by id."""
        rows = self._rows("SELECT id, pos, lexname, words, gloss, 0 FROM synset WHERE id = ?", (synset,))
        return _sense(rows[0]) if rows else None

    def related(self, synset: int, kinds: tuple[str, ...]) -> list[Sense]:
        """The synsets ``synset`` points to by any of ``kinds`` (WordNet's pointer symbols)."""
        marks = ",".join("?" * len(kinds))
        rows = self._rows(
            f"SELECT y.id, y.pos, y.lexname, y.words, y.gloss, 0 FROM link l JOIN synset y ON y.id = l.target"
            f" WHERE l.source = ? AND l.kind IN ({marks})",
            (synset, *kinds),
        )
        return [_sense(row) for row in rows]

    def ancestors(self, synset: int, depth: int = 20) -> list[Sense]:
        """Every hypernym above ``synset``, nearest first (a kind of, an instance of)."""
        seen: dict[int, Sense] = {}
        frontier = [synset]
        for _ in range(depth):
            following = []
            for node in frontier:
                for parent in self.related(node, HYPERNYMS):
                    if parent.id not in seen:
                        seen[parent.id] = parent
                        following.append(parent.id)
            if not following:
                break
            frontier = following
        return list(seen.values())

    def antonyms(self, word: str, pos: str | None = None, through_similar: bool = True) -> list[str]:
        """Words WordNet calls the opposite of ``word`` (as a ``pos`` if given): its own, else its synonym's in the
        same sense ("hard" as "difficult": "easy"), else through the adjective it is a shade of; its commonest
        sense first."""
        found: list[str] = []
        for sense in self.senses(word, pos):
            index = next((i for i, w in enumerate(sense.words, 1) if w.lower() in self.lemmas(word, sense.pos)), 0)
            rows = self._rows(
                "SELECT y.words, l.target_word FROM link l JOIN synset y ON y.id = l.target"
                " WHERE l.source = ? AND l.kind = '!' AND (l.source_word = ? OR l.source_word = 0)",
                (sense.id, index),
            )
            # "hard" shares its first sense with "difficult", whose opposite is "easy"
            if not rows and index and sense.pos == "a":
                rows = self._rows(
                    "SELECT y.words, l.target_word FROM link l JOIN synset y ON y.id = l.target"
                    " WHERE l.source = ? AND l.kind = '!'",
                    (sense.id,),
                )
            for words, target_word in rows:
                names = str(words).split("; ")
                found.append(names[int(str(target_word)) - 1] if int(str(target_word)) else names[0])
            if not rows and sense.pos == "a" and through_similar:
                for head in self.related(sense.id, ("&",)):
                    found += [w for w in self.antonyms(head.head, "a", through_similar=False) if w not in found]
        return list(dict.fromkeys(found))

    def search(self, *terms: str, lexname: str = "", limit: int = 20) -> list[Sense]:
        """Synsets whose words or gloss hold every term (FTS5, best match first)."""
        query = " AND ".join('"' + re.sub(r'["\s]+', " ", t).strip() + '"' for t in terms if t.strip())
        if not query:
            return []
        where = " AND y.lexname = ?" if lexname else ""
        args: tuple[object, ...] = (query, lexname, limit) if lexname else (query, limit)
        rows = self._rows(
            "SELECT y.id, y.pos, y.lexname, y.words, y.gloss, 0 FROM gloss_index g JOIN synset y ON y.id = g.rowid"
            f" WHERE gloss_index MATCH ?{where} ORDER BY rank LIMIT ?",
            args,
        )
        return [_sense(row) for row in rows]

    def glossed_first(self, word: str, limit: int = 10) -> list[Sense]:
        """Synsets whose gloss starts with ``word`` ("insects; about five-sixths of all known animal species")."""
        term = re.sub(r'["\s]+', " ", word).strip()
        if not term:
            return []
        rows = self._rows(
            "SELECT y.id, y.pos, y.lexname, y.words, y.gloss, 0 FROM gloss_index g JOIN synset y ON y.id = g.rowid"
            " WHERE gloss_index MATCH ? LIMIT ?",
            (f'gloss : ^"{term}"', limit),
        )
        return [_sense(row) for row in rows]

    def country(self, name: str) -> Country | None:
        """A country by its name or another spelling of it (France, the French Republic)."""
        key = re.sub(r"^the ", "", " ".join(name.lower().split()))
        rows = self._rows(
            "SELECT c.name, capital, region, subregion, demonym, population, area_km2, languages, currencies"
            " FROM country_name n JOIN country c ON c.name = n.country WHERE n.alias = ? LIMIT 1",
            (key,),
        )
        if not rows:
            return None
        r = rows[0]
        return Country(
            str(r[0]), str(r[1]), str(r[2]), str(r[3]), str(r[4]), int(str(r[5])), float(str(r[6])),
            tuple(x for x in str(r[7]).split("; ") if x), tuple(x for x in str(r[8]).split("; ") if x),
        )  # fmt: skip

    def country_first_by(self, measure: str, most: bool = True) -> Country | None:
        """The country with the most (or least, above none) ``measure``: ``area_km2`` or ``population``."""
        if measure not in ("area_km2", "population"):
            raise ValueError(f"countries are not ranked by {measure!r}")
        order = "DESC" if most else "ASC"
        rows = self._rows(f"SELECT name FROM country WHERE {measure} > 0 ORDER BY {measure} {order} LIMIT 1", ())
        return self.country(str(rows[0][0])) if rows else None

    def planets(self) -> list[Planet]:
        """The eight planets of the fact sheet (``knowledge.planets``), in no order."""
        rows = self._rows("SELECT name, sun_order, distance_au, year_days, day_hours, mean_kelvin FROM planet", ())
        return [Planet(str(r[0]), int(str(r[1])), *(float(str(v)) for v in r[2:])) for r in rows]

    def quiz(self) -> QuizBook:
        """The quiz entries (list, question, answers), read and indexed once: some 1,500 short rows."""
        if self._quiz is None:
            rows = self._rows("SELECT list, question, answers FROM quiz")
            self._quiz = QuizBook((str(r[0]), str(r[1]), tuple(str(r[2]).split("\n"))) for r in rows)
        return self._quiz

    def country_with_capital(self, city: str) -> Country | None:
        """The country whose capital is ``city``."""
        rows = self._rows("SELECT name FROM country WHERE lower(capital) = ? LIMIT 1", (city.lower().strip(),))
        return self.country(str(rows[0][0])) if rows else None


def _sense(row: tuple[object, ...]) -> Sense:
    words = tuple(str(row[3]).split("; "))
    return Sense(int(str(row[0])), str(row[1]), str(row[2]), words, str(row[4]), int(str(row[5])))
