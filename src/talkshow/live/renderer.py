"""The renderer: steps the director and composes frames ahead of the wall clock.

It fills the frame queue as fast as it can and sleeps when the queue is full. When
the queue runs low (the machine is overloaded) it degrades in steps that keep the
show watchable: first the TV drops to a lower frame rate; if that is not enough the
pacer will repeat frames. Each change of level is counted and logged.

If rendering raises, the supervisor restarts the renderer after a short backoff while
the pacer repeats the last frame. A turn that fails to render twice is taken off air
(``turn_skipped``), so one bad turn cannot keep the renderer down.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future
from contextlib import suppress

import numpy as np

from talkshow.core.air import BARGE_KEEP_FRAMES, Interruption
from talkshow.core.turn import PreparedTurn
from talkshow.live.frames import CutFrame, FrameQueue, QueuedFrame
from talkshow.show.director import Director
from talkshow.stage.builder import Stage
from talkshow.supervisor import Backoff, Supervisor, Worker
from talkshow.telemetry.events import Telemetry

logger = logging.getLogger(__name__)

__all__ = ["Renderer"]

TV_DEGRADED_FPS = 10.0
CUT_KEEP_FRAMES = 2  # idle frames left in the queue at a cut: covers rendering the turn's first frame
FADE_SAMPLES = 480  # the cut line's audio fades out over the next frame's first 10 ms: no click

TakeInterruption = Callable[[], "tuple[Future[Interruption], Interruption] | None"]

NextTurn = Callable[[int], PreparedTurn | None]


class Renderer:
    """Renders show frames into ``frames`` on its own thread."""

    def __init__(
        self,
        director: Director,
        stage: Stage,
        frames: FrameQueue,
        next_turn: NextTurn,
        telemetry: Telemetry,
        low_water: int,
        pushed_waiting: Callable[[], bool] = lambda: False,
        supervisor: Supervisor | None = None,
        cut_pushed: Callable[[], bool] = lambda: False,
        take_interruption: TakeInterruption = lambda: None,
    ) -> None:
        """``cut_pushed`` returns True (once) when the operator skipped: a pushed line on air is cut.

        ``take_interruption`` hands over a barge-in: the frames ahead are cut and the line on air stops.
        """
        self.director = director
        self.stage = stage
        self.frames = frames
        self.next_turn = next_turn
        self.telemetry = telemetry
        self.low_water = low_water
        self.pushed_waiting = pushed_waiting
        self.cut_pushed = cut_pushed
        self.take_interruption = take_interruption
        self._last_turn: PreparedTurn | None = None
        self._refilling = False
        self.degraded = False
        self.armed = False  # degrading only makes sense once the pacer is consuming frames
        self.degrade_events = 0
        self._tv_drops = 0
        self.error: BaseException | None = None
        self._failed_turn: PreparedTurn | None = None
        # Runs ahead of the clock (lower priority: the pacer's ticks come first); restarted on failure.
        self._worker = Worker("renderer", self._run, supervisor, backoff=Backoff(0.05, 2.0), background=True)

    def start(self) -> None:
        """Begin rendering ahead."""
        self._worker.start()

    def stop(self) -> None:
        """Stop rendering."""
        self._worker.stop(timeout=5)

    def _run(self, stop: threading.Event) -> None:
        while not stop.is_set():
            interruption = self.take_interruption()
            if interruption is not None:
                future, cut = interruption
                if not (cut.finish_on_air and self._finish_turn_on_air(future, cut)):
                    self._barge_in(future, cut)
            on_air = self.director.on_air
            if self.cut_pushed() and on_air is not None and on_air.source in ("say", "talk"):
                self.director.abort_turn("cut by skip or stop")
            if self.pushed_waiting() and self.director.on_air is None:
                self._cut_for_pushed_turn()
            buffer = self.frames.acquire(timeout=0.1)
            if buffer is None:
                continue
            try:
                self._render_into(buffer)
            except Exception as exc:
                self.frames.release(buffer)  # the frame never made it into the queue
                self._after_failure(exc)
                raise

    def _after_failure(self, exc: Exception) -> None:
        """Report; drop the turn on air if it already failed once (it would fail again)."""
        self.error = exc
        self.telemetry.emit("renderer_failed", error=repr(exc))
        turn = self.director.on_air
        if turn is not None and turn is self._failed_turn:
            with suppress(Exception):
                self.director.abort_turn(f"could not be rendered: {exc}")
            self._failed_turn = None
        else:
            self._failed_turn = turn

    def _render_into(self, buffer: np.ndarray) -> None:
        self._adjust_quality(self.frames.depth)
        director = self.director
        state, audio = director.step(lambda: self.next_turn(director.frame))
        compositor = self.stage.compositor
        frame = compositor.compose(state)
        self._report_tv_drops()
        np.copyto(buffer, frame.data.reshape(-1))
        on_air = director.on_air
        started = on_air if on_air is not self._last_turn else None
        self._last_turn = on_air
        self.frames.put(
            QueuedFrame(
                show_frame=director.frame - 1,
                i420=buffer,
                audio=audio,  # a read-only slice of the turn's audio (or shared silence): no copy needed
                idle=director.on_air is None,
                compose_ms=compositor.stats.ms,
                tv_fps_cap=compositor.tv_fps_cap,
                turn_start=started,
                turn=on_air,
                turn_offset=director.offset_in_turn(director.frame - 1),
                seconds=state.seconds,
                poses=state.poses,
            )
        )

    def _barge_in(self, future: Future[Interruption], cut: Interruption) -> None:
        """Stop the line on air at the next frame: cut the frames rendered ahead, fade, rewind the show."""
        director = self.director
        spf = director.clock.samples_per_frame
        try:
            muted, dropped = self.frames.cut_tail(BARGE_KEEP_FRAMES, FADE_SAMPLES)
            _mark_unheard(muted + dropped, cut, spf)
            on_air = director.on_air
            if on_air is not None:
                cut.heard.setdefault(id(on_air), director.offset_in_turn(director.frame) * spf)
                director.abort_turn("the caller spoke over it", event="turn_cut")
            if dropped:
                director.rewind(dropped[0].show_frame)
            cut.show_frame = director.frame
            self._refilling = True
            self.telemetry.emit("barge_in_cut", dropped=len(dropped), resume_frame=director.frame)
        except Exception as exc:
            future.set_exception(exc)
            raise
        future.set_result(cut)

    def _finish_turn_on_air(self, future: Future[Interruption], cut: Interruption) -> bool:
        """Let the turn on air play to its end; cut the frames rendered after it (False: no turn is on air).

        A turn's frames run back to back, so the turn at the head of the queue is the sentence
        being heard; with nothing queued, it is the one the director is rendering.
        """
        director = self.director
        spf = director.clock.samples_per_frame
        try:
            kept = self.frames.cut_after_head_turn()
            if kept is None and (self.frames.depth or director.on_air is None):
                return False
            finishing, dropped = kept if kept is not None else (director.on_air, [])
            assert finishing is not None
            _mark_unheard(dropped, cut, spf)
            cut.heard[id(finishing)] = len(finishing.audio)  # it airs whole
            on_air = director.on_air
            if on_air is not None and on_air is not finishing:  # rendered ahead into the next sentence
                cut.heard.setdefault(id(on_air), director.offset_in_turn(director.frame) * spf)
                director.abort_turn("the caller spoke over the sentence before it", event="turn_cut")
            if dropped:
                director.rewind(dropped[0].show_frame)
                self._refilling = True
            cut.show_frame = director.frame
            self.telemetry.emit("barge_in_cut", dropped=len(dropped), resume_frame=director.frame)
        except Exception as exc:
            future.set_exception(exc)
            raise
        future.set_result(cut)
        return True

    def _cut_for_pushed_turn(self) -> None:
        """Drop queued idle frames so a pushed line airs within a few frames, not after the queue."""
        dropped = self.frames.cut_idle(keep=CUT_KEEP_FRAMES)
        if dropped:
            self.director.rewind(dropped[0])  # the dropped frames were never seen: show time resumes there
        self.director.allow_turn_now()
        self._refilling = True
        self.telemetry.emit("queue_cut", dropped=len(dropped), resume_frame=self.director.frame)

    def _report_tv_drops(self) -> None:
        drops = getattr(self.stage.tv, "drops", 0)
        if drops > self._tv_drops:
            self.telemetry.emit("tv_frames_dropped", count=drops - self._tv_drops, total=drops)
            self._tv_drops = drops

    def _adjust_quality(self, depth: int) -> None:
        # Hysteresis: degrade below the low-water mark, recover only once the queue is twice that deep.
        if not self.armed:
            return
        if self._refilling:  # a deliberate cut emptied the queue; that is not overload
            self._refilling = depth < 2 * self.low_water
            return
        if not self.degraded and depth < self.low_water:
            self.degraded = True
            self.degrade_events += 1
            self.stage.compositor.tv_fps_cap = TV_DEGRADED_FPS
            logger.warning("renderer behind (queue %d); TV drops to %g fps", depth, TV_DEGRADED_FPS)
            self.telemetry.emit("degrade", level=1, queue_depth=depth, tv_fps=TV_DEGRADED_FPS)
        elif self.degraded and depth >= 2 * self.low_water:
            self.degraded = False
            self.stage.compositor.tv_fps_cap = None
            self.telemetry.emit("degrade", level=0, queue_depth=depth, tv_fps=None)


def _mark_unheard(frames: list[CutFrame], cut: Interruption, samples_per_frame: int) -> None:
    """Each turn's first frame that never aired says how much of it did (oldest first)."""
    for frame in frames:
        if frame.turn is not None and id(frame.turn) not in cut.heard:
            cut.heard[id(frame.turn)] = frame.turn_offset * samples_per_frame
