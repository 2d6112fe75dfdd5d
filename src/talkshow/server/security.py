"""Who may steer the studio, and how often.

Bound to loopback, the studio trusts its machine. Bound beyond it, every control
request needs ``Authorization: Bearer <token>``. The token is generated on first
start and printed once; only its SHA-256 is kept, so it cannot be read back later.
"""

from __future__ import annotations

import hashlib
import ipaddress
import secrets
import threading
import time

from talkshow.studio import StudioStore

__all__ = ["RateLimiter", "TokenGate", "is_loopback", "prepare_token"]

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
