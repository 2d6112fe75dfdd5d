"""The pacer: the only code on the wall clock. It hands one frame per tick to the encoder.

It never renders, encodes or waits for anything but its next tick. If no rendered
frame is ready it repeats the last picture with silence (counted and logged), so
the stream never stalls, and audio stays exactly one frame's samples per frame.

A tick that raises is counted and the clock goes on. Only if the encoder is gone,
or every tick fails for a second, can the pacer not run: then the supervisor ends
the stream (ENDLIST, non-zero exit) instead of pretending it is live.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from talkshow.broadcast.encoder import Encoder, EncoderError
from talkshow.core.air import AirChange, AirLog
from talkshow.core.clock import ShowClock
from talkshow.core.domain import never_wait_here
from talkshow.core.turn import PreparedTurn
from talkshow.live.frames import FrameQueue, QueuedFrame
from talkshow.live.guest_mix import GuestMix
from talkshow.overlay.feed import AiredFrame, OverlayFeed
from talkshow.supervisor import Policy, Supervisor, Worker
from talkshow.telemetry.events import Telemetry
from talkshow.threads import make_this_thread_realtime

logger = logging.getLogger(__name__)

__all__ = ["Pacer", "PacerStats"]


@dataclass
class PacerStats:
    """What the pacer saw: frames sent, late, repeated, dropped by the encoder."""

    frames: int = 0
    late: int = 0
    repeated: int = 0
    encoder_drops: int = 0
    max_lateness_ms: float = 0.0
    failed_ticks: int = 0


class Pacer:
    """Sends stream frame ``n`` at ``epoch + n / fps``, on its own thread."""

    def __init__(
        self,
        clock: ShowClock,
        frames: FrameQueue,
        encoder: Encoder,
        telemetry: Telemetry,
        frame_limit: int = 0,
        paced: bool = True,
        supervisor: Supervisor | None = None,
        realtime: bool = True,
    ) -> None:
        self.clock = clock
        self.frames = frames
        self.encoder = encoder
        self.telemetry = telemetry
        self.frame_limit = frame_limit  # 0: run until stopped
        self.paced = paced  # False: as fast as frames come (accelerated drift runs), never repeating
        self.realtime = realtime  # ask the OS for a real-time policy for the clock's thread (threads.py says why)
        self.priority = "not started"  # what the clock's thread runs on, once it runs
        self.stats = PacerStats()
        self.epoch_wall = time.time()
        self.last_sent = 0.0  # time.monotonic() of the last frame handed to the encoder
        self.supervisor = supervisor or Supervisor(telemetry)
        self._worker = Worker("pacer", self._run, self.supervisor, Policy.FATAL, on_failure=self._cannot_run)
        self.done = self._worker.done
        self._epoch = time.perf_counter()
        self._stop = self._worker.stop_event
        self._last: QueuedFrame | None = None
        self._airing: PreparedTurn | None = None  # the turn whose frames are going out
        self.air_listeners: list[Callable[[AirChange], None]] = []  # copy on write; called on this thread
        self._silence = np.zeros(clock.samples_per_frame, np.int16)
        self._failing_ticks = 0
        self.guest_mix: GuestMix | None = None  # a caller's voice, added to each frame when the operator allows
        self.air_log = AirLog(clock.samples_per_frame, clock.fps)  # which turn each frame carried
        self.next_index = 0  # the stream frame the next tick sends: every lower one is with the encoder
        self.overlay = OverlayFeed()  # overlay pages: each frame's poses and voice as it goes out

    def start(self) -> None:
        """Start the clock: stream frame 0 is due now."""
        self._epoch = time.perf_counter()
        self.epoch_wall = time.time()
        self._worker.start()

    def stop(self) -> None:
        """Stop after the current tick."""
        self._worker.stop(timeout=2)

    def _cannot_run(self, exc: BaseException) -> None:
        self.supervisor.end_stream(f"the pacer cannot run: {exc}")

    def _run(self, stop: threading.Event) -> None:
        never_wait_here()  # the clock's thread: its domain events (a turn aired, off air) never wait for room
        self.priority = make_this_thread_realtime() if self.realtime and self.paced else "normal (not asked)"
        logger.info("pacer: the clock's thread runs on %s", self.priority)
        budget_s = self.clock.frame_seconds
        index = 0
        while not stop.is_set() and (not self.frame_limit or index < self.frame_limit):
            if not self.paced:
                self._tick(index, None)
                index += 1
                continue
            due = self._epoch + index * budget_s
            wait = due - time.perf_counter()
            if wait > 0 and stop.wait(wait):
                break
            lateness = time.perf_counter() - due
            self._tick(index, lateness)
            index += 1

    def _tick(self, index: int, lateness: float | None) -> None:
        """One frame out (``lateness`` None: unpaced); a failing tick is counted, a second of them ends the stream."""
        try:
            if lateness is None:
                self._send_unpaced(index)
            else:
                self._send(index, lateness, self.clock.frame_seconds)
            self._failing_ticks = 0
            self.last_sent = time.monotonic()
        except EncoderError:
            raise  # no encoder, no stream
        except Exception as exc:
            self.stats.failed_ticks += 1
            self._failing_ticks += 1
            if self._failing_ticks == 1:
                logger.warning("pacer tick %d failed (%s); the clock goes on", index, exc)
            self.telemetry.emit("frame_repeated", frame=index, reason=f"pacer error: {exc}")
            if self._failing_ticks >= self.clock.fps:
                raise

    def _report_air(self, frame: QueuedFrame, index: int) -> None:
        """Say when a turn's first frame goes out, and when its last one has gone."""
        airing = self._airing
        if airing is not None and (frame.idle or frame.turn_start is not None):
            self.telemetry.emit("turn_off_air", show=airing.show_id, turn=airing.index, frame=index)
            self._tell(AirChange("off_air", airing.index, index))
            self._airing = None
        turn = frame.turn_start
        if turn is not None:
            self._airing = turn
            self._tell(AirChange("aired", turn.index, index))
            self.telemetry.emit(
                "turn_aired",
                show=turn.show_id,
                turn=turn.index,
                speaker=turn.line.speaker,
                source=turn.source,
                frame=index,
                ready_to_air_ms=round((time.perf_counter() - turn.ready_at) * 1000, 3),
            )

    def _tell(self, change: AirChange) -> None:
        for listener in self.air_listeners:
            try:
                listener(change)
            except Exception:  # a listener's bug must not cost a frame
                logger.exception("an air listener failed on %s", change)

    def _tell_overlay(self, index: int, source: QueuedFrame, audio: np.ndarray, repeated: bool) -> None:
        turn = None if repeated else source.turn
        speaker, text = (turn.line.speaker, turn.line.text) if turn is not None else ("", "")
        self.overlay.aired(AiredFrame(index, source.seconds, source.poses, speaker, text, audio))

    def _send_unpaced(self, index: int) -> None:
        while self.frames.depth == 0 and not self._stop.is_set():
            time.sleep(0.0005)
        if self.frames.depth:
            while not self.encoder.submit_ready():
                time.sleep(0.0005)
            self._send(index, 0.0, self.clock.frame_seconds)

    def _send(self, index: int, lateness: float, budget_s: float) -> None:
        frame = self.frames.pop()
        repeated = frame is None
        if frame is not None:
            if self._last is not None:
                self.frames.release(self._last.i420)
            self._last = frame
        source = self._last
        if source is None:  # nothing rendered yet at all: the renderer is still starting
            self.stats.repeated += 1
            self.telemetry.emit("frame_repeated", frame=index, reason="no frame rendered yet")
            return
        audio = self._silence if repeated else source.audio
        if frame is not None:
            self._report_air(frame, index)
            self.air_log.record(index, frame.turn, frame.turn_offset)
        if self.overlay.subscribers:
            self._tell_overlay(index, source, audio, repeated)
        mixed = self.guest_mix.mix(audio) if self.guest_mix is not None else None
        submitted = (
            self.encoder.submit(source.i420, audio, index, block=False)
            if mixed is None
            else self.encoder.submit(source.i420, mixed, index, block=False, clean=audio)
        )
        if not submitted:
            self.stats.encoder_drops += 1
            self.telemetry.emit("frame_dropped", frame=index, reason="encoder backlog full")
        self.stats.frames += 1
        self.next_index = index + 1
        lateness_ms = lateness * 1000
        self.stats.max_lateness_ms = max(self.stats.max_lateness_ms, lateness_ms)
        if repeated:
            self.stats.repeated += 1
            self.telemetry.emit("frame_repeated", frame=index, reason="renderer behind")
        if lateness > budget_s:
            self.stats.late += 1
            self.telemetry.emit("frame_late", frame=index, lateness_ms=round(lateness_ms, 3))
        self.telemetry.emit(
            "frame",
            frame=index,
            show_frame=source.show_frame,
            compose_ms=round(source.compose_ms, 3),
            queue_depth=self.frames.depth,
            lateness_ms=round(lateness_ms, 3),
            idle=source.idle,
            repeated=repeated,
        )
