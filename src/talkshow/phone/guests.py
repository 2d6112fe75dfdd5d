"""A cap on connections that have not authenticated yet, so strangers cannot hold sockets open."""

from __future__ import annotations

__all__ = ["MAX_GUESTS", "GuestLimit"]

MAX_GUESTS = 8  # media streams connected without a token yet (it may come in 'start'); more are refused


class GuestLimit:
    """Connections that have not shown the secret yet: at most ``limit`` at once, each held only briefly."""

    def __init__(self, limit: int = MAX_GUESTS) -> None:
        self.limit = limit
        self._held: set[object] = set()
        self._refusals = 0

    def take(self, owner: object) -> bool:
        """A place for ``owner``, a new unauthenticated connection; False if they are all taken."""
        if len(self._held) >= self.limit:
            self._refusals += 1
            return False
        self._held.add(owner)
        return True

    def give_back(self, owner: object) -> None:
        """``owner`` has authenticated or closed (idempotent)."""
        self._held.discard(owner)
        if not self._held:
            self._refusals = 0

    def refused_once(self) -> bool:
        """True at the first refusal of a run of them (the log says it once, not per connection)."""
        return self._refusals == 1
