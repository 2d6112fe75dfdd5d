"""YouTube live chat by polling ``liveChatMessages.list``, within the API's daily quota.

Each list call costs 5 of the project's 10,000 units a day (reset at midnight Pacific
time). The source waits the ``pollingIntervalMillis`` each answer asks for; when less than
a quarter of the day's units is left it stretches the wait so the rest lasts until the
reset, and when none is left (or YouTube says ``quotaExceeded``) it waits for the reset.
The units left are reported after every call. ``[chat.youtube]``: ``video_id`` (or
``live_chat_id``); ``api_key_env`` (default ``YOUTUBE_API_KEY``) or ``api_key_file``;
``units_per_day``; ``api_url`` for tests.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import httpx

from talkshow.chat.credentials import secret
from talkshow.chat.reconnect import Reconnecting, ReconnectingSource, SourceRevokedError
from talkshow.core.kinds.chat import ChatInbox, ChatMessage, ChatRemoval

logger = logging.getLogger(__name__)

__all__ = ["LIST_COST", "QuotaMeter", "YouTubeChatSource", "create", "item_to_chat"]

DEFAULT_API_URL = "https://www.googleapis.com/youtube/v3"
LIST_COST = 5  # units per liveChatMessages.list
LOOKUP_COST = 1  # units per videos.list
RESERVE_FRACTION = 0.25  # below this much of the day's units, polls are spread to last until the reset
MIN_POLL_S = 1.0


def _pacific() -> Any:
    try:
        return ZoneInfo("America/Los_Angeles")
    except ZoneInfoNotFoundError:  # no tz database: Pacific standard time is near enough for a daily reset
        from datetime import timezone

        return timezone(timedelta(hours=-8))


class QuotaMeter:
    """Counts the units spent since the last reset (midnight Pacific) and paces the polls."""

    def __init__(self, units_per_day: int = 10_000, clock: Any = time.time) -> None:
        self.units_per_day = units_per_day
        self.clock = clock
        self.spent = 0
        self._day = self._today()

    def _today(self) -> str:
        return datetime.fromtimestamp(self.clock(), _pacific()).date().isoformat()

    def seconds_to_reset(self) -> float:
        """Until the next midnight, Pacific time."""
        now = datetime.fromtimestamp(self.clock(), _pacific())
        midnight = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
        return max(1.0, (midnight - now).total_seconds())

    @property
    def left(self) -> int:
        """Units left today."""
        if self._today() != self._day:
            self._day, self.spent = self._today(), 0
        return max(0, self.units_per_day - self.spent)

    def spend(self, units: int) -> None:
        """A call was made."""
        _ = self.left  # roll the day over first
        self.spent += units

    def exhausted(self) -> None:
        """YouTube said the quota is gone, whatever the count says (other programs share the project)."""
        self.spent = self.units_per_day

    def wait_s(self, asked_s: float) -> float:
        """How long to wait before the next list call, given the wait the API asked for."""
        left = self.left
        if left < LIST_COST:
            return self.seconds_to_reset()
        wait = max(asked_s, MIN_POLL_S)
        if left < self.units_per_day * RESERVE_FRACTION:
            wait = max(wait, self.seconds_to_reset() / (left // LIST_COST))
        return wait


def item_to_chat(item: dict[str, Any]) -> ChatMessage | ChatRemoval | None:
    """One ``liveChatMessage`` resource as the desk's message or removal; None for other event types."""
    snippet, author = item["snippet"], item.get("authorDetails") or {}
    kind = snippet.get("type")
    if kind == "messageDeletedEvent":
        return ChatRemoval("youtube", message_id=str(snippet["messageDeletedDetails"]["deletedMessageId"]))
    if kind == "userBannedEvent":
        details = snippet["userBannedDetails"]
        seconds = float(details.get("banDurationSeconds", 0)) if details.get("banType") == "temporary" else 0.0
        return ChatRemoval("youtube", user_id=str(details["bannedUserDetails"]["channelId"]), seconds=seconds,
                           reason="timeout" if seconds else "ban")  # fmt: skip
    if kind not in ("textMessageEvent", "superChatEvent"):
        return None
    roles = {role for role, flag in (("broadcaster", "isChatOwner"), ("moderator", "isChatModerator"),
                                     ("subscriber", "isChatSponsor")) if author.get(flag)}  # fmt: skip
    paid = snippet.get("superChatDetails") or {}
    text = (snippet.get("textMessageDetails") or {}).get("messageText") or paid.get("userComment") or ""
    published = str(snippet.get("publishedAt", ""))
    try:
        at = datetime.fromisoformat(published.replace("Z", "+00:00")).timestamp()
    except ValueError:
        at = time.time()
    return ChatMessage(
        platform="youtube",
        message_id=str(item["id"]),
        user_id=str(author.get("channelId") or snippet.get("authorChannelId") or ""),
        display_name=str(author.get("displayName", "")),
        text=str(text),
        at=at,
        roles=frozenset(roles),
        paid_micros=int(paid.get("amountMicros", 0) or 0),
        currency=str(paid.get("currency", "")),
        kind="superchat" if paid else "message",
    )


class YouTubeChatSource(ReconnectingSource):
    """Polls one broadcast's live chat."""

    def __init__(self, options: dict[str, Any], inbox: ChatInbox, name: str = "youtube") -> None:
        self.video_id = str(options.get("video_id", "")).strip()
        self.live_chat_id = str(options.get("live_chat_id", "")).strip()
        if not self.video_id and not self.live_chat_id:
            raise ValueError("chat youtube needs video_id (the live broadcast) or live_chat_id")
        self.options = options
        self.inbox = inbox
        self.name = name
        self.api_url = str(options.get("api_url", DEFAULT_API_URL)).rstrip("/")
        self.quota = QuotaMeter(int(options.get("units_per_day", 10_000)))
        self.malformed = 0
        self._runner = Reconnecting(name, inbox, self._session, backoff_s=(5.0, 300.0))

    async def _session(self) -> None:
        key = secret(self.options, "api_key", "YOUTUBE_API_KEY", "the YouTube API key")
        async with httpx.AsyncClient(base_url=self.api_url, timeout=15.0) as api:
            chat_id = self.live_chat_id or await self._find_chat(api, key)
            page = ""
            while True:
                if self.quota.left < LIST_COST:
                    await self._wait_for_reset()
                    continue
                body = await self._call(api, "/liveChat/messages", LIST_COST, key=key, liveChatId=chat_id,
                                        part="snippet,authorDetails", maxResults=2000, pageToken=page)  # fmt: skip
                if body is None:  # the quota ran out on YouTube's side
                    continue
                for item in body.get("items") or ():
                    self._deliver(item)
                page = str(body.get("nextPageToken") or page)
                self.inbox.source_state(self.name, "running", f"quota {self.quota.left} of {self.quota.units_per_day}")
                await asyncio.sleep(self.quota.wait_s(float(body.get("pollingIntervalMillis", 5000)) / 1000))

    async def _find_chat(self, api: httpx.AsyncClient, key: str) -> str:
        body = await self._call(api, "/videos", LOOKUP_COST, key=key, id=self.video_id, part="liveStreamingDetails")
        items = (body or {}).get("items") or []
        chat_id = (items[0].get("liveStreamingDetails") or {}).get("activeLiveChatId") if items else None
        if not chat_id:
            raise SourceRevokedError(f"YouTube video {self.video_id} has no live chat (not live, or chat is off)")
        return str(chat_id)

    async def _call(self, api: httpx.AsyncClient, path: str, cost: int, **params: Any) -> dict[str, Any] | None:
        response = await api.get(path, params={k: v for k, v in params.items() if v != ""})
        self.quota.spend(cost)
        self.inbox.quota(self.name, self.quota.left, self.quota.units_per_day)
        if response.is_success:
            body = response.json()
            if not isinstance(body, dict):
                raise ValueError(f"YouTube {path} answered with {type(body).__name__}")
            return body
        reasons = _reasons(response)
        if "quotaExceeded" in reasons or "dailyLimitExceeded" in reasons:
            self.quota.exhausted()
            self.inbox.quota(self.name, 0, self.quota.units_per_day)
            logger.warning("youtube: the API quota is used up; chat resumes after the reset")
            return None
        if reasons & {"liveChatEnded", "liveChatNotFound", "liveChatDisabled", "forbidden"} or response.status_code in (
            400,
            401,
        ):
            raise SourceRevokedError(f"YouTube refused {path} ({response.status_code} {', '.join(sorted(reasons))})")
        response.raise_for_status()
        raise ValueError(f"YouTube {path} answered {response.status_code}")

    async def _wait_for_reset(self) -> None:
        wait = self.quota.seconds_to_reset()
        self.inbox.source_state(self.name, "waiting", f"quota used up; resumes in {wait / 3600:.1f} h")
        await asyncio.sleep(min(wait, 600))  # re-check now and then: the day may roll over

    def _deliver(self, item: Any) -> None:
        try:
            chat = item_to_chat(item)
        except (KeyError, TypeError, ValueError):
            self.malformed += 1
            return
        if isinstance(chat, ChatMessage):
            self.inbox.accept(chat)
        elif chat is not None:
            self.inbox.remove(chat)


def _reasons(response: httpx.Response) -> set[str]:
    try:
        errors = response.json()["error"]["errors"]
        return {str(e.get("reason", "")) for e in errors}
    except (ValueError, KeyError, TypeError):
        return set()


def create(options: dict[str, Any], inbox: ChatInbox) -> YouTubeChatSource:
    """The ``chat`` provider ``youtube`` from ``[chat.youtube]``."""
    return YouTubeChatSource(options, inbox)
