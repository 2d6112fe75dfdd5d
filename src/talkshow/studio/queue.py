"""The studio's show queue as the programme's source of shows.

The programme asks on the renderer thread; taking a show is one short SQLite
transaction. When the queue is empty the house topics keep the show going, each
recorded as a show of its own so its transcript is kept like any other.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from talkshow.core.shows import ShowPlan
from talkshow.studio.cast import CastCatalog
from talkshow.studio.hub import EventHub
from talkshow.studio.memory import Memory
from talkshow.studio.store import ShowRecord, StudioStore

logger = logging.getLogger(__name__)

__all__ = ["StudioQueue"]


class StudioQueue:
    """Hands out queued shows in order, then house topics if there are any."""

    def __init__(
        self,
        store: StudioStore,
        catalog: CastCatalog,
        house_topics: Sequence[str],
        hub: EventHub,
        repeat_house: bool = True,
        memory: Memory | None = None,
    ) -> None:
        """``memory``: what earlier shows said on a topic goes to its writer."""
        self.store = store
        self.memory = memory
        self.catalog = catalog
        self.house_topics = list(house_topics)
        self.hub = hub
        self.repeat_house = repeat_house  # False: each house topic once per run, then idle
        self._house_taken = 0

    def next_show(self) -> ShowPlan | None:
        """The next queued show (now on air), or the next house topic; None if neither."""
        record = self.store.take_next()
        if record is None:
            topic = self._next_house_topic()
            if topic is not None:
                self.store.add_show(topic, origin="house")
                record = self.store.take_next()
        if record is None:
            return None
        self.hub.publish("show", record.as_dict())
        self.hub.publish("queue", [r.as_dict() for r in self.store.queued()])
        return self.plan_for(record)

    def _next_house_topic(self) -> str | None:
        topics = self.house_topics
        if not topics or (not self.repeat_house and self._house_taken >= len(topics)):
            return None
        if self.repeat_house:  # carry on through the list across restarts
            index = int(self.store.setting("house_next") or 0)
            self.store.set_setting("house_next", str(index + 1))
        else:
            index = self._house_taken
        self._house_taken += 1
        return topics[index % len(topics)]

    def plan_for(self, record: ShowRecord) -> ShowPlan:
        """The programme's plan for a stored show."""
        return ShowPlan(
            topic=record.topic,
            show_id=record.id,
            cast=self.catalog.cast_for(record.cast),
            writer=self.catalog.writer_for(record.writer),
            turns=record.turns,
            resume_at=record.resume_at,
            memories=self.memory.recall(record.topic, kinds=("said", "question")) if self.memory else (),
        )
