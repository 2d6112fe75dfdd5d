"""The programme: shows from a source, one after another, on one stage.

The next show's writer starts as soon as the previous show has handed over its
last turn, so its first line is ready when the gap between shows is over. The
studio steers it from other threads: skip the show, hold (no new shows), resume.
"""

from __future__ import annotations

import logging
import queue
import threading
from dataclasses import replace

from talkshow.config import ShowConfig
from talkshow.lipsync import LipSync
from talkshow.live.shows import ShowPlan, ShowSource
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
POLL_FRAMES = 15  # with nothing to run, ask the source again twice a second


class Programme:
    """Hands the director turns from the current show, with idle gaps between shows."""

    def __init__(
        self,
        base: ShowConfig,
        source: ShowSource,
        stage: Stage,
        speech: SpeechService,
        lipsync: LipSync,
        telemetry: Telemetry,
        gap_frames: int,
    ) -> None:
        self.base = base
        self.source = source
        self.stage = stage
        self.speech = speech
        self.lipsync = lipsync
        self.telemetry = telemetry
        self.gap_frames = gap_frames
        self.shows_started = 0
        self.shows_done = 0
        self.holding = False  # True: no new show starts (the studio's "stop")
        self._show: ShowPlan | None = None
        self._preparer: TurnPreparer | None = None
        self._not_before = 0
        self._next_poll = 0
        self._skip = threading.Event()
        self._pushed: queue.Queue[PreparedTurn] = queue.Queue()
        self._start_next_show()

    @property
    def current_show(self) -> ShowPlan | None:
        """The show being prepared or on air, if any."""
        return self._show

    def push_next(self, turn: PreparedTurn) -> None:
        """Put ``turn`` on air before anything the writer has prepared (thread-safe)."""
        self._pushed.put(turn)

    @property
    def has_pushed(self) -> bool:
        """True while a pushed turn waits for air."""
        return not self._pushed.empty()

    def skip(self) -> None:
        """End the current show after the line on air (thread-safe); its unaired lines are dropped."""
        self._skip.set()

    def hold(self) -> None:
        """Skip the current show and start no new one until ``resume`` (thread-safe)."""
        self.holding = True
        self._skip.set()

    def resume(self) -> None:
        """Start shows again (thread-safe)."""
        self.holding = False
        self._next_poll = 0

    def next_turn(self, frame: int) -> PreparedTurn | None:
        """A turn to put on air at show ``frame``, or None to stay idle (never blocks)."""
        try:
            return self._pushed.get_nowait()
        except queue.Empty:
            pass
        if self._skip.is_set():
            self._skip.clear()
            if self._preparer is not None:
                self._end_show(frame, "skipped")
        if self._preparer is None and not self.holding and frame >= self._next_poll:
            self._next_poll = frame + POLL_FRAMES
            self._start_next_show()
        preparer = self._preparer
        if preparer is None or frame < self._not_before:
            return None
        turn = preparer.next_turn(timeout=0)
        if turn is not None:
            return turn
        if preparer.finished:
            self._end_show(frame, "failed" if preparer.error is not None else "done")
        return None

    def stop(self) -> None:
        """Stop preparing turns."""
        if self._preparer is not None:
            self._preparer.stop()
            self._preparer = None

    def _start_next_show(self) -> None:
        plan = self.source.next_show()
        if plan is None:
            return
        base = self.base
        config = replace(
            base,
            topic=plan.topic,
            title=plan.topic[:60],
            seed=base.seed + plan.show_id,
            cast=plan.cast or base.cast,
            writer=plan.writer or base.writer,
            turns=plan.turns or base.turns,
        )
        self._show = plan
        self._preparer = TurnPreparer(
            config,
            self.stage,
            self.speech,
            self.lipsync,
            self.telemetry,
            show_id=plan.show_id,
            skip_lines=plan.resume_at,
        )
        self._preparer.start()
        self.shows_started += 1
        self.telemetry.emit("show_started", show=plan.show_id, topic=plan.topic, turns=config.turns)

    def _end_show(self, frame: int, outcome: str) -> None:
        preparer, show = self._preparer, self._show
        assert preparer is not None and show is not None
        preparer.stop(wait=outcome == "done")  # a skipped writer may be mid-call: never wait on it here
        error = "" if preparer.error is None else str(preparer.error)
        if error:
            logger.warning("show %d ended early: %s", show.show_id, error)
        self.telemetry.emit("show_done", show=show.show_id, frame=frame, outcome=outcome, error=error)
        self.shows_done += 1
        self._preparer = None
        self._show = None
        self._not_before = frame + self.gap_frames
        if not self.holding:
            self._start_next_show()
