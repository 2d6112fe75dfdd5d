"""The programme: shows on a list of topics, one after another, on one stage.

The next show's writer starts as soon as the previous show has handed over its
last turn, so its first line is ready when the gap between shows is over.
"""

from __future__ import annotations

import logging
import queue
from collections.abc import Sequence
from dataclasses import replace

from talkshow.config import ShowConfig
from talkshow.lipsync import LipSync
from talkshow.show.prepare import PreparedTurn, TurnPreparer
from talkshow.stage import Stage
from talkshow.telemetry import Telemetry
from talkshow.voice import SpeechService

logger = logging.getLogger(__name__)

__all__ = ["DEFAULT_TOPICS", "Programme"]

DEFAULT_TOPICS = (
    "why there's a lambo in the room",
    "should the office get a pet octopus",
    "is it ever too early for a holiday playlist",
    "who really invented the sandwich",
    "should robots be allowed on the night shift",
)


class Programme:
    """Hands the director turns from the current show, with idle gaps between shows."""

    def __init__(
        self,
        base: ShowConfig,
        topics: Sequence[str],
        stage: Stage,
        speech: SpeechService,
        lipsync: LipSync,
        telemetry: Telemetry,
        gap_frames: int,
        repeat: bool = True,
    ) -> None:
        if any(not t.strip() for t in topics):
            raise ValueError("every topic must say something; got an empty topic")
        self.base = base
        self.topics = list(topics)
        self.stage = stage
        self.speech = speech
        self.lipsync = lipsync
        self.telemetry = telemetry
        self.gap_frames = gap_frames
        self.repeat = repeat
        self.shows_started = 0
        self.shows_done = 0
        self._preparer: TurnPreparer | None = None
        self._not_before = 0
        self._pushed: queue.Queue[PreparedTurn] = queue.Queue()
        self._start_next_show()

    @property
    def finished(self) -> bool:
        """True when the last show is over and nothing repeats."""
        return self._preparer is None

    def _start_next_show(self) -> None:
        index = self.shows_started
        if not self.topics or (index >= len(self.topics) and not self.repeat):  # no topics: idle only
            self._preparer = None
            return
        topic = self.topics[index % len(self.topics)]
        config = replace(self.base, topic=topic, title=topic[:60], seed=self.base.seed + index)
        self._preparer = TurnPreparer(config, self.stage, self.speech, self.lipsync, self.telemetry)
        self._preparer.start()
        self.shows_started += 1
        self.telemetry.emit("show_started", show=index, topic=topic, turns=config.turns)

    def push_next(self, turn: PreparedTurn) -> None:
        """Put ``turn`` on air before anything the writer has prepared (thread-safe)."""
        self._pushed.put(turn)

    @property
    def has_pushed(self) -> bool:
        """True while a pushed turn waits for air."""
        return not self._pushed.empty()

    def next_turn(self, frame: int) -> PreparedTurn | None:
        """A turn to put on air at show ``frame``, or None to stay idle (never blocks)."""
        try:
            return self._pushed.get_nowait()
        except queue.Empty:
            pass
        preparer = self._preparer
        if preparer is None or frame < self._not_before:
            return None
        turn = preparer.next_turn(timeout=0)
        if turn is not None:
            return turn
        if preparer.finished:
            preparer.stop()
            if preparer.error is not None:
                logger.warning("show %d ended early: %s", self.shows_done, preparer.error)
            self.telemetry.emit("show_done", show=self.shows_done, frame=frame)
            self.shows_done += 1
            self._not_before = frame + self.gap_frames
            self._start_next_show()
        return None

    def stop(self) -> None:
        """Stop preparing turns."""
        if self._preparer is not None:
            self._preparer.stop()
            self._preparer = None
