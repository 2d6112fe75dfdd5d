"""Fragmented MP4 (CMAF) from the encoder's packets: the init segment, then one fragment per part.

PyAV's mp4 muxer writes into memory with ``empty_moov`` (the init segment first, no
samples), a fragment at every keyframe (``frag_keyframe``) and every ``part_s`` between
(``frag_duration``), each holding both tracks. It writes a fragment when the first packet
of the next one arrives (then every sample's length is known), and with interleaving
limited to the minimum that is two frames after the fragment's last. This module reads the
boxes back as they appear: the init segment once, then each fragment with its video start,
its video length and whether it begins with a keyframe, all read from its ``moof``.
(One fragment per packet, ``frag_every_frame``, was tried first: the muxer must guess each
sample's length before the next packet, and its guess for the first shifted every later
sample by a frame.)
"""

from __future__ import annotations

import io
import struct
from collections.abc import Iterator
from dataclasses import dataclass

import av

from talkshow.core.kinds.output import EncodedStreams, Packet

__all__ = ["Fragment", "FragmentedMp4"]

_MOVFLAGS = "frag_keyframe+empty_moov+default_base_moof"
_NON_SYNC = 0x10000  # sample_is_non_sync_sample in ISO/IEC 14496-12 sample flags


@dataclass(frozen=True)
class Fragment:
    """One ``moof`` + ``mdat`` of both tracks: its video starts ``start_s`` into the stream and lasts ``duration_s``."""

    data: bytes
    start_s: float
    duration_s: float
    independent: bool  # its video begins with a keyframe


class FragmentedMp4:
    """An in-memory fMP4 muxer whose output is read back box by box."""

    def __init__(self, streams: EncodedStreams, part_s: float) -> None:
        self._buffer = io.BytesIO()
        options = {"movflags": _MOVFLAGS, "frag_duration": str(round(part_s * 1e6)), "max_interleave_delta": "1"}
        self._container = av.open(self._buffer, "w", format="mp4", options=options)
        self._video = self._container.add_stream_from_template(streams.video)
        self._fps = float(streams.video.average_rate or 30)
        self._audio = self._container.add_stream_from_template(streams.audio)
        self._read = 0  # bytes of the buffer already handed out
        self._pending_moof: bytes | None = None
        self.init: bytes | None = None  # ftyp + moov, once the muxer has written them
        self.timescales: dict[int, int] = {}
        self.video_track = 1

    def mux(self, packet: Packet, is_video: bool) -> Iterator[Fragment]:
        """Mux ``packet`` (owned: its data is taken) and yield every fragment now complete."""
        packet.stream = self._video if is_video else self._audio
        self._container.mux(packet)
        yield from self._drain()

    def close(self) -> Iterator[Fragment]:
        """Flush the muxer; yields the last fragments."""
        self._container.close()
        yield from self._drain()

    def _drain(self) -> Iterator[Fragment]:
        data = self._buffer.getbuffer()
        try:
            while self._read + 8 <= len(data):
                size, kind = struct.unpack_from(">I4s", data, self._read)
                if size < 8 or self._read + size > len(data):
                    break  # the rest of this box is still to come
                box = bytes(data[self._read : self._read + size])
                self._read += size
                if kind == b"moov":
                    self.init = (self.init or b"") + box
                    self.timescales = dict(_timescales(box))
                    self.video_track = min(self.timescales)
                elif kind == b"ftyp":
                    self.init = box
                elif kind == b"moof":
                    self._pending_moof = box
                elif kind == b"mdat" and self._pending_moof is not None:
                    yield self._fragment(self._pending_moof, box)
                    self._pending_moof = None
        finally:
            del data
        if self._read > 1 << 20:  # what was handed out is never read again: keep the buffer small
            rest = self._buffer.getvalue()[self._read :]
            self._buffer.seek(0)
            self._buffer.truncate()
            self._buffer.write(rest)
            self._read = 0

    def _fragment(self, moof: bytes, mdat: bytes) -> Fragment:
        timescale = self.timescales.get(self.video_track, 1)
        for track, decode_time, ticks, samples, independent in _trafs(moof):
            if track == self.video_track:
                length = ticks / timescale if ticks else samples / self._fps
                return Fragment(moof + mdat, decode_time / timescale, length, independent)
        return Fragment(moof + mdat, 0.0, 0.0, False)  # audio only: before the first video


def _children(data: bytes, start: int, end: int) -> Iterator[tuple[bytes, int, int]]:
    """(kind, payload start, box end) of each box in ``data[start:end]``."""
    offset = start
    while offset + 8 <= end:
        size, kind = struct.unpack_from(">I4s", data, offset)
        if size < 8 or offset + size > end:
            return
        yield kind, offset + 8, offset + size
        offset += size


def _find(data: bytes, path: tuple[bytes, ...], start: int = 8, end: int | None = None) -> Iterator[tuple[int, int]]:
    """Payload spans of every box at ``path`` below the box that ``data`` is (one level per name)."""
    end = len(data) if end is None else end
    for kind, payload, box_end in _children(data, start, end):
        if kind == path[0]:
            if len(path) == 1:
                yield payload, box_end
            else:
                yield from _find(data, path[1:], payload, box_end)


def _timescales(moov: bytes) -> Iterator[tuple[int, int]]:
    """(track id, timescale) of each ``trak`` in an init segment's ``moov``."""
    for trak_start, trak_end in _find(moov, (b"trak",)):
        track = timescale = 0
        for payload, _ in _find(moov, (b"tkhd",), trak_start, trak_end):
            version = moov[payload]
            track = struct.unpack_from(">I", moov, payload + (20 if version == 1 else 12))[0]
        for payload, _ in _find(moov, (b"mdia", b"mdhd"), trak_start, trak_end):
            version = moov[payload]
            timescale = struct.unpack_from(">I", moov, payload + (20 if version == 1 else 12))[0]
        if track and timescale:
            yield track, timescale


def _trafs(moof: bytes) -> Iterator[tuple[int, int, int, int, bool]]:
    """Per ``traf``: track id, base decode time, summed sample lengths (0: not given), samples, keyframe first."""
    for traf, traf_end in _find(moof, (b"traf",)):
        track = decode_time = default_length = ticks = samples = 0
        independent = False
        for payload, _ in _find(moof, (b"tfhd",), traf, traf_end):
            flags = int.from_bytes(moof[payload + 1 : payload + 4], "big")
            track = struct.unpack_from(">I", moof, payload + 4)[0]
            offset = payload + 8 + (8 if flags & 0x1 else 0) + (4 if flags & 0x2 else 0)
            if flags & 0x8:
                default_length = struct.unpack_from(">I", moof, offset)[0]
        for payload, _ in _find(moof, (b"tfdt",), traf, traf_end):
            decode_time = struct.unpack_from(">Q" if moof[payload] == 1 else ">I", moof, payload + 4)[0]
        for payload, _ in _find(moof, (b"trun",), traf, traf_end):
            flags = int.from_bytes(moof[payload + 1 : payload + 4], "big")
            samples = struct.unpack_from(">I", moof, payload + 4)[0]
            offset = payload + 8 + (4 if flags & 0x1 else 0)
            if flags & 0x4:
                independent = not struct.unpack_from(">I", moof, offset)[0] & _NON_SYNC
                offset += 4
            if flags & 0x100:  # each sample's own length
                size = 4 * sum(1 for bit in (0x100, 0x200, 0x400, 0x800) if flags & bit)
                ticks = sum(struct.unpack_from(">I", moof, offset + i * size)[0] for i in range(samples))
            else:
                ticks = samples * default_length
        yield track, decode_time, ticks, samples, independent
