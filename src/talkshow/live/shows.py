"""The house topics as a ``ShowSource`` (``talkshow.core.shows``): a fixed list, in order, optionally forever."""

from __future__ import annotations

from collections.abc import Sequence

from talkshow.core.shows import ShowPlan

__all__ = ["TopicCycle"]


class TopicCycle:
    """Shows on a fixed list of topics, in order, optionally forever."""

    def __init__(self, topics: Sequence[str], repeat: bool = True) -> None:
        if any(not t.strip() for t in topics):
            raise ValueError("every topic must say something; got an empty topic")
        self.topics = list(topics)
        self.repeat = repeat
        self._index = 0

    def next_show(self) -> ShowPlan | None:
        """The next topic in the list; None when it has run out (or is empty)."""
        index = self._index
        if not self.topics or (index >= len(self.topics) and not self.repeat):
            return None
        self._index += 1
        return ShowPlan(topic=self.topics[index % len(self.topics)], show_id=index)
