"""The chat desk: every platform's messages in, programme out (questions for the cast, topic votes).

Sources deliver from the event loop or a route's thread; each delivery is O(1) under one
lock and never waits. Plain chatter is counted and let go (it never airs). Commands
become questions or topic votes, ranked by role and by what the viewer paid. A deleted
message, or any message of a banned or timed-out viewer, is taken out and never airs.
Moderation judges a question when it is chosen (``ChatHost``), so a flood costs stage 2
nothing. What each viewer may send is limited (a burst, then a cooldown between questions).
"""

from __future__ import annotations

import math
import re
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from talkshow.chat.settings import ChatSettings
from talkshow.config import CastMember
from talkshow.core.kinds.chat import ChatMessage, ChatRemoval
from talkshow.moderation.text import clean_untrusted
from talkshow.telemetry.events import Telemetry

__all__ = ["ChatDesk", "Question"]

_REMEMBERED = 10_000  # deleted ids and viewers' rate buckets kept (oldest forgotten first)
_ROLE_RANK = {"broadcaster": 100.0, "moderator": 50.0, "vip": 20.0, "subscriber": 10.0}
_CHEERMOTE = re.compile(r"(?<!\S)[A-Za-z]+\d+(?!\S)")


@dataclass(frozen=True)
class Question:
    """A viewer's question for one character, cleaned for the screen and the prompt."""

    message: ChatMessage
    character: str
    text: str
    name: str  # the display name, cleaned
    rank: float
    arrived: float  # time.monotonic()


class ChatDesk:
    """Implements ``ChatInbox``; hands ``ChatHost`` the best question and the topic votes."""

    def __init__(self, settings: ChatSettings, cast: tuple[CastMember, ...], telemetry: Telemetry) -> None:
        self.settings = settings
        self.telemetry = telemetry
        self._characters = {m.id.lower(): m.id for m in cast} | {m.name.lower(): m.id for m in cast}
        self._default = cast[0].id
        self._lock = threading.Lock()
        self._questions: dict[str, Question] = {}
        self._deleted: OrderedDict[str, None] = OrderedDict()
        self._banned: dict[str, float] = {}  # user key -> monotonic time the ban ends (inf: for good)
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # user -> (tokens, last)
        self._asked_at: OrderedDict[str, float] = OrderedDict()
        self.topics: Counter[str] = Counter()
        self._topic_voters: dict[str, set[str]] = {}
        self.counts: Counter[str] = Counter()
        self.sources: dict[str, dict[str, object]] = {}
        self._cleared_at: dict[str, float] = {}  # platform -> monotonic time its chat was last cleared
        self._watchers: list[Callable[[ChatRemoval], None]] = []

    # ChatInbox ---------------------------------------------------------------------------
    def accept(self, message: ChatMessage) -> None:
        """Take one message (any thread; never blocks)."""
        now = time.monotonic()
        with self._lock:
            self.counts["received"] += 1
            user = message.user_key
            if self._is_banned(user, now) or message.message_id in self._deleted:
                self.counts["from_banned"] += 1
                return
            if not self._within_rate(user, now):
                self.counts["flood_dropped"] += 1
                return
            self._take(message, now)

    def remove(self, removal: ChatRemoval) -> None:
        """A deletion, a ban or timeout, or a cleared chat: what it covers never airs."""
        with self._lock:
            self.counts["removals"] += 1
            if removal.message_id:
                self._deleted[removal.message_id] = None
                while len(self._deleted) > _REMEMBERED:
                    self._deleted.popitem(last=False)
                self._drop(lambda q: q.message.message_id == removal.message_id)
            elif removal.user_id:
                until = time.monotonic() + removal.seconds if removal.seconds else math.inf
                self._banned[removal.user_key] = until
                self._drop(lambda q: q.message.user_key == removal.user_key)
            else:
                self._cleared_at[removal.platform] = time.monotonic()
                self._drop(lambda q: q.message.platform == removal.platform)
            watchers = list(self._watchers)
        self.telemetry.emit("chat_removal", platform=removal.platform, reason=removal.reason or "deleted")
        for watcher in watchers:  # the host: an answer written, voiced or on air for it is dropped or cut
            watcher(removal)

    def watch_removals(self, watcher: Callable[[ChatRemoval], None]) -> None:
        """Call ``watcher(removal)`` after each removal (on the source's thread or loop: it must not block)."""
        with self._lock:
            self._watchers.append(watcher)

    def source_state(self, source: str, state: str, detail: str = "") -> None:
        """Note a source's state for the studio and the trace."""
        entry = self.sources.setdefault(source, {"detail": ""})
        entry.update(state=state, at=time.time(), **({"detail": detail} if detail else {}))
        self.telemetry.emit("chat_source", source=source, state=state, detail=detail)

    def quota(self, source: str, units_left: int, units_per_day: int) -> None:
        """A metered source's quota."""
        self.sources.setdefault(source, {}).update(quota_left=units_left, quota_per_day=units_per_day)
        self.telemetry.emit("chat_quota", source=source, units_left=units_left, units_per_day=units_per_day)

    # for the host ------------------------------------------------------------------------
    def take_question(self) -> Question | None:
        """The best question still wanted (it leaves the desk); None if there is none."""
        now = time.monotonic()
        with self._lock:
            stale = [k for k, q in self._questions.items() if now - q.arrived > self.settings.question_max_age_s]
            for key in stale:
                del self._questions[key]
            self.counts["expired"] += len(stale)
            if not self._questions:
                return None
            best = max(self._questions.values(), key=lambda q: (q.rank, -q.arrived))
            del self._questions[best.message.message_id]
            return best

    def still_wanted(self, question: Question) -> bool:
        """Not deleted, its viewer not banned and its chat not cleared since it arrived (checked again before air)."""
        with self._lock:
            gone = question.message.message_id in self._deleted
            cleared = self._cleared_at.get(question.message.platform, -math.inf) >= question.arrived
            return not gone and not cleared and not self._is_banned(question.message.user_key, time.monotonic())

    def take_topic(self) -> tuple[str, int] | None:
        """The most-voted topic suggestion and its votes (the votes reset); None if there are none."""
        with self._lock:
            if not self.topics:
                return None
            topic, votes = self.topics.most_common(1)[0]
            self.topics.clear()
            self._topic_voters.clear()
            return topic, votes

    def count(self, what: str) -> None:
        """Count an outcome the host saw (held, answered)."""
        with self._lock:
            self.counts[what] += 1

    @property
    def pending(self) -> int:
        """Questions waiting."""
        return len(self._questions)

    def status(self) -> dict[str, object]:
        """Counts, what waits, and each source's state."""
        with self._lock:
            return {
                "counts": dict(self.counts),
                "pending": len(self._questions),
                "topics": dict(self.topics.most_common(5)),
                "sources": {k: dict(v) for k, v in self.sources.items()},
            }

    # under the lock ----------------------------------------------------------------------
    def _take(self, message: ChatMessage, now: float) -> None:
        settings = self.settings
        text = message.text
        if message.bits:  # "Cheer100 !ask ...": the cheermotes are the payment, not the words
            text = _CHEERMOTE.sub("", text)
        words = text.strip().split(None, 1)
        command = words[0].lower() if words else ""
        rest = words[1] if len(words) > 1 else ""
        if command == settings.prefix + settings.ask_command or (message.kind == "redemption" and message.text.strip()):
            self._question(message, rest if command.startswith(settings.prefix) else text, now)
        elif command == settings.prefix + settings.topic_command and rest.strip():
            self._vote(message, rest)
        else:
            self.counts["chatter"] += 1  # plain chat never airs

    def _question(self, message: ChatMessage, text: str, now: float) -> None:
        first, _, rest = text.strip().partition(" ")
        character = self._characters.get(first.lower().strip(",:"))
        if character is not None:
            text = rest
        text = clean_untrusted(text, self.settings.max_chars)
        if not text:
            self.counts["empty"] += 1
            return
        user = message.user_key
        if now - self._asked_at.get(user, -math.inf) < self.settings.user_cooldown_s and not message.roles & {
            "broadcaster", "moderator"}:  # fmt: skip
            self.counts["cooldown"] += 1
            return
        self._asked_at[user] = now
        self._asked_at.move_to_end(user)
        while len(self._asked_at) > _REMEMBERED:
            self._asked_at.popitem(last=False)
        name = clean_untrusted(message.display_name, 40) or "a viewer"
        question = Question(message, character or self._default, text, name, _rank(message), now)
        self._questions[message.message_id] = question
        self.counts["questions"] += 1
        if len(self._questions) > self.settings.max_pending:
            lowest = min(self._questions.values(), key=lambda q: (q.rank, -q.arrived))
            del self._questions[lowest.message.message_id]
            self.counts["overflow"] += 1

    def _vote(self, message: ChatMessage, suggestion: str) -> None:
        topic = clean_untrusted(suggestion, 120).rstrip("?!. ").lower()
        if not topic:
            return
        voters = self._topic_voters.setdefault(topic, set())
        if message.user_key in voters or (topic not in self.topics and len(self.topics) >= 200):
            return
        voters.add(message.user_key)
        self.topics[topic] += 1
        self.counts["topic_votes"] += 1

    def _within_rate(self, user: str, now: float) -> bool:
        burst, period = self.settings.user_burst, self.settings.user_burst_s
        tokens, last = self._buckets.get(user, (float(burst), now))
        tokens = min(float(burst), tokens + (now - last) * burst / period)
        allowed = tokens >= 1.0
        self._buckets[user] = (tokens - 1.0 if allowed else tokens, now)
        self._buckets.move_to_end(user)
        if len(self._buckets) > _REMEMBERED:
            self._buckets.popitem(last=False)
        return allowed

    def _is_banned(self, user: str, now: float) -> bool:
        until = self._banned.get(user)
        if until is None:
            return False
        if now >= until:
            del self._banned[user]
            return False
        return True

    def _drop(self, which: Callable[[Question], bool]) -> None:
        doomed = [k for k, q in self._questions.items() if which(q)]
        for key in doomed:
            del self._questions[key]
        self.counts["removed"] += len(doomed)


def _rank(message: ChatMessage) -> float:
    """A role, plus what was paid: 500 bits or $10 of Super Chat outrank a moderator's free question."""
    rank = max((_ROLE_RANK[r] for r in message.roles if r in _ROLE_RANK), default=0.0)
    paid = message.bits / 5 + message.points / 100 + message.paid_micros / 1e5  # a bit is about a cent
    return rank + min(200.0, paid)
