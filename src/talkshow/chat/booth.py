"""Everything chat needs on a station: the desk, each configured source by provider name, and the host."""

from __future__ import annotations

import logging
from collections.abc import Callable

from fastapi import APIRouter

from talkshow.chat.desk import ChatDesk
from talkshow.chat.host import ChatHost
from talkshow.chat.settings import ChatSettings
from talkshow.core.faces import ShowControl
from talkshow.core.kinds.chat import ChatSource
from talkshow.core.kinds.writer import ReplyWriter

logger = logging.getLogger(__name__)

__all__ = ["ChatBooth"]


class ChatBooth:
    """Sources -> desk -> moderation -> host -> air, for the show's ``[chat]`` (start and close it on the loop)."""

    def __init__(
        self,
        show: ShowControl,
        replier: ReplyWriter,
        line_busy: Callable[[], bool],
        add_topic: Callable[[str], object],
    ) -> None:
        from talkshow.providers import CHAT_SOURCES

        settings = show.config.section(ChatSettings)
        self.desk = ChatDesk(settings, show.config.cast, show.telemetry)
        self.sources: list[ChatSource] = [
            CHAT_SOURCES.load(name)(options, self.desk) for name, options in settings.sources.items()
        ]
        self.host = ChatHost(self.desk, show, replier, line_busy, add_topic)

    def routes(self) -> list[APIRouter]:
        """The sources' own routes (the webhook's), and ``GET /api/chat``."""
        routers = [r for r in (source.routes() for source in self.sources) if r is not None]
        status = APIRouter()
        status.add_api_route("/api/chat", self.desk.status, methods=["GET"])
        return [*routers, status]

    async def start(self) -> None:
        """Start every source, then the host."""
        for source in self.sources:
            await source.start()
        self.host.start()

    async def close(self) -> None:
        """Stop the host, then the sources."""
        await self.host.close()
        for source in reversed(self.sources):
            await source.close()
