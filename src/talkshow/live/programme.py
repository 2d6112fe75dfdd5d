"""The programme: shows from a source, one after another, on one stage.

The next show's writer starts as soon as the previous show has handed over its
last turn, so its first line is ready when the gap between shows is over. The
studio steers it from other threads: skip the show, hold (no new shows), resume.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from concurrent.futures import Future
from dataclasses import replace

from talkshow.config import ShowConfig
from talkshow.core.air import Interruption
from talkshow.core.errors import QueueFullError
from talkshow.core.kinds.moderation import LineGate
from talkshow.core.shows import ShowPlan, ShowSource
from talkshow.core.turn import PreparedTurn
from talkshow.lipsync.lip_sync import LipSync
from talkshow.live.dead_air import DeadAir
from talkshow.show.prepare import TurnPreparer
from talkshow.stage.builder import Stage
from talkshow.supervisor import Supervisor
from talkshow.telemetry.events import Telemetry
from talkshow.voice.service import SpeechService
from talkshow.writer.breaker import WriterBreaker

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
MAX_PUSHED_LINES = 8  # pushed lines waiting for air at once
MAX_PUSHED_SECONDS = 240.0  # ... and their total length: two of the longest clips


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
        gate: LineGate,
        supervisor: Supervisor | None = None,
        fps: int = 30,
        holding: bool = False,
    ) -> None:
        """``holding``: start held (a co-host's show): no show is prepared until ``resume``."""
        self.base = base
        self.source = source
        self.stage = stage
        self.speech = speech
        self.lipsync = lipsync
        self.telemetry = telemetry
        self.gap_frames = gap_frames
        self.gate = gate
        self.supervisor = supervisor
        self.shows_started = 0
        self.shows_done = 0
        self.holding = holding  # True: no new show starts (the studio's "stop")
        self._show: ShowPlan | None = None
        self._preparer: TurnPreparer | None = None
        self._not_before = 0
        self._next_poll = 0
        self._skip = threading.Event()
        self._cut_pushed_on_air = threading.Event()
        self._pushed: deque[PreparedTurn] = deque()
        self._pushed_lock = threading.Lock()
        self._streaming_lines = 0  # pushed lines still being voiced sentence by sentence: the writer waits
        self._cuts = 0  # bumped by skip: parts of a line cut mid-stream are not pushed after it
        self.in_call = False  # a caller is on air: the show holds where it is and only pushed lines air
        self._interruptions: deque[tuple[Future[Interruption], Interruption]] = deque()
        breaker_open_s = float(base.writer.options.get("breaker_open_s", 60.0))
        self.writer_breaker = WriterBreaker(telemetry, breaker_open_s, supervisor)
        self.dead_air = DeadAir(telemetry, fps)
        if not holding:
            self._start_next_show()

    @property
    def current_show(self) -> ShowPlan | None:
        """The show being prepared or on air, if any."""
        return self._show

    def begin_streamed_line(self) -> int:
        """A pushed line starts arriving in parts; until ``end_streamed_line`` nothing else airs after them.

        Returns a token for ``push_part``: a skip in between makes later parts be dropped.
        """
        with self._pushed_lock:
            self._streaming_lines += 1
            return self._cuts

    def end_streamed_line(self) -> None:
        """The streamed line's last part was pushed (or it failed): others may air again."""
        with self._pushed_lock:
            self._streaming_lines = max(0, self._streaming_lines - 1)

    @property
    def cut_token(self) -> int:
        """The current cut count: parts pushed under an older one were cut (a paused reply takes a new one)."""
        with self._pushed_lock:
            return self._cuts

    def push_part(self, turn: PreparedTurn, token: int) -> bool:
        """Queue a later part of a streamed line (never refused: its line was accepted); False if cut."""
        with self._pushed_lock:
            if token != self._cuts:
                return False
            self._pushed.append(turn)
            return True

    def push_next(self, turn: PreparedTurn) -> None:
        """Put ``turn`` on air before anything the writer has prepared (thread-safe).

        Raises QueueFullError when ``MAX_PUSHED_LINES`` lines or ``MAX_PUSHED_SECONDS`` already wait.
        """
        seconds = len(turn.audio) / self.speech.sample_rate
        with self._pushed_lock:
            waiting = sum(len(t.audio) for t in self._pushed) / self.speech.sample_rate
            if len(self._pushed) >= MAX_PUSHED_LINES or waiting + seconds > MAX_PUSHED_SECONDS:
                raise QueueFullError(
                    f"{len(self._pushed)} pushed lines ({waiting:.0f} s) already wait for air; the limit is "
                    f"{MAX_PUSHED_LINES} lines and {MAX_PUSHED_SECONDS:g} s. Wait, or skip them",
                    retry_after_s=max(1.0, waiting + seconds - MAX_PUSHED_SECONDS),
                )
            self._pushed.append(turn)

    @property
    def has_pushed(self) -> bool:
        """True while a pushed turn waits for air."""
        return bool(self._pushed)

    def take_pushed_cut(self) -> bool:
        """True once after a skip or stop: a pushed line on air should be cut (renderer thread)."""
        if self._cut_pushed_on_air.is_set():
            self._cut_pushed_on_air.clear()
            return True
        return False

    def skip(self) -> None:
        """End the current show after the line on air (thread-safe); its unaired lines are dropped.

        Pushed lines waiting for air are dropped too, and a pushed line on air is cut.
        """
        with self._pushed_lock:
            dropped, self._pushed = list(self._pushed), deque()
            self._cuts += 1
        for turn in dropped:
            self.telemetry.emit(
                "turn_skipped",
                show=turn.show_id,
                turn=turn.index,
                speaker=turn.line.speaker,
                text=turn.line.text,
                error="dropped by skip or stop before it aired",
            )
        self._cut_pushed_on_air.set()
        self._skip.set()

    def begin_call(self) -> None:
        """A call goes on air: the show pauses after the line on air (its prepared lines wait) (thread-safe)."""
        self.in_call = True

    def end_call(self) -> None:
        """The call is over: the show resumes with its next line (thread-safe)."""
        self.in_call = False
        self._next_poll = 0

    def interrupt(self, finish_on_air: bool = False) -> Future[Interruption]:
        """Barge-in: pushed lines waiting are dropped and the one on air stops at the next frame (thread-safe).

        ``finish_on_air``: the one on air plays to its end instead. The future resolves, on the renderer
        thread, once the frames ahead have been cut.
        """
        with self._pushed_lock:
            dropped, self._pushed = list(self._pushed), deque()
            self._cuts += 1
            future: Future[Interruption] = Future()
            self._interruptions.append((future, Interruption(dropped=dropped, finish_on_air=finish_on_air)))
        return future

    def take_interruption(self) -> tuple[Future[Interruption], Interruption] | None:
        """The oldest barge-in the renderer has still to carry out (renderer thread)."""
        with self._pushed_lock:
            return self._interruptions.popleft() if self._interruptions else None

    def hold(self) -> None:
        """Skip the current show and start no new one until ``resume`` (thread-safe)."""
        self.holding = True
        self.skip()

    def resume(self) -> None:
        """Start shows again (thread-safe)."""
        self.holding = False
        self._next_poll = 0

    def next_turn(self, frame: int) -> PreparedTurn | None:
        """A turn to put on air at show ``frame``, or None to stay idle (never blocks).

        The director asks only when a turn may start (the pause is over), so a show
        that is due a line and has none ready is dead air, counted per frame.
        """
        turn = self._next_turn(frame)
        show = self._show
        due = show is not None and frame >= self._not_before and not self.holding and not self.in_call
        self.dead_air.observe(frame, show.show_id if show is not None else None, due and turn is None)
        return turn

    def _next_turn(self, frame: int) -> PreparedTurn | None:
        with self._pushed_lock:
            if self._pushed:
                return self._pushed.popleft()
            if self._streaming_lines:  # the rest of a pushed line is being voiced: nothing cuts in
                return None
        if self.in_call:  # the call is the programme; the show's prepared lines wait for its end
            return None
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
        """Stop preparing turns (after the renderer has stopped asking for them)."""
        self.dead_air.finish()
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
            supervisor=self.supervisor,
            breaker=self.writer_breaker,
            gate=self.gate,
            memories=plan.memories,
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
