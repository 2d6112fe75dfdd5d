"""The show's memory of viewers, callers and past shows, in the studio's SQLite, searched with FTS5.

Rows are written from events (``MemoryRecorder`` is fed by the transcript recorder's thread):
a viewer's question that aired and its answer, a caller's words that were answered, each
show line that aired. ``recall`` finds the closest by words (BM25 over FTS5), so a writer
can say "as Sam asked last week". A person's rows can be forgotten on request; rows older
than the retention are deleted at start and once a day.
"""

from __future__ import annotations

import re
import sqlite3
import time

from talkshow.core.domain import DomainEvent
from talkshow.core.recall import Recollection
from talkshow.studio.memory_settings import MemorySettings
from talkshow.studio.store import StudioStore

__all__ = ["Memory", "MemoryRecorder"]

_WORD = re.compile(r"[^\W_]{3,}", re.UNICODE)
_STOP = frozenset(
    "the and for you are was were what why how who when where this that with have has had not but "
    "your about from they them then than there their would could should will just like into its".split()
)


class Memory:
    """Remember and recall (thread-safe: each call is one short statement under the store's lock)."""

    def __init__(self, store: StudioStore, settings: MemorySettings | None = None) -> None:
        self.store = store
        self.settings = settings or MemorySettings()

    def remember(self, kind: str, text: str, topic: str = "", person: str = "", who: str = "") -> None:
        """Keep one line (empty text is ignored)."""
        if not self.settings.enabled or not text.strip():
            return
        with self.store.transaction() as db:
            db.execute(
                "INSERT INTO memory (at, kind, person, who, topic, text) VALUES (?, ?, ?, ?, ?, ?)",
                (time.time(), kind, person, who[:80], topic[:200], text[:500]),
            )

    def recall(
        self, about: str, person: str = "", limit: int | None = None, kinds: tuple[str, ...] = ()
    ) -> tuple[Recollection, ...]:
        """The rows closest to ``about`` by words (this ``person``'s first), newest first among equals."""
        if not self.settings.enabled:
            return ()
        words = [w for w in dict.fromkeys(_WORD.findall(about.lower())) if w not in _STOP][:12]
        if not words:
            return ()
        query = " OR ".join(f'"{w}"' for w in words)  # quoted: a viewer's words are never FTS syntax
        kind_filter = f"AND m.kind IN ({','.join('?' * len(kinds))})" if kinds else ""
        sql = (
            "SELECT m.kind, m.who, m.text, m.topic, m.at FROM memory_fts JOIN memory m ON m.id = memory_fts.rowid "
            f"WHERE memory_fts MATCH ? {kind_filter} "
            "ORDER BY (m.person = ? AND ? != '') DESC, bm25(memory_fts), m.at DESC LIMIT ?"
        )
        try:
            rows = self.store.rows(sql, (query, *kinds, person, person, limit or self.settings.recall))
        except sqlite3.OperationalError:  # a query FTS cannot take: remembering nothing is fine
            return ()
        return tuple(Recollection(r["kind"], r["who"], r["text"], r["topic"], r["at"]) for r in rows)

    def forget_person(self, person: str) -> int:
        """Delete every row about ``person`` (a viewer's ``platform:user_id``, a caller's key); how many."""
        with self.store.transaction() as db:
            return db.execute("DELETE FROM memory WHERE person = ?", (person,)).rowcount

    def prune(self, now: float | None = None) -> int:
        """Delete what is older than the retention; how many rows."""
        cutoff = (now or time.time()) - self.settings.retention_days * 86_400
        with self.store.transaction() as db:
            return db.execute("DELETE FROM memory WHERE at < ?", (cutoff,)).rowcount

    def count(self) -> int:
        """Rows kept."""
        return int(self.store.rows("SELECT count(*) FROM memory")[0][0])


class MemoryRecorder:
    """Turns the events of what aired into memory rows (on the transcript recorder's thread)."""

    def __init__(self, memory: Memory, names: dict[str, str]) -> None:
        self.memory = memory
        self.names = names  # cast id -> name

    def record(self, event: DomainEvent, store: StudioStore) -> None:
        """Remember what ``event`` says aired: a viewer's question and its answer, a caller's words, a show line."""
        f = event.fields
        if event.kind == "chat_question_aired":
            topic = str(f.get("topic", ""))
            self.memory.remember("question", f["question"], topic, str(f.get("user", "")), str(f.get("name", "")))
            who = self.names.get(f["character"], f["character"])
            self.memory.remember("said", f["answer"], topic, f"cast:{f['character']}", who)
        elif event.kind == "caller_heard":
            self.memory.remember("caller", f["text"], str(f.get("topic", "")), str(f.get("person", "")), "a caller")
        elif event.kind == "turn_off_air" and f.get("show") is not None:
            line = store.line(f"show{f['show']}:{f['turn']}")
            if line is not None and line.text and line.speaker:
                topic = store.show(int(f["show"])).topic
                who = self.names.get(line.speaker, line.speaker)
                self.memory.remember("said", line.text, topic, f"cast:{line.speaker}", who)
