"""Local servers speaking the chat platforms' exact protocols, for the chat sources' tests.

- ``TwitchIrcServer``: Twitch chat's IRC over WebSocket (as irc-ws.chat.twitch.tv), IRCv3 tags.
- ``EventSubServer`` (``support.eventsub_server``): Twitch EventSub's WebSocket and Helix.
- ``YouTubeServer``: the Data API's ``videos.list`` and ``liveChatMessages.list``, with quota errors.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed

from support.local_http import JsonHandler


class LoopThread:
    """An asyncio loop on its own thread, serving one WebSocket handler on loopback."""

    def __init__(self, handler: Callable[[ServerConnection], Any]) -> None:
        self.loop = asyncio.new_event_loop()
        self.connections: list[ServerConnection] = []
        ready = threading.Event()

        async def main() -> None:
            async def tracked(connection: ServerConnection) -> None:
                self.connections.append(connection)
                await handler(connection)

            async with serve(tracked, "127.0.0.1", 0) as server:
                self.port = server.sockets[0].getsockname()[1]
                self._stop = asyncio.Event()
                ready.set()
                await self._stop.wait()

        self.thread = threading.Thread(target=self.loop.run_until_complete, args=(main(),), daemon=True)
        self.thread.start()
        ready.wait(10)

    def call(self, coroutine: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(10)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self._stop.set)
        self.thread.join(10)


class TwitchIrcServer:
    """Twitch IRC: answers CAP/NICK/JOIN as Twitch does, and sends what the test scripts to every client."""

    def __init__(self) -> None:
        self.received: list[str] = []
        self.joined = threading.Event()

        async def handler(connection: ServerConnection) -> None:
            with contextlib.suppress(ConnectionClosed):  # the client going away is no error of ours
                await serve_irc(connection)

        async def serve_irc(connection: ServerConnection) -> None:
            async for frame in connection:
                for line in str(frame).split("\r\n"):
                    if not line:
                        continue
                    self.received.append(line)
                    if line.startswith("CAP REQ"):
                        await connection.send(":tmi.twitch.tv CAP * ACK :twitch.tv/tags twitch.tv/commands\r\n")
                    elif line.startswith("NICK"):
                        nick = line.split()[1]
                        await connection.send(f":tmi.twitch.tv 001 {nick} :Welcome, GLHF!\r\n")
                    elif line.startswith("JOIN"):
                        channel = line.split()[1]
                        nick = next(r.split()[1] for r in reversed(self.received) if r.startswith("NICK"))
                        await connection.send(
                            f":{nick}!{nick}@{nick}.tmi.twitch.tv JOIN {channel}\r\n"
                            f"@emote-only=0;room-id=1001 :tmi.twitch.tv ROOMSTATE {channel}\r\n"
                        )
                        self.joined.set()

        self._server = LoopThread(handler)
        self.url = f"ws://127.0.0.1:{self._server.port}"

    def send(self, *lines: str) -> None:
        """Send ``lines`` (one frame, CR LF separated, as Twitch batches them) to the latest client."""
        connection = self._server.connections[-1]
        self._server.call(connection.send("".join(line + "\r\n" for line in lines)))

    @property
    def connections(self) -> int:
        return len(self._server.connections)

    def close(self) -> None:
        self._server.close()


def privmsg(text: str, user_id: str, name: str, message_id: str = "", **tags: str) -> str:
    """A PRIVMSG as Twitch sends it, tags escaped."""
    escaped = name.replace("\\", "\\\\").replace(" ", "\\s").replace(";", "\\:")
    all_tags = {
        "badge-info": "",
        "badges": "",
        "color": "#1E90FF",
        "display-name": escaped,
        "emotes": "",
        "id": message_id or str(uuid.uuid4()),
        "mod": "0",
        "room-id": "1001",
        "subscriber": "0",
        "tmi-sent-ts": str(int(time.time() * 1000)),
        "turbo": "0",
        "user-id": user_id,
        "user-type": "",
    }
    all_tags.update(tags)
    login = name.lower().replace(" ", "")
    tag_text = ";".join(f"{k}={v}" for k, v in all_tags.items())
    return f"@{tag_text} :{login}!{login}@{login}.tmi.twitch.tv PRIVMSG #lambo :{text}"


def twitch_chat_show(folder: Path, shows_dir: Path, irc: TwitchIrcServer, more: str = "") -> Path:
    """The lambo show at 640x360 with chat answered at once and Twitch IRC on ``irc`` (plus ``more`` TOML)."""
    show = folder / "chat.toml"
    show.write_text(
        (shows_dir / "lambo.toml").read_text()
        + "\n[video]\nwidth = 640\nheight = 360\n"
        + "\n[chat]\nanswer_every_s = 0\nanswer_every_turns = 0\n"
        + more
        + f'[chat.twitch-irc]\nurl = "{irc.url}"\n'  # the channel comes from --twitch, as a new user gives it
    )
    return show


def now_stamp() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


class YouTubeServer:
    """``videos.list`` and ``liveChatMessages.list`` (v3), answering from ``pages`` in turn; then quota errors."""

    def __init__(self, pages: list[list[dict[str, Any]]], interval_ms: int = 200, quota_after: int = 10**9) -> None:
        self.calls: list[tuple[str, dict[str, list[str]]]] = []
        self.pages = pages
        outer = self

        class Handler(JsonHandler):
            def do_GET(self) -> None:  # noqa: N802  # http.server's name
                url = urlparse(self.path)
                query = parse_qs(url.query)
                outer.calls.append((url.path, query))
                if query.get("key") != ["yt-key"]:
                    self.send_json(400, _yt_error(400, "keyInvalid", "API key not valid."))
                elif url.path.endswith("/videos"):
                    details = {"actualStartTime": now_stamp(), "activeLiveChatId": "chat-123"}
                    self.send_json(
                        200,
                        {
                            "kind": "youtube#videoListResponse",
                            "items": [{"id": query["id"][0], "liveStreamingDetails": details}],
                        },
                    )
                elif sum(1 for p, _ in outer.calls if p.endswith("/messages")) > quota_after:
                    self.send_json(
                        403,
                        _yt_error(
                            403,
                            "quotaExceeded",
                            "The request cannot be completed because you have exceeded your quota.",
                        ),
                    )
                else:
                    token = query.get("pageToken", ["0"])[0]
                    index = int(token) if token.isdigit() else 0
                    items = outer.pages[index] if index < len(outer.pages) else []
                    self.send_json(
                        200,
                        {
                            "kind": "youtube#liveChatMessageListResponse",
                            "pollingIntervalMillis": interval_ms,
                            "nextPageToken": str(min(index + 1, len(outer.pages))),
                            "items": items,
                            "pageInfo": {"totalResults": len(items), "resultsPerPage": len(items)},
                        },
                    )

        self._http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._http.daemon_threads = True
        threading.Thread(target=self._http.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self._http.server_port}/youtube/v3"

    def list_calls(self) -> int:
        return sum(1 for path, _ in self.calls if path.endswith("/messages"))

    def close(self) -> None:
        self._http.shutdown()
        self._http.server_close()


def _yt_error(code: int, reason: str, message: str) -> dict[str, Any]:
    return {
        "error": {
            "code": code,
            "message": message,
            "errors": [
                {
                    "message": message,
                    "domain": "youtube.quota" if reason == "quotaExceeded" else "global",
                    "reason": reason,
                }
            ],
        }
    }


def yt_text(message_id: str, channel: str, name: str, text: str, moderator: bool = False) -> dict[str, Any]:
    """A ``textMessageEvent`` liveChatMessage."""
    return {
        "kind": "youtube#liveChatMessage",
        "id": message_id,
        "snippet": {
            "type": "textMessageEvent",
            "liveChatId": "chat-123",
            "authorChannelId": channel,
            "publishedAt": now_stamp(),
            "hasDisplayContent": True,
            "displayMessage": text,
            "textMessageDetails": {"messageText": text},
        },
        "authorDetails": {
            "channelId": channel,
            "displayName": name,
            "isVerified": False,
            "isChatOwner": False,
            "isChatSponsor": False,
            "isChatModerator": moderator,
        },
    }
