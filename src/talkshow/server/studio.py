"""Puts a studio together: the store, the queue feeding the live engine, the recorder and the hub."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from talkshow.config import ShowConfig
from talkshow.live import LiveEngine, LiveSettings
from talkshow.studio import CastCatalog, EventHub, StudioQueue, StudioStore, TranscriptRecorder
from talkshow.telemetry import Telemetry
from talkshow.voice import SpeechService, engine_availability

logger = logging.getLogger(__name__)

__all__ = ["Studio", "default_db_path", "open_studio"]


def default_db_path() -> Path:
    """Where the studio keeps its database: ``$XDG_DATA_HOME/talkshow/studio.sqlite3``."""
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "talkshow" / "studio.sqlite3"


@dataclass
class Studio:
    """Everything the web app drives: the engine on air and the studio's memory around it."""

    engine: LiveEngine
    store: StudioStore
    hub: EventHub
    recorder: TranscriptRecorder
    catalog: CastCatalog
    queue: StudioQueue
    voices: dict[str, list[dict[str, str]]]

    def close(self) -> None:
        """Finish recording and close the database (after the engine stopped)."""
        self.recorder.close()
        self.store.close()


def installed_voices() -> dict[str, list[dict[str, str]]]:
    """The voices of every TTS engine usable now (its extra installed, its key set), by engine."""
    voices = {}
    for name, availability in engine_availability().items():
        if availability.reason:
            continue
        voices[name] = [
            {"name": v.name, "description": v.description} for v in availability.voices if not v.name.startswith("<")
        ]
    return voices


def open_studio(
    config: ShowConfig,
    settings: LiveSettings,
    db_path: Path | str,
    telemetry: Telemetry | None = None,
    speech: SpeechService | None = None,
) -> Studio:
    """Open (or create) the studio database, resume what a restart cut off, and build the engine.

    ``settings.topics`` become house topics: they play whenever the queue is empty.
    """
    telemetry = telemetry or Telemetry()
    store = StudioStore(db_path)
    recorder: TranscriptRecorder | None = None
    try:
        for show in store.recover():
            # A crash is news for whoever runs the studio: said at WARNING, so it is seen.
            logger.warning(
                "show %d (%r) was cut off by a restart; it resumes at line %d", show.id, show.topic, show.resume_at
            )
        hub = EventHub()
        voices = installed_voices()
        names = [f"{engine}:{v['name']}" for engine, listed in voices.items() for v in listed]
        catalog = CastCatalog(config.cast, names, config.writer)
        queue = StudioQueue(store, catalog, settings.topics, hub, repeat_house=settings.repeat)
        recorder = TranscriptRecorder(store, hub)
        telemetry.add_sink(recorder)
        telemetry.add_sink(hub)
        engine = LiveEngine(config, settings, telemetry, speech=speech, shows=queue)
    except BaseException:  # half a studio must not keep its thread and its database open
        if recorder is not None:
            recorder.close()
        store.close()
        raise
    return Studio(engine, store, hub, recorder, catalog, queue, voices)
