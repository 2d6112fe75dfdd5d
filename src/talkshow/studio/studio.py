"""A studio: the show it steers, and its memory around it (the store, the queue, the recorder and the hub).

Built by ``talkshow.station.station.open_station``; the server is handed one.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from talkshow.core.faces import ShowControl
from talkshow.studio.cast import CastCatalog
from talkshow.studio.hub import EventHub
from talkshow.studio.queue import StudioQueue
from talkshow.studio.recorder import TranscriptRecorder
from talkshow.studio.store import StudioStore

logger = logging.getLogger(__name__)

__all__ = ["Studio", "default_db_path"]


def default_db_path() -> Path:
    """Where the studio keeps its database: ``$XDG_DATA_HOME/talkshow/studio.sqlite3``."""
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "talkshow" / "studio.sqlite3"


@dataclass
class Studio:
    """Everything the web app drives: the show on air (its control face) and the studio's memory around it."""

    show: ShowControl
    store: StudioStore
    hub: EventHub
    recorder: TranscriptRecorder
    catalog: CastCatalog
    queue: StudioQueue
    voices: dict[str, list[dict[str, str]]]

    def close(self) -> None:
        """Finish recording and close the database (after the show stopped)."""
        self.recorder.close()
        self.store.close()
