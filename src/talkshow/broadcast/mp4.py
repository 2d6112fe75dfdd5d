"""MP4 output: H.264 (yuv420p) + AAC 48 kHz with the index at the front (faststart).

Live, a recording whose disk fails is reopened by its guard into a new file with a
numbered suffix (``show-1.mp4``, ``show-2.mp4``...), starting at a keyframe from
t=0, so each file plays on its own and nothing after the fault is lost.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import av

from talkshow.broadcast.types import OutputContext
from talkshow.core.kinds.output import EncodedStreams, Packet

logger = logging.getLogger(__name__)

__all__ = ["Mp4Output"]


class Mp4Output:
    """Muxes the encoder's packets into an MP4 file (a render, or a live recording)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.first_path = path
        self.name = f"mp4:{path}"
        self.files: list[Path] = []  # every file written, the first one first
        self._container: av.container.OutputContainer | None = None
        self._video: av.stream.Stream | None = None
        self._audio: av.stream.Stream | None = None
        self._offset_s: float | None = None  # a reopened file starts at t=0 from its first keyframe

    def open(self, streams: EncodedStreams) -> None:
        """Create the file and its two streams."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        container = av.open(str(self.path), mode="w", options={"movflags": "+faststart"})
        try:
            self._video = container.add_stream_from_template(streams.video)
            self._audio = container.add_stream_from_template(streams.audio)
        except BaseException:
            container.close()
            raise
        self._container = container
        self.files.append(self.path)

    def reopen(self, streams: EncodedStreams) -> None:
        """Abandon the broken file (keeping what it could finish) and go on in the next numbered one."""
        self._abandon()
        self.path = self.first_path.with_name(f"{self.first_path.stem}-{len(self.files)}{self.first_path.suffix}")
        self._offset_s = None
        self.open(streams)
        logger.warning("recording continues in %s", self.path)

    def send(self, packet: Packet, is_video: bool) -> None:
        """Mux one packet."""
        assert self._container is not None, "open() first"
        if len(self.files) > 1 and not self._shift(packet, is_video):
            return
        packet.stream = self._video if is_video else self._audio
        self._container.mux(packet)

    def _shift(self, packet: Packet, is_video: bool) -> bool:
        """Move a reopened file's packets to start at 0; False for packets from before its first keyframe."""
        if packet.pts is None or packet.time_base is None:
            return False
        if self._offset_s is None:
            if not is_video:
                return False  # audio waits for the video keyframe the file starts with
            self._offset_s = float(packet.pts * packet.time_base)
        shift = round(self._offset_s / packet.time_base)
        if packet.pts < shift:
            return False
        packet.pts -= shift
        if packet.dts is not None:
            packet.dts -= shift
        return True

    def _abandon(self) -> None:
        container, self._container = self._container, None
        if container is not None:
            with contextlib.suppress(Exception):  # the disk failed under it; the trailer may not fit
                container.close()

    def close(self) -> None:
        """Write the index and close the file."""
        if self._container is not None:
            container, self._container = self._container, None
            container.close()


def create(target: str, options: Mapping[str, Any], context: OutputContext) -> Mp4Output:
    """The ``output`` provider ``mp4``: record the stream to the file ``target`` (no options)."""
    return Mp4Output(Path(target))
