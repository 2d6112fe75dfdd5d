"""The output kind: what the one encoder hands every destination (a file, HLS, RTMP, WHIP, a plug-in's).

PyAV's types appear only in annotations: importing this loads no codec.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    import av

__all__ = ["EncodedStreams", "Output", "Packet", "PcmTap"]

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
