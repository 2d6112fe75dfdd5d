"""Lines moderation held, in the studio's database: what, from where, why, and the operator's decision."""

from __future__ import annotations

import sqlite3
import time
from dataclasses import asdict, dataclass
from typing import Any

from talkshow.core.errors import InputError
from talkshow.studio.store import StudioStore

__all__ = ["DECISIONS", "HeldLine", "HeldLineNotFoundError", "HeldLines"]

DECISIONS = ("approved", "rejected")


class HeldLineNotFoundError(InputError):
    """No held line has that id, or it was decided already."""


@dataclass(frozen=True)
class HeldLine:
    """One held line: ``status`` is held until the operator approves or rejects it."""

    id: int
    at: float
    source: str
    who: str
    text: str
    reason: str
    stage: str
    status: str
    decided_at: float | None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return asdict(self)


class HeldLines:
    """The ``held_lines`` table (thread-safe: every call is one short statement under the store's lock)."""

    def __init__(self, store: StudioStore) -> None:
        self.store = store

    def add(self, source: str, who: str, text: str, reason: str, stage: str) -> HeldLine:
        """Record a held line now."""
        with self.store.transaction() as db:
            cursor = db.execute(
                "INSERT INTO held_lines (at, source, who, text, reason, stage) VALUES (?, ?, ?, ?, ?, ?)",
                (time.time(), source, who, text, reason, stage),
            )
            row = db.execute("SELECT * FROM held_lines WHERE id = ?", (cursor.lastrowid,)).fetchone()
        return _held(row)

    def decide(self, line_id: int, decision: str) -> HeldLine:
        """Approve or reject a line still held; HeldLineNotFoundError if there is none such."""
        if decision not in DECISIONS:
            raise InputError(f"a decision is one of {', '.join(DECISIONS)}, not {decision!r}")
        with self.store.transaction() as db:
            changed = db.execute(
                "UPDATE held_lines SET status = ?, decided_at = ? WHERE id = ? AND status = 'held'",
                (decision, time.time(), line_id),
            ).rowcount
            row = db.execute("SELECT * FROM held_lines WHERE id = ?", (line_id,)).fetchone()
        if row is None:
            raise HeldLineNotFoundError(f"no held line {line_id}")
        if not changed:
            raise HeldLineNotFoundError(f"held line {line_id} was {row['status']} already")
        return _held(row)

    def recent(self, status: str | None = None, limit: int = 100) -> list[HeldLine]:
        """Newest first; only ``status`` (held, approved, rejected) if given."""
        limit = max(1, min(limit, 500))
        if status is None:
            rows = self.store.rows("SELECT * FROM held_lines ORDER BY id DESC LIMIT ?", (limit,))
        else:
            rows = self.store.rows(
                "SELECT * FROM held_lines WHERE status = ? ORDER BY id DESC LIMIT ?", (status, limit)
            )
        return [_held(row) for row in rows]


def _held(row: sqlite3.Row) -> HeldLine:
    return HeldLine(**{key: row[key] for key in row.keys()})  # noqa: SIM118  # sqlite3.Row has no __iter__ of keys
