"""What an output provider is built with (its context, a WHIP target), and a packet's private copy.

The output kind itself (``Output``, ``PcmTap``, ``EncodedStreams``) is in ``talkshow.core.kinds.output``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import av

from talkshow.core.kinds.output import Packet

if TYPE_CHECKING:
    from talkshow.supervisor import Supervisor
    from talkshow.telemetry.events import Telemetry

__all__ = ["OutputContext", "WhipTarget", "clone_packet"]


def clone_packet(packet: Packet) -> Packet:
    """A private copy: muxing takes ownership of a packet's data, so outputs never share one."""
    copy: Packet = av.Packet(bytes(packet))
    copy.pts, copy.dts, copy.time_base = packet.pts, packet.dts, packet.time_base
    copy.is_keyframe = packet.is_keyframe
    if packet.duration:  # a still standing for several frames (the broadcast delay's dump)
        copy.duration = packet.duration
    return copy


@dataclass(frozen=True)
class OutputContext:
    """What an ``output`` provider may use besides its target and options: the engine's telemetry and supervisor."""

    telemetry: Telemetry
    supervisor: Supervisor
    fps: int


@dataclass(frozen=True)
class WhipTarget:
    """An SFU to publish to over WHIP: the endpoint URL and its Bearer token ("" for none)."""

    url: str
    token: str = ""

    def __repr__(self) -> str:  # never the token, nor a key in the URL's query
        return f"WhipTarget({self.url.split('?')[0]!r})"
