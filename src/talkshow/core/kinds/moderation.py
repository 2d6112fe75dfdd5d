"""What moderation says of a line, and the small interfaces its checks and its users share."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

__all__ = ["SOURCES", "LineGate", "Moderator", "Verdict"]

# Where a line that can air comes from: the show's writer, a reply to a caller, a viewer's chat
# message, a caller's transcribed words (captioned and answered), the operator's pushed line.
SOURCES = ("writer", "reply", "chat", "caller", "operator")


@dataclass(frozen=True)
class Verdict:
    """One check's answer: may the line air, and if not, why (``stage`` names the check that decided)."""

    allowed: bool
    reason: str = ""
    stage: str = ""
    score: float | None = None
    categories: tuple[str, ...] = field(default=())
    ms: float = 0.0
    unsure: bool = False  # held, but the check leans rather than knows: a caller is asked to say it again

    @property
    def held(self) -> bool:
        """The line may not air."""
        return not self.allowed


class Moderator(Protocol):
    """One check (a provider of kind ``moderator``, or a built-in stage-1 check); blocking, thread-safe.

    ``check`` may raise or take too long: the gate treats both as "could not judge", and
    the line does not air (fail closed).
    """

    name: str

    def check(self, text: str) -> Verdict:
        """Judge ``text``."""

    def close(self) -> None:
        """Release connections or sessions."""


class LineGate(Protocol):
    """What a part that puts words on air asks before it does (``ModerationGate`` implements it)."""

    def review(self, text: str, source: str, who: str = "", confidence: float = 1.0) -> Verdict:
        """Judge ``text`` from ``source`` (one of ``SOURCES``), said or sent by ``who``; blocking, bounded.

        ``confidence``: how sure the ears were of a caller's words (the least sure word's probability;
        1.0 for text that is exact: typed, written or generated)."""

    def approve(self, text: str) -> None:
        """Let ``text`` pass once: the operator approved it in the studio."""
