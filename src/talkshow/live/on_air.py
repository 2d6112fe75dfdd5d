"""``OnAir`` over the live engine's parts: the one object talk mode and the phone are given."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import Future
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from talkshow.core.air import AirChange, Interruption
from talkshow.core.kinds.moderation import LineGate
from talkshow.core.kinds.writer import Line
from talkshow.core.recall import Recall
from talkshow.core.turn import PreparedTurn

if TYPE_CHECKING:
    from talkshow.live.engine import LiveEngine
    from talkshow.supervisor import Supervisor
    from talkshow.voice.service import SpeechService

__all__ = ["EngineOnAir"]


class EngineOnAir:
    """Implements ``talkshow.core.faces.OnAir`` by delegating to one engine's programme, renderer and pacer."""

    def __init__(self, engine: LiveEngine, recall: Recall) -> None:
        self._engine = engine
        self.recall = recall
        self.config = engine.config
        self.telemetry = engine.telemetry
        self.clock = engine.clock
        self.air_log = engine.air_log
        self.webrtc = engine.webrtc
        self.pcm_feed = engine.pcm_feed
        self.overlay = engine.overlay
        self.gate: LineGate = engine.gate

    @property
    def speech(self) -> SpeechService:
        """The show's voices."""
        return self._engine.speech

    @property
    def supervisor(self) -> Supervisor:
        """The engine's supervisor."""
        return self._engine.supervisor

    # Airtime
    def next_pushed_index(self) -> int:
        """A turn number for a pushed part."""
        return self._engine.next_pushed_index()

    def stream_line(
        self, index: int, line: Line, source: str, wanted: Callable[[], bool] = lambda: True
    ) -> Iterator[PreparedTurn]:
        """``line`` voiced sentence by sentence, as parts (until ``wanted()`` says no)."""
        return self._engine.builder.stream_line(index, line, source=source, wanted=wanted)

    def rest_of(self, part: PreparedTurn, index: int, sample: int, char: int) -> PreparedTurn:
        """What remains of ``part`` from ``sample``."""
        return self._engine.builder.rest_of(part, index, sample, char)

    def begin_streamed_line(self) -> int:
        """A streamed line begins; its token."""
        return self._engine.programme.begin_streamed_line()

    def push_part(self, part: PreparedTurn, token: int) -> bool:
        """Queue a part; False if cut since ``token``."""
        return self._engine.programme.push_part(part, token)

    def end_streamed_line(self) -> None:
        """The streamed line is complete."""
        self._engine.programme.end_streamed_line()

    @property
    def cut_token(self) -> int:
        """The current cut token."""
        return self._engine.programme.cut_token

    def interrupt(self, finish_on_air: bool = False) -> Future[Interruption]:
        """Stop the pushed line at the next frame (or at the end of its sentence on air)."""
        return self._engine.interrupt(finish_on_air)

    def wake_renderer(self) -> None:
        """The renderer stops waiting for room."""
        self._engine.frames.interrupt()

    # CallStage
    def begin_call(self) -> None:
        """Hold the show's own lines."""
        self._engine.programme.begin_call()

    def end_call(self) -> None:
        """Resume the show."""
        self._engine.programme.end_call()

    def show_guest_caption(self, name: str, text: str) -> None:
        """The caller's caption card."""
        self._engine.show_guest_caption(name, text)

    def mix_guest(self, on: bool) -> None:
        """The caller's voice in the broadcast, or not."""
        mix = self._engine.guest_mix
        mix.enabled = on
        mix.clear()  # nothing stale: what was said before the switch is not aired after it

    def guest_audio(self, samples: npt.NDArray[np.int16]) -> None:
        """The caller's voice (mixed in only while enabled)."""
        self._engine.guest_mix.write(samples)

    # AirClock
    def next_stream_frame(self) -> int:
        """The stream frame the pacer sends next."""
        return self._engine.pacer.next_index

    def watch_air(self, listener: Callable[[AirChange], None]) -> Callable[[], None]:
        """Tell ``listener`` as parts go on and off air; returns how to stop."""
        pacer = self._engine.pacer
        pacer.air_listeners = [*pacer.air_listeners, listener]

        def unwatch() -> None:
            pacer.air_listeners = [other for other in pacer.air_listeners if other is not listener]

        return unwatch
