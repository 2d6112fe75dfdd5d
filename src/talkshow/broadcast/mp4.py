"""MP4 output: H.264 (yuv420p) + AAC 48 kHz with the index at the front (faststart)."""

from __future__ import annotations

import logging
from pathlib import Path

import av

from talkshow.broadcast.encoder import EncodedStreams, Packet

logger = logging.getLogger(__name__)

__all__ = ["Mp4Output"]


class Mp4Output:
    """Muxes the encoder's packets into an MP4 file (a render, or a live recording)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = f"mp4:{path}"
        self._container: av.container.OutputContainer | None = None
        self._video: av.stream.Stream | None = None
        self._audio: av.stream.Stream | None = None

    def open(self, streams: EncodedStreams) -> None:
        """Create the file and its two streams."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._container = av.open(str(self.path), mode="w", options={"movflags": "+faststart"})
        self._video = self._container.add_stream_from_template(streams.video)
        self._audio = self._container.add_stream_from_template(streams.audio)

    def send(self, packet: Packet, is_video: bool) -> None:
        """Mux one packet."""
        assert self._container is not None, "open() first"
        packet.stream = self._video if is_video else self._audio
        self._container.mux(packet)

    def close(self) -> None:
        """Write the index and close the file."""
        if self._container is not None:
            self._container.close()
            self._container = None
