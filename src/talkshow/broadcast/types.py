"""What the encoder hands its outputs: stream shapes, packets, and the interfaces every destination implements.

Below the encoder and the guards, so both depend on it and not on each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias

import av
import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from talkshow.supervisor import Supervisor
    from talkshow.telemetry.events import Telemetry

__all__ = ["EncodedStreams", "Output", "OutputContext", "Packet", "PcmTap", "WhipTarget", "clone_packet"]

Packet: TypeAlias = "av.Packet[Any]"


@dataclass(frozen=True)
class EncodedStreams:
    """The encoder's streams, used by outputs as templates for their own muxers."""

    video: av.video.stream.VideoStream
    audio: av.audio.stream.AudioStream


class Output(Protocol):
    """A destination for encoded packets: a file, an HLS directory, an RTMP server."""

    name: str

    def open(self, streams: EncodedStreams) -> None:
        """Prepare to receive packets shaped like ``streams``."""

    def send(self, packet: Packet, is_video: bool) -> None:
        """Take one packet (owned by this output); must not block for long."""

    def close(self) -> None:
        """Finish cleanly: flush, write trailers, end playlists."""


class PcmTap(Protocol):
    """Takes each frame's raw audio as it is encoded (WebRTC's shared Opus encode)."""

    name: str

    def pcm(self, samples: npt.NDArray[np.int16], frame_index: int, clean: npt.NDArray[np.int16] | None = None) -> None:
        """One frame of show audio (``clean``: the same without a caller mixed in); must not block for long."""


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
