"""Asterisk AudioSocket's framing: a 3-byte header (kind, big-endian length), then the payload.

Kinds: ``hangup`` (0x00), ``uuid`` (0x01, the call's 16-byte id), ``dtmf`` (0x03, one ASCII
digit), ``audio`` (0x10, signed linear 16-bit little-endian 8 kHz, 20 ms a frame) and
``error`` (0xff). A message that cannot be used is read whole before it is refused, so
the stream stays in step: ``BadMessageError`` (an unknown kind, an oversized payload) or
``MediaFormatError`` (audio at another rate, 0x11-0x18 in newer Asterisk) name what was
wrong and the next message can be read. A stream cut mid-message is a plain InputError.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass

from talkshow.core.errors import InputError
from talkshow.phone.audio import MediaFormatError

__all__ = ["KINDS", "AudioSocketMessage", "BadMessageError", "caller_digits", "read_message"]

KINDS = {0x00: "hangup", 0x01: "uuid", 0x03: "dtmf", 0x10: "audio", 0xFF: "error"}
OTHER_RATES = {0x11: 12_000, 0x12: 16_000, 0x13: 24_000, 0x14: 32_000, 0x15: 44_100, 0x16: 48_000, 0x17: 96_000}
OTHER_RATES[0x18] = 192_000
CODES = {name: code for code, name in KINDS.items()}
MAX_PAYLOAD = 8_000  # bytes: half a second of audio; a real frame is 320


class BadMessageError(InputError):
    """One message could not be used; it was read whole, so the next one can be."""


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
    code, length = header[0], int.from_bytes(header[1:], "big")
    kind = KINDS.get(code, f"0x{code:02x}")
    try:
        payload = await reader.readexactly(length)
    except asyncio.IncompleteReadError as exc:
        raise InputError(f"AudioSocket {kind} payload cut short: {len(exc.partial)} of {length} bytes") from exc
    if code in OTHER_RATES:
        raise MediaFormatError(
            f"AudioSocket audio at {OTHER_RATES[code]} Hz (kind 0x{code:02x}) is not supported; "
            "talkshow takes signed linear 16-bit 8 kHz (0x10): use AudioSocket's default slin"
        )
    if code not in KINDS:
        raise BadMessageError(f"unknown AudioSocket message kind 0x{code:02x} ({length} bytes skipped)")
    if length > MAX_PAYLOAD:
        raise BadMessageError(f"AudioSocket {kind} payload of {length} bytes is over the {MAX_PAYLOAD}-byte limit")
    return AudioSocketMessage(kind, payload)


def caller_digits(call_id: str) -> str:
    """The caller's number a dial plan put in the call's UUID, or "".

    AudioSocket carries no caller id. A dial plan that wants "Caller …1234" on air makes the
    UUID's last group the number, zero-padded: ``00000000-0000-4000-8000-005551234567``.
    Only a last group of decimal digits that starts with "00" counts, which a random UUID
    almost never has.
    """
    last = call_id.rsplit("-", 1)[-1]
    return last.lstrip("0") if len(last) == 12 and last.isdigit() and last.startswith("00") else ""
