"""The studio database's schema, one migration per version (``PRAGMA user_version``)."""

from __future__ import annotations

__all__ = ["SCHEMA_VERSION"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS shows (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    topic TEXT NOT NULL,
    cast_json TEXT NOT NULL DEFAULT '[]',
    writer TEXT NOT NULL DEFAULT '',
    turns INTEGER,
    origin TEXT NOT NULL DEFAULT 'user',
    status TEXT NOT NULL DEFAULT 'queued',
    position REAL NOT NULL DEFAULT 0,
    resume_at INTEGER NOT NULL DEFAULT 0,
    error TEXT NOT NULL DEFAULT '',
    created REAL NOT NULL,
    started REAL,
    ended REAL
);
CREATE TABLE IF NOT EXISTS lines (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL UNIQUE,
    show_id INTEGER REFERENCES shows(id) ON DELETE CASCADE,
    turn INTEGER NOT NULL,
    source TEXT NOT NULL DEFAULT 'writer',
    speaker TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL DEFAULT '',
    emotion TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    audio_s REAL,
    tts_ms REAL,
    error TEXT NOT NULL DEFAULT '',
    updated REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS lines_by_show ON lines(show_id);
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
# Lines moderation held, with why, and what the operator decided (talkshow.studio.held).
_HELD_LINES = """
CREATE TABLE IF NOT EXISTS held_lines (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at REAL NOT NULL,
    source TEXT NOT NULL,
    who TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL,
    reason TEXT NOT NULL,
    stage TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'held',
    decided_at REAL
);
CREATE INDEX IF NOT EXISTS held_by_status ON held_lines(status, id);
"""
# The show's memory (talkshow.studio.memory): rows, and an FTS5 index kept by triggers.
_MEMORY = """
CREATE TABLE IF NOT EXISTS memory (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at REAL NOT NULL,
    kind TEXT NOT NULL,
    person TEXT NOT NULL DEFAULT '',
    who TEXT NOT NULL DEFAULT '',
    topic TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS memory_by_person ON memory(person);
CREATE INDEX IF NOT EXISTS memory_by_time ON memory(at);
CREATE VIRTUAL TABLE IF NOT EXISTS memory_fts USING fts5(text, topic, who, content='memory', content_rowid='id');
CREATE TRIGGER IF NOT EXISTS memory_added AFTER INSERT ON memory BEGIN
    INSERT INTO memory_fts(rowid, text, topic, who) VALUES (new.id, new.text, new.topic, new.who);
END;
CREATE TRIGGER IF NOT EXISTS memory_deleted AFTER DELETE ON memory BEGIN
    INSERT INTO memory_fts(memory_fts, rowid, text, topic, who) VALUES ('delete', old.id, old.text, old.topic, old.who);
END;
"""
SCHEMA_VERSION = 3  # PRAGMA user_version; _MIGRATIONS[n] takes a database from version n to n + 1
_MIGRATIONS: dict[int, str] = {0: _SCHEMA, 1: _HELD_LINES, 2: _MEMORY}
