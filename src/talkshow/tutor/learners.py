"""What the tutor remembers of each learner, in SQLite: their lessons, every turn, every mistake.

A learner is known by the name their call carries (``[talk] caller_name``, or a phone caller's
masked number). Across lessons the book gives the kinds of mistake they make again and again
(the tutor explains those first and brings the most frequent back at the start of a lesson), the
words they have used before (so a lesson's new words can be told), and each lesson's report.

Every write is committed before the call returns: a lesson cut off by a crash keeps its turns.
"""

from __future__ import annotations

import re
import sqlite3
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from talkshow.tutor.findings import Finding

__all__ = ["LearnerBook", "Recurring"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS lessons (
    id INTEGER PRIMARY KEY, learner TEXT NOT NULL, level TEXT NOT NULL,
    started_at REAL NOT NULL, ended_at REAL
);
CREATE TABLE IF NOT EXISTS turns (
    id INTEGER PRIMARY KEY, lesson INTEGER NOT NULL REFERENCES lessons(id), at REAL NOT NULL,
    heard TEXT NOT NULL, corrected TEXT NOT NULL, seconds REAL NOT NULL, words INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS mistakes (
    id INTEGER PRIMARY KEY, lesson INTEGER NOT NULL REFERENCES lessons(id), turn INTEGER NOT NULL,
    learner TEXT NOT NULL, kind TEXT NOT NULL, wrong TEXT NOT NULL, right TEXT NOT NULL, why TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS words (
    learner TEXT NOT NULL, word TEXT NOT NULL, lesson INTEGER NOT NULL, PRIMARY KEY (learner, word)
);
CREATE INDEX IF NOT EXISTS mistakes_by_learner ON mistakes(learner, kind);
"""
# Words too common to count as a learner's new word.
COMMON = frozenset(
    "the a an and or but to of in on at for with is are was were be been am i you he she it we they my your his "
    "her its our their me him us them this that these those there here have has had do does did not no yes so "
    "very what when where who why how can will would could should".split()
)
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


@dataclass(frozen=True)
class Recurring:
    """A mistake the learner has made in more than one turn before: its kind and its latest example."""

    kind: str
    count: int
    wrong: str
    right: str


class LearnerBook:
    """Learners' lessons in one SQLite file (thread-safe; a context manager)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(self.path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(SCHEMA)

    def __enter__(self) -> LearnerBook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the file."""
        with self._lock:
            self._db.close()

    def start_lesson(self, learner: str, level: str) -> int:
        """A new lesson for ``learner``; its id."""
        with self._lock:
            cursor = self._db.execute(
                "INSERT INTO lessons (learner, level, started_at) VALUES (?, ?, ?)", (learner, level, time.time())
            )
            return int(cursor.lastrowid or 0)

    def add_turn(
        self, lesson: int, learner: str, heard: str, corrected: str, seconds: float, findings: tuple[Finding, ...]
    ) -> list[str]:
        """One turn of ``lesson`` and its mistakes; the words ``learner`` used for the first time."""
        words = _WORD.findall(corrected.lower())
        fresh = sorted({w for w in words if w not in COMMON and len(w) > 2})
        with self._lock, self._db:
            self._db.execute("BEGIN")
            cursor = self._db.execute(
                "INSERT INTO turns (lesson, at, heard, corrected, seconds, words) VALUES (?, ?, ?, ?, ?, ?)",
                (lesson, time.time(), heard, corrected, seconds, len(_WORD.findall(heard.lower()))),
            )
            turn = int(cursor.lastrowid or 0)
            self._db.executemany(
                "INSERT INTO mistakes (lesson, turn, learner, kind, wrong, right, why) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(lesson, turn, learner, f.kind, f.wrong, f.right, f.why) for f in findings],
            )
            known = {
                row[0]
                for row in self._db.execute(
                    f"SELECT word FROM words WHERE learner = ? AND word IN ({','.join('?' * len(fresh))})",
                    (learner, *fresh),
                )
            }
            new = [w for w in fresh if w not in known]
            self._db.executemany("INSERT INTO words VALUES (?, ?, ?)", [(learner, w, lesson) for w in new])
        return new

    def end_lesson(self, lesson: int) -> None:
        """The lesson is over (the call ended)."""
        with self._lock:
            self._db.execute("UPDATE lessons SET ended_at = ? WHERE id = ? AND ended_at IS NULL", (time.time(), lesson))

    def habits(self, learner: str, before_lesson: int | None = None) -> Counter[str]:
        """How many mistakes of each kind ``learner`` made (in lessons before ``before_lesson``, if given)."""
        query = "SELECT kind, COUNT(*) FROM mistakes WHERE learner = ?"
        args: tuple[Any, ...] = (learner,)
        if before_lesson is not None:
            query, args = query + " AND lesson < ?", (learner, before_lesson)
        with self._lock:
            return Counter({kind: count for kind, count in self._db.execute(query + " GROUP BY kind", args)})

    def recurring(self, learner: str, before_lesson: int) -> Recurring | None:
        """The kind of mistake ``learner`` made most in earlier lessons (in two turns or more), if any."""
        with self._lock:
            row = self._db.execute(
                "SELECT kind, COUNT(DISTINCT turn) AS n, MAX(id) FROM mistakes WHERE learner = ? AND lesson < ? "
                "GROUP BY kind HAVING n >= 2 ORDER BY n DESC, MAX(id) DESC LIMIT 1",
                (learner, before_lesson),
            ).fetchone()
            if row is None:
                return None
            wrong, right = self._db.execute("SELECT wrong, right FROM mistakes WHERE id = ?", (row[2],)).fetchone()
        return Recurring(str(row[0]), int(row[1]), str(wrong), str(right))

    def lessons(self, learner: str, last: int = 50) -> list[dict[str, Any]]:
        """``learner``'s last ``last`` lessons, newest first: id, level, start, end, turns and mistakes."""
        with self._lock:
            rows = self._db.execute(
                "SELECT l.id, l.level, l.started_at, l.ended_at, "
                "(SELECT COUNT(*) FROM turns t WHERE t.lesson = l.id), "
                "(SELECT COUNT(*) FROM mistakes m WHERE m.lesson = l.id) "
                "FROM lessons l WHERE l.learner = ? ORDER BY l.id DESC LIMIT ?",
                (learner, last),
            ).fetchall()
        keys = ("id", "level", "started_at", "ended_at", "turns", "mistakes")
        return [dict(zip(keys, row, strict=True)) for row in rows]

    def trend(self, learner: str, up_to_lesson: int) -> list[dict[str, Any]]:
        """``learner``'s lessons up to ``up_to_lesson``, oldest first: turns, words, mistakes and mistakes per
        100 words (the trend a teacher looks at)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT l.id, l.started_at, "
                "(SELECT COUNT(*) FROM turns t WHERE t.lesson = l.id), "
                "(SELECT COALESCE(SUM(words), 0) FROM turns t WHERE t.lesson = l.id), "
                "(SELECT COUNT(*) FROM mistakes m WHERE m.lesson = l.id) "
                "FROM lessons l WHERE l.learner = ? AND l.id <= ? ORDER BY l.id",
                (learner, up_to_lesson),
            ).fetchall()
        return [
            {"lesson": r[0], "started_at": r[1], "turns": r[2], "words": r[3], "mistakes": r[4],
             "mistakes_per_100_words": round(100 * r[4] / r[3], 1) if r[3] else 0.0}
            for r in rows
        ]  # fmt: skip

    def report(self, lesson: int) -> dict[str, Any] | None:
        """A lesson's report: mistakes by kind, new words, speaking time, words a minute, and each turn."""
        with self._lock:
            found = self._db.execute(
                "SELECT learner, level, started_at, ended_at FROM lessons WHERE id = ?", (lesson,)
            ).fetchone()
            if found is None:
                return None
            turns = self._db.execute(
                "SELECT id, at, heard, corrected, seconds, words FROM turns WHERE lesson = ? ORDER BY id", (lesson,)
            ).fetchall()
            mistakes = self._db.execute(
                "SELECT turn, kind, wrong, right, why FROM mistakes WHERE lesson = ? ORDER BY id", (lesson,)
            ).fetchall()
            new_words = [
                r[0] for r in self._db.execute("SELECT word FROM words WHERE lesson = ? ORDER BY word", (lesson,))
            ]
        learner, level, started, ended = found
        seconds = sum(t[4] for t in turns)
        words = sum(t[5] for t in turns)
        by_turn: dict[int, list[dict[str, str]]] = {}
        for turn, kind, wrong, right, why in mistakes:
            by_turn.setdefault(turn, []).append({"kind": kind, "wrong": wrong, "right": right, "why": why})
        return {
            "id": lesson,
            "learner": learner,
            "level": level,
            "started_at": started,
            "ended_at": ended,
            "turns": [
                {
                    "at": t[1],
                    "heard": t[2],
                    "corrected": t[3],
                    "seconds": round(t[4], 2),
                    "words": t[5],
                    "mistakes": by_turn.get(t[0], []),
                }
                for t in turns
            ],
            "mistakes_by_kind": dict(Counter(m[1] for m in mistakes).most_common()),
            "new_words": new_words,
            "taught": sorted({m[3] for m in mistakes}),
            "speaking_seconds": round(seconds, 1),
            "words_per_minute": round(words / (seconds / 60), 1) if seconds > 0 else 0.0,
            "trend": self.trend(learner, lesson),
        }
