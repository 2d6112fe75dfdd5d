"""The station proper: the engine, its studio, the talk desk, the phones and chat, built and run together.

``open_station`` builds everything the server serves and hands it over: the engine on air
(the server sees only its ``ShowControl`` face, in the studio), the studio's store, queue,
recorder and hub, the talk desk that holds the one line (given the engine's ``OnAir`` face),
the switchboard that answers phone calls, and every caller transport the show file turns on,
each by its provider name (``talkshow.providers.TRANSPORTS``). The HTTP app builds nothing;
it mounts what the station has and starts and stops it with the server.

``start`` loads the ears and speaks the phone prompts before the clock runs (both hold the
GIL), then starts the engine and the transports, and keeps a local LLM server's model loaded
(``talkshow.brain``); ``stop`` undoes it in reverse. A show that asks for the embedded brain has
its llama.cpp server started first (``station.brain``), watched while it runs and stopped last. A transport
that cannot start (its port taken) is a part the supervisor shows as restarting; the show
goes on without it.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from talkshow.brain import keep_warm
from talkshow.chat.booth import ChatBooth
from talkshow.chat.settings import ChatSettings
from talkshow.cohost.settings import CohostSettings, cohost_show
from talkshow.config import ShowConfig
from talkshow.core.domain import DomainLog
from talkshow.core.kinds.transport import CallerTransport
from talkshow.live.engine import LiveEngine
from talkshow.live.settings import LiveSettings
from talkshow.llm.server import LlamaServer, LlamaServerError
from talkshow.phone.settings import PhoneSettings
from talkshow.phone.switchboard import Switchboard
from talkshow.providers import TRANSPORTS
from talkshow.station.brain import start_embedded_brain
from talkshow.station.engine import build_engine
from talkshow.studio.cast import CastCatalog
from talkshow.studio.hub import EventHub
from talkshow.studio.memory import Memory
from talkshow.studio.memory_settings import MemorySettings
from talkshow.studio.queue import StudioQueue
from talkshow.studio.recorder import TranscriptRecorder
from talkshow.studio.store import StudioStore
from talkshow.studio.studio import Studio
from talkshow.talk.desk import TalkDesk
from talkshow.talk.providers import make_replier
from talkshow.talk.settings import TalkSettings
from talkshow.tasks import TaskGroup
from talkshow.telemetry.events import Telemetry
from talkshow.tutor.settings import tutor_show
from talkshow.voice.registry import installed_voices
from talkshow.voice.service import SpeechService
from talkshow.webrtc.calls import WebRtcCalls

if TYPE_CHECKING:
    from talkshow.broadcast.whip import WhipPublisher

logger = logging.getLogger(__name__)

__all__ = ["Station", "open_station"]

BRAIN_CHECK_S = 2.0  # how often the embedded brain's server is checked for life


def open_station(
    config: ShowConfig,
    settings: LiveSettings,
    db_path: Path | str,
    telemetry: Telemetry,
    speech: SpeechService | None = None,
) -> Station:
    """Open (or create) the studio database, resume what a restart cut off, and build every part.

    ``settings.topics`` become house topics: they play whenever the queue is empty.
    """
    config = cohost_show(config)
    config = tutor_show(config, config.section(TalkSettings).character or config.cast[0].id, Path(db_path))
    config, brain = start_embedded_brain(config)  # first: the parts that answer callers are given its address
    try:
        store = StudioStore(db_path)
    except BaseException:
        if brain is not None:
            brain.close()
        raise
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
        memory_settings = config.section(MemorySettings)
        memory = Memory(store, memory_settings)
        forgotten = memory.prune()
        if forgotten:
            days = memory_settings.retention_days
            logger.info("memory: %d rows older than %g days forgotten", forgotten, days)
        queue = StudioQueue(store, catalog, settings.topics, hub, repeat_house=settings.repeat, memory=memory)
        cast_names = {member.id: member.name for member in config.cast}
        log = DomainLog()  # transcripts, held lines, memory, removals, calls: never dropped
        telemetry.carry(log)
        recorder = TranscriptRecorder(store, hub, log, memory, cast_names)
        telemetry.add_sink(hub)
        engine = build_engine(config, settings, telemetry, speech=speech, shows=queue, recall=memory.recall)
    except BaseException:  # half a studio must not keep its thread, its database or its brain open
        if recorder is not None:
            recorder.close()
        store.close()
        if brain is not None:
            brain.close()
        raise
    return Station(engine, Studio(engine.control, store, hub, recorder, catalog, queue, voices), brain)


class Station:
    """The engine, its studio, the talk desk, the switchboard and the caller transports (an async context manager)."""

    def __init__(self, engine: LiveEngine, studio: Studio, brain: LlamaServer | None = None) -> None:
        """``engine`` is for the composition root (the command line, tests); the server uses ``studio.show``.

        ``brain`` is the embedded LLM's server, if the show has one: the station stops it.
        """
        self.engine = engine
        self.studio = studio
        self.brain = brain
        self._tasks = TaskGroup("station")
        self._publishers: list[WhipPublisher] = []
        try:
            self.desk = TalkDesk(engine.on_air)
            self.webrtc = WebRtcCalls(engine.on_air, self.desk)
            self.switchboard = Switchboard(self.desk)
            enabled = engine.config.section(PhoneSettings).enabled_transports
            self.transports: list[CallerTransport] = [
                TRANSPORTS.load(name)(options, self.switchboard) for name, options in enabled.items()
            ]
            self.chat = self._chat_booth() if engine.config.section(ChatSettings).sources else None
        except BaseException:  # half a station must not keep the engine's children and the database open
            engine.stop()
            studio.close()
            if brain is not None:
                brain.close()
            raise

    async def __aenter__(self) -> Station:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def start(self) -> None:
        """Warm the ears and prompts, start the engine's clock, then open the transports."""
        try:
            await asyncio.to_thread(self._warm)  # loading models holds the GIL: before the clock
            await asyncio.to_thread(self.engine.start)
            for transport in self.transports:
                await transport.start()
            if self.chat is not None:
                await self.chat.start()
            self._start_whip()
            self._tasks.spawn(keep_warm(self.engine.config.writer), "keep the brain warm")
            if self.brain is not None:
                self._tasks.spawn(self._watch_brain(self.brain), "restart the embedded brain if it dies")
            self._tasks.spawn(self._forget_old_memories(), "memory retention")
        except BaseException:  # a failed start still releases the engine, the recorder and the database
            await self.stop()
            raise

    async def stop(self) -> None:
        """Close the transports, hang up every call, stop the engine and close the studio (idempotent)."""
        self._tasks.cancel()
        for publisher in self._publishers:  # first: each ends its session at the SFU (DELETE)
            await publisher.close()
        self._publishers.clear()
        if self.chat is not None:
            await self.chat.close()
        for transport in reversed(self.transports):
            await transport.close()
        await self.switchboard.close()
        await self.desk.close()
        await self.webrtc.close()
        await asyncio.to_thread(self.engine.stop)
        self.studio.close()
        if self.brain is not None:
            await asyncio.to_thread(self.brain.close)

    async def _watch_brain(self, brain: LlamaServer) -> None:
        """Start the embedded brain again if it died (its answers fall back to the rules meanwhile)."""
        while True:
            await asyncio.sleep(BRAIN_CHECK_S)
            try:
                if await asyncio.to_thread(brain.ensure_running):
                    self.engine.telemetry.emit("brain_restarted", restarts=brain.restarts)
            except LlamaServerError as exc:
                logger.error("brain: %s", exc)

    def _start_whip(self) -> None:
        """Publish the live feed to each WHIP endpoint (the same packets, the shared Opus: no encode)."""
        from talkshow.broadcast.whip import WhipPublisher

        engine = self.engine
        for target in engine.settings.whip:
            publisher = WhipPublisher(target, engine.webrtc, engine.telemetry, engine.supervisor)
            publisher.start()
            self._publishers.append(publisher)

    async def _forget_old_memories(self) -> None:
        """The retention, applied once a day (and at start, by ``open_station``)."""
        memory = self.studio.recorder.memory.memory
        while True:
            await asyncio.sleep(86_400)
            await asyncio.to_thread(memory.prune)

    def _chat_booth(self) -> ChatBooth:
        """Chat on air: answers written by the show's reply writer, topic votes into the studio's queue."""
        config = self.engine.config
        replier = make_replier(config.section(TalkSettings), config.writer, self.engine.telemetry, config.sections)
        studio = self.studio

        def add_topic(topic: str) -> object:
            record = studio.store.add_show(topic, origin="chat")
            studio.hub.publish("queue", [r.as_dict() for r in studio.store.queued()])
            return record

        cohost = config.section(CohostSettings).enabled

        def line_busy() -> bool:
            call = self.desk.call
            if cohost:  # the streamer is always on the line: chat waits only for their turn and its answer
                return call is not None and call.busy
            return call is not None

        return ChatBooth(studio.show, replier, line_busy, add_topic)

    def line_status(self) -> dict[str, object]:
        """Who is on the line, over what, the conversation so far, and the phone callers holding."""
        return {**self.desk.status(), "viewers": self.webrtc.viewers(), "waiting": self.switchboard.waiting()}

    def line_summary(self) -> dict[str, object]:
        """The same without the conversation (the studio page's live view)."""
        return {**self.desk.summary(), "viewers": self.webrtc.viewers(), "waiting": self.switchboard.waiting()}

    def _warm(self) -> None:
        """Load talk mode's models and speak the phone prompts; if they fail, the show still runs."""
        try:
            self.desk.warm()
        except Exception as exc:  # the show does not need ears; a call will report this again
            logger.warning("talk mode is unavailable until this is fixed: %s", exc)
        try:
            self.switchboard.warm()
        except Exception as exc:  # a busy caller then hears silence before the hang-up
            logger.warning("the phone's busy and hold messages could not be made: %s", exc)
