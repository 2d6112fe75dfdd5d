"""What a live engine is made of: the parts the station builds and hands over, and the turn feed.

The engine runs these; it builds none of them (``talkshow.station.engine.build_engine`` does).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from talkshow.broadcast.delay import BroadcastDelay
from talkshow.broadcast.encoder import Encoder
from talkshow.broadcast.hls import HlsOutput
from talkshow.broadcast.llhls import LlHlsOutput
from talkshow.broadcast.pcm_feed import PcmFeed
from talkshow.broadcast.webrtc_feed import WebRtcFeed
from talkshow.config import ShowConfig
from talkshow.core.clock import ShowClock
from talkshow.core.recall import Recall
from talkshow.core.turn import PreparedTurn
from talkshow.lipsync.lip_sync import LipSync
from talkshow.live.frames import FrameQueue
from talkshow.live.guest_mix import GuestMix
from talkshow.live.pacer import Pacer
from talkshow.live.programme import Programme
from talkshow.live.renderer import Renderer
from talkshow.live.settings import LiveSettings
from talkshow.moderation.gate import ModerationGate
from talkshow.show.director import Director
from talkshow.show.turn_builder import TurnBuilder
from talkshow.stage.builder import Stage
from talkshow.supervisor import Supervisor
from talkshow.telemetry.events import Telemetry
from talkshow.telemetry.resources import ResourceSampler
from talkshow.voice.service import SpeechService

__all__ = ["LiveParts", "TurnFeed"]


class TurnFeed:
    """The renderer's next turn: the programme's, and the caption taken down when a show ends."""

    def __init__(self, programme: Programme, director: Director) -> None:
        self.programme = programme
        self.director = director
        self._shows_seen = 0

    def __call__(self, frame: int) -> PreparedTurn | None:
        """The turn to air from ``frame``, if one is ready (the renderer's thread)."""
        turn = self.programme.next_turn(frame)
        if self.programme.shows_done != self._shows_seen:  # a show just ended: its caption goes
            self._shows_seen = self.programme.shows_done
            self.director.clear_caption()
        return turn


@dataclass
class LiveParts:
    """Every part of a live engine, built and wired; ``owned`` closes those the engine must close."""

    config: ShowConfig
    settings: LiveSettings
    telemetry: Telemetry
    clock: ShowClock
    supervisor: Supervisor
    resources: ResourceSampler
    recall: Recall
    speech: SpeechService
    stage: Stage
    lipsync: LipSync
    gate: ModerationGate
    builder: TurnBuilder
    programme: Programme
    director: Director
    frames: FrameQueue
    renderer: Renderer
    hls: HlsOutput
    ll_hls: LlHlsOutput
    webrtc: WebRtcFeed
    delay: BroadcastDelay | None
    pcm_feed: PcmFeed
    encoder: Encoder
    pacer: Pacer
    guest_mix: GuestMix
    owned: contextlib.ExitStack
