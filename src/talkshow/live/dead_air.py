"""Dead air: frames where a show is due a line and none is ready.

The director asks for a turn only once the pause after the last one is over, and
the programme only once the gap between shows is over, so every frame in which
a running show has nothing to give is air the audience sits through in silence:
a slow writer, a hung voice. Each stretch is one gap, reported when it ends, or when the
programme stops in the middle of one (every gap counted is reported).
"""

from __future__ import annotations

from talkshow.telemetry.events import Telemetry

__all__ = ["DeadAir"]


class DeadAir:
    """Counts dead-air frames and gaps; reports each gap as a ``dead_air`` event when it ends."""

    def __init__(self, telemetry: Telemetry, fps: int) -> None:
        self.telemetry = telemetry
        self.fps = fps
        self.frames = 0
        self.gaps = 0
        self.longest_frames = 0
        self._gap_start: int | None = None
        self._gap_show: int | None = None
        self._last_frame = -1

    @property
    def seconds(self) -> float:
        """Total dead air so far, in seconds."""
        return self.frames / self.fps

    def observe(self, frame: int, show_id: int | None, silent: bool) -> None:
        """Record whether show ``frame`` was dead air (only frames where a turn could start are observed)."""
        if frame <= self._last_frame:
            self._forget_cut(frame)
        self._last_frame = frame
        if silent:
            if self._gap_start is None:
                self._gap_start, self._gap_show = frame, show_id
                self.gaps += 1
            self.frames += 1
            return
        self._end_gap(frame)

    def finish(self) -> None:
        """The programme stops: a gap still open ends at the last frame observed, and is reported."""
        self._end_gap(self._last_frame + 1)

    def _forget_cut(self, frame: int) -> None:
        """The queue was cut back to ``frame``: frames after it never aired, so they were not dead air."""
        if self._gap_start is None:
            return
        self.frames -= self._last_frame - max(frame, self._gap_start) + 1
        if frame <= self._gap_start:
            self.gaps -= 1
            self._gap_start = None

    def _end_gap(self, frame: int) -> None:
        if self._gap_start is None:
            return
        length = frame - self._gap_start
        self.longest_frames = max(self.longest_frames, length)
        self.telemetry.emit(
            "dead_air",
            show=self._gap_show,
            first_frame=self._gap_start,
            frames=length,
            seconds=round(length / self.fps, 3),
        )
        self._gap_start = None
