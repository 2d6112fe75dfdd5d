"""Who may steer the studio, and how often.

Bound to loopback, the studio trusts its machine. Bound beyond it, every control
request needs ``Authorization: Bearer <token>``. The token is generated on first
start and printed once; only its SHA-256 is kept, so it cannot be read back later.
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
import secrets
import threading
import time
from collections.abc import Callable
from typing import Annotated
from urllib.parse import parse_qs, urlsplit

from fastapi import Header, HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from talkshow.core.errors import InputError
from talkshow.studio.store import StudioStore

__all__ = [
    "LOOPBACK_NAMES",
    "BodyTooLargeError",
    "RateLimiter",
    "RequestGuard",
    "TokenGate",
    "control_dependency",
    "is_loopback",
    "prepare_token",
]

_TOKEN_KEY = "control_token_sha256"


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def prepare_token(store: StudioStore, rotate: bool = False, given: str | None = None) -> tuple[TokenGate, str | None]:
    """The gate for a server bound beyond loopback, and a new token to print (None if one exists).

    ``given`` (e.g. from ``TALKSHOW_TOKEN``) replaces the stored token; ``rotate`` makes a new one.
    """
    if given:
        store.set_setting(_TOKEN_KEY, _digest(given))
        return TokenGate(_digest(given)), None
    stored = store.setting(_TOKEN_KEY)
    if stored and not rotate:
        return TokenGate(stored), None
    token = secrets.token_urlsafe(24)
    store.set_setting(_TOKEN_KEY, _digest(token))
    return TokenGate(_digest(token)), token


class TokenGate:
    """Checks ``Authorization`` headers against a token's digest (None: everyone may control)."""

    def __init__(self, digest: str | None) -> None:
        self.digest = digest

    @property
    def required(self) -> bool:
        """True when control requests need the token."""
        return self.digest is not None

    def problem(self, authorization: str | None) -> str | None:
        """Why ``authorization`` is refused, or None if it may control."""
        if self.digest is None:
            return None
        if not authorization:
            return "missing bearer token: send Authorization: Bearer <token> (printed when the server first started)"
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not secrets.compare_digest(_digest(token.strip()), self.digest):
            return "wrong bearer token"
        return None


def control_dependency(gate: TokenGate) -> Callable[..., None]:
    """A FastAPI dependency that refuses a control request without the token (401), for the OpenAPI docs too."""

    def control(authorization: Annotated[str | None, Header()] = None) -> None:
        problem = gate.problem(authorization)
        if problem is not None:
            raise HTTPException(401, problem, headers={"WWW-Authenticate": "Bearer"})

    return control


class RateLimiter:
    """A token bucket per client: ``burst`` requests at once, then one every ``per_s`` seconds."""

    def __init__(self, burst: int, per_s: float) -> None:
        self.burst = burst
        self.per_s = per_s
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def retry_after(self, client: str) -> float:
        """0 if ``client`` may go ahead now (and counts it), else seconds until it may."""
        now = time.monotonic()
        with self._lock:
            if len(self._buckets) > 10_000:  # forget idle clients so the table stays small
                self._buckets = {k: v for k, v in self._buckets.items() if now - v[1] < self.burst * self.per_s}
            tokens, last = self._buckets.get(client, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - last) / self.per_s)
            if tokens < 1.0:
                self._buckets[client] = (tokens, now)
                return (1.0 - tokens) * self.per_s
            self._buckets[client] = (tokens - 1.0, now)
            return 0.0


LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
_UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class BodyTooLargeError(InputError):
    """A request body went over the limit while it was being read."""


class RequestGuard:
    """ASGI middleware: who may reach the studio, from where, and with how much, before any route runs.

    - ``Host`` must name this server (DNS rebinding: a hostile name that resolves to
      127.0.0.1 is refused). ``hosts`` None accepts any (bound to 0.0.0.0, the token guards).
    - A state-changing request or a WebSocket whose ``Origin`` is another site is refused
      (a page elsewhere, open in the operator's browser, cannot steer the show).
    - Control requests (any non-GET under ``/api/``, any request to ``/mcp``) and the event stream need the token,
      checked before a single byte of the body is read.
    - A body is counted while it streams in and refused once it passes ``max_body``,
      with or without a Content-Length; nothing is spooled to disk.
    """

    def __init__(
        self, app: ASGIApp, gate: TokenGate, hosts: frozenset[str] | None, max_body: int, gated_sockets: frozenset[str]
    ) -> None:
        self.app = app
        self.gate = gate
        self.hosts = hosts
        self.max_body = max_body
        self.gated_sockets = gated_sockets

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        refusal = self._refusal(scope, headers)
        if refusal is not None:
            status, message = refusal
            await _refuse(scope, receive, send, status, message)
            return
        if scope["type"] == "websocket":
            await self.app(scope, receive, send)
            return
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_body:
            await _refuse(scope, receive, send, 413, f"request body is {int(declared)} bytes; {self._limit()}")
            return
        await self._counted(scope, receive, send)

    def _limit(self) -> str:
        return f"uploads are limited to {self.max_body // 2**20} MB"

    def _refusal(self, scope: Scope, headers: dict[str, str]) -> tuple[int, str] | None:
        host = headers.get("host", "")
        hostname = _hostname(host)
        if self.hosts is not None and hostname not in self.hosts:
            return (
                421,
                f"Host {host!r} is not a name this studio answers to; use one of {', '.join(sorted(self.hosts))}",
            )
        path = scope.get("path", "")
        agent = path == "/mcp" or path.startswith("/mcp/")  # MCP: every method steers the show
        unsafe = scope["type"] == "websocket" or scope.get("method", "GET") in _UNSAFE_METHODS or agent
        origin = headers.get("origin")
        if unsafe and origin is not None and origin != "null" and _netloc(origin) != host.lower():
            return 403, f"cross-site request refused: Origin {origin!r} is not this studio ({host})"
        if unsafe and (origin == "null" or headers.get("sec-fetch-site") == "cross-site"):
            return 403, "cross-site request refused"
        if scope["type"] == "websocket":
            gated = path in self.gated_sockets
        else:
            gated = agent or (
                unsafe and path.startswith("/api/") and not _open_to_viewers(scope.get("method", ""), path)
            )
        if gated:
            authorization = headers.get("authorization")
            if authorization is None and scope["type"] == "websocket":
                token = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("token", [""])[0]
                authorization = f"Bearer {token}" if token else None  # browsers cannot set headers on a WebSocket
            problem = self.gate.problem(authorization)
            if problem is not None:
                return 401, problem
        return None

    async def _counted(self, scope: Scope, receive: Receive, send: Send) -> None:
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise BodyTooLargeError
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLargeError:
            if not started:
                body = {"error": f"request body is over {self.max_body} bytes; {self._limit()}"}
                await JSONResponse(body, status_code=413, headers={"Connection": "close"})(scope, receive, send)


def _hostname(host: str) -> str:
    """The name part of a Host header: ``[::1]:8000`` -> ``::1``, ``Example.com:80`` -> ``example.com``."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _netloc(origin: str) -> str:
    try:
        return urlsplit(origin).netloc.lower()
    except ValueError:
        return "?"


async def _refuse(scope: Scope, receive: Receive, send: Send, status: int, message: str) -> None:
    if scope["type"] == "websocket":
        await send({"type": "websocket.close", "code": 1008, "reason": message[:120]})
        return
    await JSONResponse({"error": message}, status_code=status)(scope, receive, send)


_VIEWER_SESSION = re.compile(r"/api/rtc/(?!call$|talk$|watch$)[A-Za-z0-9_-]{8,64}")


def _open_to_viewers(method: str, path: str) -> bool:
    """Watching is open, like HLS: starting a WebRTC viewer, and ending a WebRTC session by its id (which only
    its own peer was given), need no token. Calling in and everything that steers the show do."""
    return (method == "POST" and path == "/api/rtc/watch") or (
        method == "DELETE" and bool(_VIEWER_SESSION.fullmatch(path))
    )
