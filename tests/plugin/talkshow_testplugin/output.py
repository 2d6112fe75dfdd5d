"""An output provider: the stream muxed into a Matroska file."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import av

from talkshow.broadcast.types import OutputContext
from talkshow.core.kinds.output import EncodedStreams


class MatroskaOutput:
    """Writes every packet it is given to ``path`` (.mkv)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.name = f"mkv:{path}"
        self._container: Any = None
        self._streams: dict[bool, Any] = {}

    def open(self, streams: EncodedStreams) -> None:
        self._container = av.open(self.path, "w", format="matroska")
        self._streams = {
            True: self._container.add_stream_from_template(streams.video),
            False: self._container.add_stream_from_template(streams.audio),
        }

    def send(self, packet: Any, is_video: bool) -> None:
        packet.stream = self._streams[is_video]
        self._container.mux(packet)

    def close(self) -> None:
        if self._container is not None:
            self._container.close()
            self._container = None


def create(target: str, options: Mapping[str, Any], context: OutputContext) -> MatroskaOutput:
    return MatroskaOutput(target)
