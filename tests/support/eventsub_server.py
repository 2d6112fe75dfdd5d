"""A local server speaking Twitch EventSub's WebSocket (session_welcome, keepalives, notifications,
session_reconnect, revocation) and the Helix endpoints a source calls (users, subscriptions)."""

from __future__ import annotations

import contextlib
import itertools
import json
import threading
import uuid
from http.server import ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

from websockets.asyncio.server import ServerConnection
from websockets.exceptions import ConnectionClosed

from support.chat_servers import LoopThread, now_stamp
from support.local_http import JsonHandler


class EventSubServer:
    """EventSub's WebSocket and Helix's users and subscriptions, as Twitch's reference documents them."""

    def __init__(self, keepalive_s: int = 10, token: str = "user-token", client_id: str = "client-id") -> None:
        self.token, self.client_id = token, client_id
        self.keepalive_s = keepalive_s
        self.subscriptions: list[dict[str, Any]] = []
        self.helix_headers: list[dict[str, str]] = []
        self.sessions = itertools.count(1)
        self.welcomed = threading.Event()
        self.refuse_token = False
        outer = self

        async def handler(connection: ServerConnection) -> None:
            path = connection.request.path if connection.request else "/ws"
            session = path.split("session=")[1] if "session=" in path else f"session-{next(outer.sessions)}"
            connection.session_id = session  # type: ignore[attr-defined]
            await connection.send(
                json.dumps(
                    outer.envelope(
                        "session_welcome",
                        {
                            "session": {
                                "id": session,
                                "status": "connected",
                                "connected_at": now_stamp(),
                                "keepalive_timeout_seconds": outer.keepalive_s,
                                "reconnect_url": None,
                            }
                        },
                    )
                )
            )
            outer.welcomed.set()
            with contextlib.suppress(ConnectionClosed):
                async for _ in connection:  # clients send nothing but close frames
                    pass

        self._ws = LoopThread(handler)
        self.ws_url = f"ws://127.0.0.1:{self._ws.port}/ws"

        class Helix(JsonHandler):
            def do_GET(self) -> None:  # noqa: N802  # http.server's name
                outer.helix_headers.append(dict(self.headers))
                if not self._authorized():
                    return
                query = parse_qs(urlparse(self.path).query)
                if "login" in query:
                    known = query["login"][0] == "lambo"
                    self.send_json(200, {"data": [{"id": "1001", "login": "lambo"}] if known else []})
                else:
                    self.send_json(200, {"data": [{"id": "2002", "login": "talkshowbot"}]})

            def do_POST(self) -> None:  # noqa: N802  # http.server's name
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                if not self._authorized():
                    return
                outer.subscriptions.append(body)
                item = {
                    "id": str(uuid.uuid4()),
                    "status": "enabled",
                    "type": body["type"],
                    "version": body["version"],
                    "condition": body["condition"],
                    "created_at": now_stamp(),
                    "transport": body["transport"],
                    "cost": 0,
                }
                self.send_json(
                    202, {"data": [item], "total": len(outer.subscriptions), "total_cost": 0, "max_total_cost": 10}
                )

            def _authorized(self) -> bool:
                good = self.headers.get("Authorization") == f"Bearer {outer.token}"
                if outer.refuse_token or not good or self.headers.get("Client-Id") != outer.client_id:
                    self.send_json(401, {"error": "Unauthorized", "status": 401, "message": "Invalid OAuth token"})
                    return False
                return True

        self._http = ThreadingHTTPServer(("127.0.0.1", 0), Helix)
        self._http.daemon_threads = True
        threading.Thread(target=self._http.serve_forever, daemon=True).start()
        self.api_url = f"http://127.0.0.1:{self._http.server_port}/helix"

    @staticmethod
    def envelope(kind: str, payload: dict[str, Any], subscription_type: str = "") -> dict[str, Any]:
        metadata = {"message_id": str(uuid.uuid4()), "message_type": kind, "message_timestamp": now_stamp()}
        if subscription_type:
            metadata |= {"subscription_type": subscription_type, "subscription_version": "1"}
        return {"metadata": metadata, "payload": payload}

    def _send(self, message: dict[str, Any]) -> None:
        connection = self._ws.connections[-1]
        self._ws.call(connection.send(json.dumps(message)))

    @property
    def connections(self) -> int:
        return len(self._ws.connections)

    def notify(self, kind: str, event: dict[str, Any]) -> None:
        """A notification for the latest session's subscription of ``kind``."""
        subscription = {
            "id": str(uuid.uuid4()),
            "status": "enabled",
            "type": kind,
            "version": "1",
            "cost": 0,
            "condition": {"broadcaster_user_id": "1001"},
            "created_at": now_stamp(),
            "transport": {"method": "websocket", "session_id": "?"},
        }
        self._send(self.envelope("notification", {"subscription": subscription, "event": event}, kind))

    def keepalive(self) -> None:
        self._send(self.envelope("session_keepalive", {}))

    def reconnect(self) -> None:
        """Move the latest session to a new connection (its subscriptions go with it)."""
        session = self._ws.connections[-1].session_id  # type: ignore[attr-defined]
        url = f"{self.ws_url}?session={session}"
        self._send(
            self.envelope(
                "session_reconnect",
                {
                    "session": {
                        "id": session,
                        "status": "reconnecting",
                        "keepalive_timeout_seconds": None,
                        "reconnect_url": url,
                        "connected_at": now_stamp(),
                    }
                },
            )
        )

    def revoke(self, kind: str, status: str = "authorization_revoked") -> None:
        subscription = {
            "id": str(uuid.uuid4()),
            "status": status,
            "type": kind,
            "version": "1",
            "cost": 0,
            "condition": {"broadcaster_user_id": "1001"},
            "created_at": now_stamp(),
            "transport": {"method": "websocket", "session_id": "?"},
        }
        self._send(self.envelope("revocation", {"subscription": subscription}))

    def close(self) -> None:
        self._ws.close()
        self._http.shutdown()
        self._http.server_close()


def chat_event(text: str, user_id: str, name: str, message_id: str = "", **extra: Any) -> dict[str, Any]:
    """A ``channel.chat.message`` event payload."""
    event: dict[str, Any] = {
        "broadcaster_user_id": "1001",
        "broadcaster_user_login": "lambo",
        "broadcaster_user_name": "Lambo",
        "chatter_user_id": user_id,
        "chatter_user_login": name.lower(),
        "chatter_user_name": name,
        "message_id": message_id or str(uuid.uuid4()),
        "message": {"text": text, "fragments": [{"type": "text", "text": text}]},
        "color": "#00FF00",
        "badges": [],
        "message_type": "text",
        "cheer": None,
        "reply": None,
        "channel_points_custom_reward_id": None,
    }
    event.update(extra)
    return event
