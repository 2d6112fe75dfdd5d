"""Writes each line's progress into the store as its events arrive, and tells the clients.

The events are the domain log's (``talkshow.core.domain``): the preparer, renderer, pacer,
moderation, chat and calls write them there, never dropped. A thread of its own applies them
to SQLite in order, so a slow disk delays the transcript, never a frame; the telemetry
firehose, however full, cannot crowd them out.
"""

from __future__ import annotations

import logging
import secrets
import threading
from typing import Any

from talkshow.core.domain import DomainEvent, DomainLog
from talkshow.studio.held import HeldLines
from talkshow.studio.hub import EventHub
from talkshow.studio.memory import Memory, MemoryRecorder
from talkshow.studio.store import StudioStore
from talkshow.supervisor import Supervisor, Worker
from talkshow.telemetry.events import Event

logger = logging.getLogger(__name__)

__all__ = ["TranscriptRecorder"]

_STATUS = {  # event kind -> the line's status after it
    "line_writing": "writing",
    "line_written": "voicing",  # the preparer voices a line as soon as it is written
    "turn_ready": "ready",
    "turn_aired": "on_air",
    "turn_off_air": "done",
    "turn_skipped": "failed",
}
_UNAIRED = ("writing", "voicing", "ready")  # what a finished show's lines may not go back to


class TranscriptRecorder:
    """The domain log's reader: keeps the store's transcripts, held lines, memory and show statuses current."""

    def __init__(
        self,
        store: StudioStore,
        hub: EventHub,
        log: DomainLog,
        memory: Memory,
        names: dict[str, str],
        supervisor: Supervisor | None = None,
    ) -> None:
        """``memory``: the studio's one memory; ``names``: each cast id's name, for what a character said."""
        self.store = store
        self.hub = hub
        self.log = log
        self.held = HeldLines(store)
        self.memory = MemoryRecorder(memory, names)
        self.applied = 0
        self._session = secrets.token_hex(4)  # /api/say turn numbers restart with the process
        self._finished: set[int] = set()  # shows whose unaired lines were dropped (recorder thread only)
        self._worker = Worker("transcript-recorder", self._run, supervisor)
        self._worker.start()

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until every event written so far is in the store (tests, shutdown); False on ``timeout``."""
        done = threading.Event()
        self.log.publish(Event("flush", 0.0, 0.0, {"done": done}))
        return done.wait(timeout)

    def close(self) -> None:
        """Apply what the log holds, then stop."""
        self.log.close()
        self._worker.stop(timeout=5)

    def _run(self, _stop: threading.Event) -> None:
        while (event := self.log.take(timeout=1.0)) is not None or not self.log.closed:
            if event is None:
                continue
            if event.kind == "flush":
                event.fields["done"].set()
                continue
            try:
                self._apply(event)
                self.applied += 1
            except Exception:  # a bad event must not end the transcript
                logger.exception("could not record %s in the studio store", event.kind)

    def _apply(self, event: DomainEvent) -> None:
        fields = event.fields
        if event.kind in ("chat_question_aired", "caller_heard") or (event.kind == "turn_off_air" and "show" in fields):
            self.memory.record(event, self.store)
        if event.kind in ("chat_question_aired", "caller_heard"):
            return
        if event.kind == "line_held":
            held = self.held.add(fields["source"], fields.get("who", ""), fields.get("text", ""),
                                 fields["reason"], fields["stage"])  # fmt: skip
            self.hub.publish("held", held.as_dict())
            return
        if event.kind == "show_done":
            self._finished.add(fields["show"])
            record, dropped = self.store.finish_show(
                fields["show"], fields.get("outcome", "done"), fields.get("error", "")
            )
            if record is not None:
                self.hub.publish("show", record.as_dict())
            for line in dropped:
                self.hub.publish("line", line.as_dict())
            return
        show, turn = fields.get("show"), fields.get("turn")
        if turn is None:
            return
        changes: dict[str, Any] = {}
        if event.kind in _STATUS:
            changes["status"] = _STATUS[event.kind]
            if show in self._finished and changes["status"] in _UNAIRED:  # voiced after its show ended: never airs
                changes["status"] = "dropped"
        for name in ("speaker", "text", "emotion", "source", "audio_s", "tts_ms", "error"):
            if name in fields:
                changes[name] = fields[name]
        if event.kind == "turn_error":
            changes["error"] = f"attempt {fields.get('attempt')} failed: {fields.get('error')} (retrying)"
        elif event.kind == "turn_ready":
            changes["error"] = ""
            changes["tts_ms"] = round(fields.get("tts_ms", 0.0), 1)
        key = f"show{show}:{turn}" if show is not None else f"say:{self._session}:{turn}"
        line = self.store.update_line(key, show, turn, **changes)
        self.hub.publish("line", line.as_dict())
