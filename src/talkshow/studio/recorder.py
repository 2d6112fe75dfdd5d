"""Writes each line's progress into the store as its events arrive, and tells the clients.

Events come from the preparer, renderer and pacer threads; recording one is a
non-blocking put. A thread of its own applies them to SQLite in order, so a slow
disk delays the transcript, never a frame.
"""

from __future__ import annotations

import logging
import queue
import secrets
import threading
from typing import Any

from talkshow.studio.held import HeldLines
from talkshow.studio.hub import EventHub
from talkshow.studio.memory import Memory, MemoryRecorder
from talkshow.studio.memory_settings import MemorySettings
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
_WANTED = {*_STATUS, "turn_error", "show_done", "line_held", "chat_question_aired", "caller_heard"}
_STOP = Event("stop", 0.0, 0.0)


class TranscriptRecorder:
    """EventSink that keeps the store's transcripts and show statuses current."""

    def __init__(
        self,
        store: StudioStore,
        hub: EventHub,
        supervisor: Supervisor | None = None,
        memory: MemorySettings | None = None,
        names: dict[str, str] | None = None,
    ) -> None:
        """``names``: each cast id's name, for what the memory says a character said."""
        self.store = store
        self.hub = hub
        self.held = HeldLines(store)
        self.memory = MemoryRecorder(Memory(store, memory or MemorySettings()), names or {})
        self.dropped = 0
        self._session = secrets.token_hex(4)  # /api/say turn numbers restart with the process
        self._finished: set[int] = set()  # shows whose unaired lines were dropped (recorder thread only)
        self._queue: queue.Queue[Event] = queue.Queue(maxsize=10_000)
        self._worker = Worker("transcript-recorder", self._run, supervisor)
        self._worker.start()

    def record(self, event: Event) -> None:
        """Queue a relevant event (any thread, never blocks)."""
        if event.kind in _WANTED:
            try:
                self._queue.put_nowait(event)
            except queue.Full:
                self.dropped += 1

    def flush(self, timeout: float = 5.0) -> None:
        """Wait until every queued event is in the store (tests, shutdown)."""
        done = threading.Event()
        self._queue.put(Event("flush", 0.0, 0.0, {"done": done}))
        done.wait(timeout)

    def close(self) -> None:
        """Apply what is queued, then stop."""
        self._queue.put(_STOP)
        self._worker.stop(timeout=5)

    def _run(self, _stop: threading.Event) -> None:
        while True:
            event = self._queue.get()
            if event is _STOP:
                return
            if event.kind == "flush":
                event.fields["done"].set()
                continue
            try:
                self._apply(event)
            except Exception:  # a bad event must not end the transcript
                logger.exception("could not record %s in the studio store", event.kind)

    def _apply(self, event: Event) -> None:
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
