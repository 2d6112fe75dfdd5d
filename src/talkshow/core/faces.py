"""The live engine's narrow faces: all that talk mode, the phone and the studio's server may use of it.

A caller's conversation needs five things of the show, each a small interface here:

- ``Airtime``: build a line's parts in a character's voice and push them on air in order,
  or cut what is on air (a barge-in);
- ``CallStage``: hold the show while a call lasts, caption the caller, mix their voice;
- ``AirClock``: the stream's clock and position, which turn each frame carried, and a
  callback when a part goes on and off air;
- ``Taps``: the show's encoded packets and PCM, for a transport's own feed, and the frames as they air
  for overlay pages;
- the show's ``config``, ``telemetry`` and ``speech`` (voices, for prompts).

``OnAir`` is all of them; ``LiveEngine.on_air`` implements it. The studio's server needs
another face, ``ShowControl`` (``LiveEngine.control``): steer the programme, push a line,
read the status. Nothing in ``talkshow.talk``, ``talkshow.phone`` or ``talkshow.server``
imports the engine itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
import numpy.typing as npt

from talkshow.core.air import AirChange, AirLog, Interruption
from talkshow.core.clock import ShowClock
from talkshow.core.lines import Line
from talkshow.core.recall import Recall
from talkshow.core.turn import PreparedTurn

if TYPE_CHECKING:  # the parts behind the faces: named for the type checker only, never imported
    from talkshow.broadcast.llhls import LlHlsPlaylist
    from talkshow.broadcast.pcm_feed import PcmFeed
    from talkshow.broadcast.webrtc_feed import WebRtcFeed
    from talkshow.config import ShowConfig
    from talkshow.core.kinds.moderation import LineGate
    from talkshow.overlay.feed import OverlayFeed
    from talkshow.supervisor import Supervisor
    from talkshow.telemetry.events import Telemetry
    from talkshow.voice.service import SpeechService

__all__ = ["AirClock", "Airtime", "CallStage", "OnAir", "ShowControl", "Taps"]


class Airtime(Protocol):
    """Lines pushed on air from outside the writer, in parts, and cut at a barge-in (thread-safe)."""

    def next_pushed_index(self) -> int:
        """A turn number for a pushed part."""

    def stream_line(
        self, index: int, line: Line, source: str, wanted: Callable[[], bool] = lambda: True
    ) -> Iterator[PreparedTurn]:
        """``line`` voiced sentence by sentence, each a part ready to push (on the caller's thread).

        ``wanted()`` is asked as each sentence's audio comes; once it says no, the line ends there and
        nothing more of it is prepared or announced.
        """

    def rest_of(self, part: PreparedTurn, index: int, sample: int, char: int) -> PreparedTurn:
        """What remains of ``part`` from ``sample`` (a paused reply resumed from a word's start)."""

    def begin_streamed_line(self) -> int:
        """A line starts arriving in parts; nothing else airs after them until ``end_streamed_line``. A token."""

    def push_part(self, part: PreparedTurn, token: int) -> bool:
        """Queue the next part of a streamed line; False if a cut came since ``token``."""

    def end_streamed_line(self) -> None:
        """The streamed line's last part was pushed (or it failed)."""

    @property
    def cut_token(self) -> int:
        """The token parts pushed now must carry (a resumed reply takes a new one)."""

    def interrupt(self, finish_on_air: bool = False) -> Future[Interruption]:
        """Stop the pushed line on air at the next frame; the future says what of it aired.

        ``finish_on_air``: the sentence on air ends first, and only the parts after it are cut.
        """

    def wake_renderer(self) -> None:
        """A renderer waiting for room in its queue takes pushed parts (or a cut) now."""


class CallStage(Protocol):
    """The show around a call (any thread)."""

    def begin_call(self) -> None:
        """The call becomes the programme: the show's own lines wait until ``end_call``."""

    def end_call(self) -> None:
        """The show resumes where it was."""

    def show_guest_caption(self, name: str, text: str) -> None:
        """Caption the caller's words on air; empty ``text`` takes the card off."""

    def mix_guest(self, on: bool) -> None:
        """Put the caller's voice in the broadcast, or take it out (their own feed never has it)."""

    def guest_audio(self, samples: npt.NDArray[np.int16]) -> None:
        """The caller's voice, 48 kHz: mixed in only while ``mix_guest`` is on."""


class AirClock(Protocol):
    """Where the stream is, and what it carried."""

    clock: ShowClock
    air_log: AirLog  # stream frame -> the turn it carried, for a listener who hears the show late

    def next_stream_frame(self) -> int:
        """The stream frame the pacer sends next."""

    def watch_air(self, listener: Callable[[AirChange], None]) -> Callable[[], None]:
        """Call ``listener`` as parts go on and off air (on the clock's thread: it must only note it); unwatch."""


class Taps(Protocol):
    """The show as encoded once, for transports that feed callers and viewers."""

    webrtc: WebRtcFeed  # the H.264 packets and one shared Opus encode
    pcm_feed: PcmFeed  # each frame's mix-minus PCM (a phone line encodes its own G.711)
    overlay: OverlayFeed  # each frame's poses and the cast's voices as it airs, for overlay pages


class OnAir(Airtime, CallStage, AirClock, Taps, Protocol):
    """Everything a caller's conversation may use of the live show."""

    config: ShowConfig
    telemetry: Telemetry
    gate: LineGate  # moderation: a caller's words are judged before they are captioned or answered
    recall: Recall  # what the show remembers that bears on what a caller said (the studio's memory)

    @property
    def speech(self) -> SpeechService:
        """The show's voices (prompts are spoken in a character's voice)."""

    @property
    def supervisor(self) -> Supervisor:
        """Where parts report their state."""


class ShowControl(Protocol):
    """The show as the studio's server steers and reports it (thread-safe unless said otherwise)."""

    config: ShowConfig
    telemetry: Telemetry
    clock: ShowClock
    on_air: OnAir  # what a caller's conversation uses
    gate: LineGate  # the moderation every line passes (the studio approves held lines through it)
    hls_dir: Path  # where the HLS playlist and segments are written
    ll_playlist: LlHlsPlaylist  # Low-Latency HLS as published, for blocking playlist reloads

    def start(self) -> None:
        """Render ahead, then start the clock (blocks for the prefill)."""

    def stop(self) -> None:
        """End the stream cleanly (never raises)."""

    def wait_stopped(self, timeout: float | None = None) -> bool:
        """Block until the stream ends (its frame limit, or it cannot go on); False on ``timeout``."""

    def healthy(self) -> bool:
        """True while frames are going out."""

    @property
    def frames_sent(self) -> int:
        """Stream frames sent so far."""

    @property
    def fatal_reason(self) -> str:
        """Why the stream could not go on ("" while it can)."""

    def status(self) -> dict[str, Any]:
        """Frames, late frames, dead air, what is on air, each part's state: the studio page's counters."""

    @property
    def holding(self) -> bool:
        """True after ``hold``: no show runs until ``resume``."""

    @property
    def current_show_id(self) -> int | None:
        """The show being prepared or on air."""

    def skip(self) -> None:
        """End the current show after its line on air."""

    def hold(self) -> None:
        """End the current show and start no other."""

    def resume(self) -> None:
        """Run shows again."""

    def dump(self) -> dict[str, float]:
        """The broadcast delay's dump button: what is held never reaches the public outputs."""

    def say(
        self, character: str, text: str = "", audio: bytes | None = None, emotion: str = "neutral", source: str = "say"
    ) -> PreparedTurn:
        """Put a line on air next (text in the character's voice, or a clip); on the caller's thread.

        ``source`` says whose line it is for moderation: ``say`` (the operator's) or ``chat`` (an answer to a viewer).
        """
