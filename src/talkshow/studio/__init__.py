"""The studio: shows queued and remembered (SQLite), transcripts, and the live timeline for clients."""

from talkshow.studio.cast import CastCatalog
from talkshow.studio.hub import EventHub
from talkshow.studio.queue import StudioQueue
from talkshow.studio.recorder import TranscriptRecorder
from talkshow.studio.store import (
    SCHEMA_VERSION,
    LineRecord,
    ShowNotFoundError,
    ShowRecord,
    StudioDatabaseError,
    StudioStore,
)

__all__ = [
    "SCHEMA_VERSION",
    "CastCatalog",
    "EventHub",
    "LineRecord",
    "ShowNotFoundError",
    "ShowRecord",
    "StudioDatabaseError",
    "StudioQueue",
    "StudioStore",
    "TranscriptRecorder",
]
