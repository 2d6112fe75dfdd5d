"""``ShowControl`` over the live engine: what the studio's server is given instead of the engine."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from talkshow.core.errors import InputError
from talkshow.core.faces import OnAir
from talkshow.core.kinds.moderation import LineGate
from talkshow.core.turn import PreparedTurn

if TYPE_CHECKING:
    from talkshow.broadcast.llhls import LlHlsPlaylist
    from talkshow.live.engine import LiveEngine

__all__ = ["EngineControl"]


class EngineControl:
    """Implements ``talkshow.core.faces.ShowControl`` by delegating to one engine."""

    def __init__(self, engine: LiveEngine, on_air: OnAir) -> None:
        self._engine = engine
        self.config = engine.config
        self.telemetry = engine.telemetry
        self.clock = engine.clock
        self.on_air = on_air
        self.gate: LineGate = engine.gate
        self.hls_dir: Path = engine.settings.hls_dir
        self.ll_playlist: LlHlsPlaylist = engine.ll_hls.playlist

    def start(self) -> None:
        """Start the stream."""
        self._engine.start()

    def stop(self) -> None:
        """Stop the stream."""
        self._engine.stop()

    def wait_stopped(self, timeout: float | None = None) -> bool:
        """Until the stream ends."""
        return self._engine.wait(timeout)

    def healthy(self) -> bool:
        """Frames are going out."""
        return self._engine.healthy()

    @property
    def frames_sent(self) -> int:
        """Frames sent."""
        return self._engine.stats.frames

    @property
    def fatal_reason(self) -> str:
        """Why the stream ended, if it had to."""
        return self._engine.supervisor.fatal_reason

    def status(self) -> dict[str, Any]:
        """The studio page's counters."""
        engine = self._engine
        stats, director, programme, fps = engine.stats, engine.director, engine.programme, engine.clock.fps
        show = programme.current_show
        return {
            "frames": stats.frames,
            "late_frames": stats.late,
            "repeated_frames": stats.repeated,
            "max_lateness_ms": round(stats.max_lateness_ms, 3),
            "clock_priority": engine.pacer.priority,
            "segments_published": engine.hls.published,
            "shows_started": programme.shows_started,
            "shows_done": programme.shows_done,
            "turns_done": director.turns_done,
            "dead_air_gaps": programme.dead_air.gaps,
            "dead_air_s": round(programme.dead_air.seconds, 3),
            "longest_dead_air_s": round(programme.dead_air.longest_frames / fps, 3),
            "max_turn_gap_s": round(director.max_gap_frames / fps, 3),
            "pause_s": round(director.pause_frames / fps, 3),
            "on_air": director.on_air.line.text if director.on_air else None,
            "show": None if show is None else {"id": show.show_id, "topic": show.topic},
            "holding": programme.holding,
            "cpu_cores": round(engine.resources.mean_cores, 3),
            "budget_ms": round(1000 / fps, 3),
            "healthy": engine.healthy(),
            "failed_outputs": engine.encoder.failed_outputs,
            "parts": engine.supervisor.snapshot(),
            "delay": None
            if engine.delay is None
            else {"seconds": engine.delay.delay_s, "held_s": engine.delay.held_seconds, "dumps": engine.delay.dumps},
        }

    @property
    def holding(self) -> bool:
        """Held after a stop."""
        return self._engine.programme.holding

    @property
    def current_show_id(self) -> int | None:
        """The current show's id."""
        show = self._engine.programme.current_show
        return None if show is None else show.show_id

    def skip(self) -> None:
        """Skip the current show."""
        self._engine.programme.skip()

    def hold(self) -> None:
        """Stop running shows."""
        self._engine.programme.hold()

    def resume(self) -> None:
        """Run shows again."""
        self._engine.programme.resume()

    def dump(self) -> dict[str, float]:
        """Take the held span off the public outputs (InputError if there is no broadcast delay)."""
        delay = self._engine.delay
        if delay is None:
            raise InputError("there is no broadcast delay to dump: start the show with --delay SECONDS")
        report = delay.dump()
        return {"seconds": report.seconds, "video_packets": report.video_packets, "delay_s": delay.delay_s}

    def say(
        self, character: str, text: str = "", audio: bytes | None = None, emotion: str = "neutral", source: str = "say"
    ) -> PreparedTurn:
        """A line on air next."""
        return self._engine.say(character, text, audio, emotion, source)
