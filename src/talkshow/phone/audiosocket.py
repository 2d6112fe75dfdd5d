"""Asterisk AudioSocket's framing: a 3-byte header (kind, big-endian length), then the payload.

Kinds: ``hangup`` (0x00), ``uuid`` (0x01, the call's 16-byte id), ``dtmf`` (0x03, one ASCII
digit), ``audio`` (0x10, signed linear 16-bit little-endian 8 kHz, 20 ms a frame) and
``error`` (0xff). A malformed message is an InputError naming what was wrong.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass

from talkshow.errors import InputError

__all__ = ["KINDS", "AudioSocketMessage", "read_message"]

KINDS = {0x00: "hangup", 0x01: "uuid", 0x03: "dtmf", 0x10: "audio", 0xFF: "error"}
CODES = {name: code for code, name in KINDS.items()}
MAX_PAYLOAD = 8_000  # bytes: half a second of audio; a real frame is 320


@dataclass(frozen=True)
class AudioSocketMessage:
    """One message: its kind and payload."""

    kind: str
    payload: bytes = b""

    def encode(self) -> bytes:
        """The message on the wire."""
        if self.kind not in CODES:
            raise InputError(f"unknown AudioSocket kind {self.kind!r}; expected one of {', '.join(CODES)}")
        if len(self.payload) > 0xFFFF:
            raise InputError(f"an AudioSocket payload holds at most 65535 bytes, got {len(self.payload)}")
        return bytes([CODES[self.kind]]) + len(self.payload).to_bytes(2, "big") + self.payload

    @property
    def call_id(self) -> str:
        """A ``uuid`` message's call id, in its usual text form."""
        if self.kind != "uuid" or len(self.payload) != 16:
            raise InputError(f"an AudioSocket uuid message carries 16 bytes, got {self.kind} of {len(self.payload)}")
        return str(uuid.UUID(bytes=self.payload))


async def read_message(reader: asyncio.StreamReader) -> AudioSocketMessage | None:
    """The next message, or None when the peer closed the connection between messages."""
    try:
        header = await reader.readexactly(3)
    except asyncio.IncompleteReadError as exc:
        if not exc.partial:
            return None
        raise InputError(f"AudioSocket header cut short after {len(exc.partial)} of 3 bytes") from exc
    kind = KINDS.get(header[0])
    if kind is None:
        raise InputError(f"unknown AudioSocket message kind 0x{header[0]:02x}")
    length = int.from_bytes(header[1:], "big")
    if length > MAX_PAYLOAD:
        raise InputError(f"AudioSocket {kind} payload of {length} bytes is over the {MAX_PAYLOAD}-byte limit")
    try:
        payload = await reader.readexactly(length)
    except asyncio.IncompleteReadError as exc:
        raise InputError(f"AudioSocket {kind} payload cut short: {len(exc.partial)} of {length} bytes") from exc
    return AudioSocketMessage(kind, payload)
