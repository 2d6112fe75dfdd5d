"""The transcript recorder keeps a line's status true whatever order its events arrive in."""

from __future__ import annotations

import time
from pathlib import Path

from talkshow.core.domain import DomainLog
from talkshow.studio.hub import EventHub
from talkshow.studio.memory import Memory
from talkshow.studio.recorder import TranscriptRecorder
from talkshow.studio.store import StudioStore
from talkshow.telemetry.events import Event


def _event(kind: str, **fields: object) -> Event:
    return Event(kind, 0.0, time.time(), dict(fields))


def test_a_line_voiced_after_its_show_was_stopped_stays_dropped(tmp_path: Path) -> None:
    """The preparer may finish voicing a line after a stop ended its show (a full run caught one left 'ready')."""
    store = StudioStore(tmp_path / "studio.sqlite3")
    show = store.add_show("soup", [], "", 4).id
    log = DomainLog()
    recorder = TranscriptRecorder(store, EventHub(), log, Memory(store), {})
    line = {"speaker": "duke", "text": "Soup is a drink.", "emotion": "neutral", "source": "writer"}
    log.publish(_event("turn_aired", show=show, turn=0, **line))
    log.publish(_event("line_written", show=show, turn=1, **line))
    log.publish(_event("show_done", show=show, outcome="skipped"))
    log.publish(_event("turn_ready", show=show, turn=1, audio_s=1.2, tts_ms=150.0))  # too late: never airs
    log.publish(_event("turn_off_air", show=show, turn=0))  # the line on air at the stop still finishes
    recorder.flush()
    recorder.close()
    statuses = {record.turn: record.status for record in store.lines(show)}
    store.close()
    assert statuses == {0: "done", 1: "dropped"}, statuses
