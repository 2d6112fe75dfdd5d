"""The director: one show clock turns prepared turns into frame states and audio.

Frame ``n`` always carries exactly ``samples_per_frame`` samples, so audio and video
cannot drift. Turns start ``pause`` after the previous one ends, to the frame.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from talkshow.acting.actor import Actor, TurnContext
from talkshow.acting.types import Pose
from talkshow.config import ShowConfig
from talkshow.core.clock import ShowClock
from talkshow.core.picture import Caption
from talkshow.core.turn import PreparedTurn
from talkshow.stage.compositor import FrameState
from talkshow.telemetry.events import Telemetry

__all__ = ["Director"]

NextTurn = Callable[[], PreparedTurn | None]


class Director:
    """Schedules turns on the show clock and asks every actor for its pose."""

    def __init__(self, config: ShowConfig, clock: ShowClock, seats: dict[str, int], telemetry: Telemetry) -> None:
        self.clock = clock
        self.telemetry = telemetry
        self.frame = 0
        self.pause_frames = round(config.pause * clock.fps)
        self.actors = [Actor(m.id, m.temperament, seats[m.id], config.seed, clock.fps) for m in config.cast]
        self._seats = seats
        self._turn: PreparedTurn | None = None
        self._context: TurnContext | None = None
        self._caption: Caption | None = None
        self.guest: Caption | None = None  # a caller's words; set from any thread (one reference, read per frame)
        self._next_start = 0
        self._pause_after = self.pause_frames  # the pause owed after the last turn (none inside a streamed line)
        self._silence = np.zeros(clock.samples_per_frame, np.int16)
        self.turns_done = 0
        self.turn_starts: list[int] = []
        self.max_gap_frames = 0  # the longest wait between two lines of one show (dead air: the programme's)
        self._last_show: int | None = None

    @property
    def on_air(self) -> PreparedTurn | None:
        """The turn currently playing, if any."""
        return self._turn

    def offset_in_turn(self, frame: int) -> int:
        """How many of the on-air turn's frames come before show ``frame``."""
        return 0 if self._context is None else frame - self._context.start_frame

    def ready_for_turn(self) -> bool:
        """True when no turn plays and the pause since the last one is over."""
        return self._turn is None and self.frame >= self._next_start

    def step(self, next_turn: NextTurn) -> tuple[FrameState, npt.NDArray[np.int16]]:
        """Advance one frame; ``next_turn`` is asked for a turn when one may start."""
        frame = self.frame
        if self._turn is not None and frame >= self._context_end():
            self._finish_turn(frame)
        if self.ready_for_turn():
            turn = next_turn()
            if turn is not None:
                self._start_turn(turn, frame)
        poses: dict[str, Pose] = {a.cast_id: a.pose(frame, self._context) for a in self.actors}
        audio = self._audio(frame)
        self.frame += 1
        return FrameState(self.clock.seconds_at(frame), poses, self._caption, self.guest), audio

    def rewind(self, frame: int) -> None:
        """Continue from show ``frame`` again: frames after it were cut from the queue unseen."""
        if self._turn is not None:
            raise RuntimeError("cannot rewind while a turn is on air")
        self.frame = frame
        self._next_start = min(self._next_start, frame)

    def allow_turn_now(self) -> None:
        """Skip what is left of the pause: a pushed line goes on air next frame."""
        self._next_start = min(self._next_start, self.frame)

    def abort_turn(self, reason: str, event: str = "turn_skipped") -> None:
        """Take the turn on air off now; reported as ``event`` (skipped: it cannot be rendered; or cut)."""
        turn = self._turn
        if turn is None:
            return
        self.telemetry.emit(
            event,
            show=turn.show_id,
            turn=turn.index,
            speaker=turn.line.speaker,
            text=turn.line.text,
            error=reason,
        )
        self._finish_turn(self.frame)

    def clear_caption(self) -> None:
        """Take the caption off screen (after the last turn)."""
        self._caption = None

    def _context_end(self) -> int:
        assert self._context is not None
        return self._context.start_frame + self._context.plan.frames

    def _start_turn(self, turn: PreparedTurn, frame: int) -> None:
        speaker_x = self._seats[turn.line.speaker]
        others = [x for cid, x in self._seats.items() if cid != turn.line.speaker]
        listeners_x = sum(others) // max(len(others), 1)
        self._turn = turn
        self._context = TurnContext(turn.plan, frame, speaker_x, listeners_x)
        self._caption = turn.caption
        self.turn_starts.append(frame)
        gap = frame - (self._next_start - self._pause_after) if self.turns_done else 0
        if self.turns_done and turn.source == "writer" and turn.show_id == self._last_show:
            self.max_gap_frames = max(self.max_gap_frames, gap)
        self._last_show = turn.show_id
        self.telemetry.emit(
            "turn_on_air",
            show=turn.show_id,
            turn=turn.index,
            speaker=turn.line.speaker,
            frame=frame,
            gap_frames=gap,
            gap_s=round(gap / self.clock.fps, 6),
            text=turn.line.text,
        )

    def _finish_turn(self, frame: int) -> None:
        assert self._turn is not None
        self.telemetry.emit("turn_done", show=self._turn.show_id, turn=self._turn.index, frame=frame)
        self._pause_after = 0 if self._turn.continued else self.pause_frames
        self._turn = None
        self._context = None
        self.turns_done += 1
        self._next_start = frame + self._pause_after

    def _audio(self, frame: int) -> npt.NDArray[np.int16]:
        if self._turn is None or self._context is None:
            return self._silence
        spf = self.clock.samples_per_frame
        offset = (frame - self._context.start_frame) * spf
        chunk = self._turn.audio[offset : offset + spf]
        if len(chunk) == spf:
            return chunk
        padded = np.zeros(spf, np.int16)
        padded[: len(chunk)] = chunk
        return padded
