"""The studio's memory: shows, their queue order and their transcripts, in SQLite.

SQLite in WAL mode commits in well under a millisecond here and survives the process
being killed: what the studio accepted (a queued topic, a written line) is on disk
before the request that caused it returns. One connection, one lock: every caller
(API threads, the recorder thread, the renderer asking for the next show) is short.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from talkshow.core.errors import InputError, TalkshowError
from talkshow.studio.schema import _MIGRATIONS, SCHEMA_VERSION

__all__ = [
    "LINE_STATUSES",
    "SCHEMA_VERSION",
    "LineRecord",
    "ShowNotFoundError",
    "ShowRecord",
    "StudioDatabaseError",
    "StudioStore",
]

_UNFINISHED = ("writing", "voicing", "ready", "on_air")
_LINE_FIELDS = frozenset({"source", "speaker", "text", "emotion", "status", "audio_s", "tts_ms", "error"})
LINE_STATUSES = ("writing", "voicing", "ready", "on_air", "done", "failed", "dropped", "interrupted")


class StudioDatabaseError(TalkshowError):
    """The studio database cannot be used; the message names the file and what to do."""


class ShowNotFoundError(InputError):
    """No show has that id."""


@dataclass(frozen=True)
class ShowRecord:
    """A show as the studio sees it: queued, on air, or over (done, skipped, failed)."""

    id: int
    topic: str
    cast: list[dict[str, str]]  # [{"id": ..., "voice": ...}]; empty: the stage's cast as configured
    writer: str  # "" (the configured writer), "improv" or "llm"
    turns: int | None
    origin: str  # "user" (queued in the studio), "chat" (voted in chat) or "house" (the default topics)
    status: str
    resume_at: int
    error: str
    created: float
    started: float | None
    ended: float | None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return asdict(self)


@dataclass(frozen=True)
class LineRecord:
    """One line of a transcript and how far it got: writing, voicing, ready, on air, done (or failed)."""

    id: int
    show_id: int | None  # None: pushed with /api/say
    turn: int
    source: str
    speaker: str
    text: str
    emotion: str
    status: str
    audio_s: float | None
    tts_ms: float | None
    error: str
    updated: float

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return asdict(self)


class StudioStore:
    """SQLite-backed shows, queue and transcripts; safe to call from any thread."""

    def __init__(self, path: Path | str) -> None:
        if isinstance(path, Path):
            path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        try:
            self._db.row_factory = sqlite3.Row
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")  # with WAL: survives a killed process
            self._db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise StudioDatabaseError(
                f"studio database {path} cannot be used ({exc}). If it is damaged, move it aside "
                "(the studio starts a new one) or give another with --db"
            ) from exc
        except BaseException:
            self._db.close()
            raise

    def _migrate(self) -> None:
        """Bring the schema to ``SCHEMA_VERSION``, one step per version, each in its own transaction."""
        version = int(self._db.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION:
            raise StudioDatabaseError(
                f"studio database {self.path} is schema version {version}, newer than this talkshow "
                f"({SCHEMA_VERSION}); upgrade talkshow or use another --db"
            )
        while version < SCHEMA_VERSION:
            self._db.executescript(f"BEGIN; {_MIGRATIONS[version]} PRAGMA user_version = {version + 1}; COMMIT;")
            version += 1

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._db.close()

    def transaction(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        """One write transaction under the store's lock (for the studio's other tables' own modules)."""
        return self._transaction()

    def rows(self, sql: str, parameters: Sequence[Any] = ()) -> list[sqlite3.Row]:
        """The rows of one read query, under the store's lock."""
        with self._lock:
            return list(self._db.execute(sql, parameters))

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    # shows and the queue

    def add_show(
        self,
        topic: str,
        cast: Sequence[dict[str, str]] = (),
        writer: str = "",
        turns: int | None = None,
        origin: str = "user",
    ) -> ShowRecord:
        """Queue a show at the end; returns it as stored."""
        with self._transaction() as db:
            (last,) = db.execute("SELECT COALESCE(MAX(position), 0) FROM shows WHERE status = 'queued'").fetchone()
            cursor = db.execute(
                "INSERT INTO shows (topic, cast_json, writer, turns, origin, position, created)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (topic, json.dumps(list(cast)), writer, turns, origin, last + 1, time.time()),
            )
            row = db.execute("SELECT * FROM shows WHERE id = ?", (cursor.lastrowid,)).fetchone()
        return _show(row)

    def show(self, show_id: int) -> ShowRecord:
        """The show with ``show_id``; ShowNotFoundError if there is none."""
        with self._lock:
            row = self._db.execute("SELECT * FROM shows WHERE id = ?", (show_id,)).fetchone()
        if row is None:
            raise ShowNotFoundError(f"no show with id {show_id}")
        return _show(row)

    def shows(self, limit: int = 100) -> list[ShowRecord]:
        """The newest shows first, of every status."""
        with self._lock:
            rows = self._db.execute("SELECT * FROM shows ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
        return [_show(r) for r in rows]

    def queued(self) -> list[ShowRecord]:
        """The queue, next show first."""
        with self._lock:
            rows = self._db.execute("SELECT * FROM shows WHERE status = 'queued' ORDER BY position, id").fetchall()
        return [_show(r) for r in rows]

    def reorder(self, ids: Sequence[int]) -> list[ShowRecord]:
        """Put the queue in the order of ``ids``, which must name every queued show once."""
        with self._transaction() as db:
            queued = [r[0] for r in db.execute("SELECT id FROM shows WHERE status = 'queued'")]
            problems = []
            if len(set(ids)) != len(ids):
                problems.append("some ids appear twice")
            if missing := sorted(set(queued) - set(ids)):
                problems.append(f"queued shows missing from the order: {missing}")
            if extra := sorted(set(ids) - set(queued)):
                problems.append(f"not in the queue: {extra}")
            if problems:
                raise InputError("; ".join(problems))
            db.executemany("UPDATE shows SET position = ? WHERE id = ?", [(i + 1, sid) for i, sid in enumerate(ids)])
        return self.queued()

    def delete_show(self, show_id: int) -> ShowRecord:
        """Remove a show that is not on air, with its transcript."""
        record = self.show(show_id)
        if record.status == "on_air":
            raise InputError(f"show {show_id} is on air: skip it first (POST /api/control/skip)")
        with self._transaction() as db:
            db.execute("DELETE FROM shows WHERE id = ?", (show_id,))
        return record

    def take_next(self) -> ShowRecord | None:
        """Mark the first queued show on air and return it (None if the queue is empty)."""
        with self._transaction() as db:
            row = db.execute("SELECT id FROM shows WHERE status = 'queued' ORDER BY position, id LIMIT 1").fetchone()
            if row is None:
                return None
            db.execute("UPDATE shows SET status = 'on_air', started = ? WHERE id = ?", (time.time(), row[0]))
            row = db.execute("SELECT * FROM shows WHERE id = ?", (row[0],)).fetchone()
        return _show(row)

    def finish_show(self, show_id: int, outcome: str, error: str = "") -> tuple[ShowRecord | None, list[LineRecord]]:
        """Record how a show ended; lines it never aired become ``dropped`` (returned, to tell clients)."""
        now = time.time()
        with self._transaction() as db:
            db.execute("UPDATE shows SET status = ?, error = ?, ended = ? WHERE id = ?", (outcome, error, now, show_id))
            unaired = "show_id = ? AND status IN ('writing', 'voicing', 'ready')"
            dropped = db.execute(f"SELECT id FROM lines WHERE {unaired}", (show_id,)).fetchall()
            db.execute(f"UPDATE lines SET status = 'dropped', updated = ? WHERE {unaired}", (now, show_id))
            row = db.execute("SELECT * FROM shows WHERE id = ?", (show_id,)).fetchone()
            marks = ",".join("?" * len(dropped))
            lines = db.execute(f"SELECT * FROM lines WHERE id IN ({marks})", [r[0] for r in dropped]).fetchall()
        return (None if row is None else _show(row)), [_line(r) for r in lines]

    def recover(self) -> list[ShowRecord]:
        """After a restart: shows cut off on air go back to the front of the queue, to resume.

        Lines they had aired stay done; the one on air and those not yet aired are marked
        ``interrupted`` until the resumed show writes them again.
        """
        with self._transaction() as db:
            cut = [r[0] for r in db.execute("SELECT id FROM shows WHERE status = 'on_air' ORDER BY position, id")]
            (first,) = db.execute("SELECT COALESCE(MIN(position), 1) FROM shows WHERE status = 'queued'").fetchone()
            for offset, show_id in enumerate(cut):
                (aired,) = db.execute(
                    "SELECT COALESCE(MAX(turn) + 1, 0) FROM lines WHERE show_id = ? AND status IN ('done', 'failed')",
                    (show_id,),
                ).fetchone()
                db.execute(
                    "UPDATE shows SET status = 'queued', position = ?, resume_at = ? WHERE id = ?",
                    (first - len(cut) + offset, aired, show_id),
                )
            marks = ",".join("?" * len(_UNFINISHED))
            db.execute(
                f"UPDATE lines SET status = 'interrupted', updated = ? WHERE status IN ({marks})",
                (time.time(), *_UNFINISHED),
            )
            rows = db.execute(f"SELECT * FROM shows WHERE id IN ({','.join('?' * len(cut))})", cut).fetchall()
        return [_show(r) for r in rows]

    # transcripts

    def update_line(self, key: str, show_id: int | None, turn: int, **fields: Any) -> LineRecord:
        """Create or update the line ``key`` (unique per show and turn) with ``fields``."""
        unknown = set(fields) - _LINE_FIELDS
        if unknown:  # column names go into SQL text: only known ones, never a caller's string
            raise ValueError(f"not line fields: {', '.join(sorted(unknown))}")
        fields["updated"] = time.time()
        # A line first heard of through a retry (a pushed line whose voicing failed) starts as
        # "voicing"; an update never changes a status it was not given.
        inserted = {"status": "voicing", **fields}
        with self._transaction() as db:
            columns = ", ".join(["key", "show_id", "turn", *inserted])
            marks = ", ".join("?" * (3 + len(inserted)))
            updates = ", ".join(f"{n} = excluded.{n}" for n in fields)
            db.execute(
                f"INSERT INTO lines ({columns}) VALUES ({marks}) ON CONFLICT(key) DO UPDATE SET {updates}",
                (key, show_id, turn, *inserted.values()),
            )
            row = db.execute("SELECT * FROM lines WHERE key = ?", (key,)).fetchone()
        return _line(row)

    def line(self, key: str) -> LineRecord | None:
        """One line by its key, or None."""
        rows = self.rows("SELECT * FROM lines WHERE key = ?", (key,))
        return _line(rows[0]) if rows else None

    def lines(self, show_id: int | None = None, limit: int = 200) -> list[LineRecord]:
        """A show's transcript in order, or (no ``show_id``) the latest lines of every show."""
        with self._lock:
            if show_id is None:
                rows = self._db.execute("SELECT * FROM lines ORDER BY id DESC LIMIT ?", (limit,)).fetchall()[::-1]
            else:
                rows = self._db.execute("SELECT * FROM lines WHERE show_id = ? ORDER BY turn", (show_id,)).fetchall()
        return [_line(r) for r in rows]

    # settings

    def setting(self, key: str) -> str | None:
        """A stored setting, or None."""
        with self._lock:
            row = self._db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_setting(self, key: str, value: str) -> None:
        """Store a setting."""
        with self._transaction() as db:
            db.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", (key, value))


def _show(row: sqlite3.Row) -> ShowRecord:
    data = dict(row)
    data["cast"] = json.loads(data.pop("cast_json"))
    data.pop("position")
    return ShowRecord(**data)


def _line(row: sqlite3.Row) -> LineRecord:
    data = dict(row)
    data.pop("key")
    return LineRecord(**data)
