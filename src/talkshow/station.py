"""The station: the one place that builds a live show's parts from its config, and owns their lifetimes.

Everything the server serves is built here and handed to it: the engine on air (inside the
studio), the talk desk that holds the one line, the switchboard that answers phone calls, and
every caller transport the show file turns on, each by its provider name
(``talkshow.providers.TRANSPORTS``). The HTTP app builds nothing; it mounts what the station
has and starts and stops it with the server.

``start`` loads the ears and speaks the phone prompts before the clock runs (both hold the
GIL), then starts the engine and the transports; ``stop`` undoes it in reverse. A transport
that cannot start (its port taken) is a part the supervisor shows as restarting; the show
goes on without it.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from talkshow.phone.switchboard import Switchboard
from talkshow.phone.transport import CallerTransport
from talkshow.providers import TRANSPORTS
from talkshow.talk.desk import TalkDesk

if TYPE_CHECKING:
    from talkshow.server.studio import Studio

logger = logging.getLogger(__name__)

__all__ = ["Station"]


class Station:
    """A studio's engine with its talk desk, switchboard and caller transports (an async context manager)."""

    def __init__(self, studio: Studio) -> None:
        self.studio = studio
        self.engine = studio.engine
        try:
            self.desk = TalkDesk(self.engine.on_air)
            self.switchboard = Switchboard(self.desk)
            enabled = self.engine.config.phone.enabled_transports
            self.transports: list[CallerTransport] = [
                TRANSPORTS.load(name)(options, self.switchboard) for name, options in enabled.items()
            ]
        except BaseException:  # half a station must not keep the engine's children and the database open
            self.engine.stop()
            studio.close()
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
        except BaseException:  # a failed start still releases the engine, the recorder and the database
            await self.stop()
            raise

    async def stop(self) -> None:
        """Close the transports, hang up every call, stop the engine and close the studio (idempotent)."""
        for transport in reversed(self.transports):
            await transport.close()
        await self.switchboard.close()
        await self.desk.close()
        await asyncio.to_thread(self.engine.stop)
        self.studio.close()

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
