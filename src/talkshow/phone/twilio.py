"""Twilio Media Streams' WebSocket messages (Telnyx and others speak the same JSON).

Inbound: ``connected``, ``start`` (stream and call ids, media format, custom parameters),
``media`` (base64 μ-law 8 kHz, 20 ms), ``mark`` (a mark we sent has been played to the
caller), ``dtmf`` and ``stop``. Outbound: ``media``, ``mark`` and ``clear`` (drop the audio
the platform still holds). A message that is not what the format says is an InputError
naming what was wrong; the transport logs it and carries on with the call. A ``start``
whose media format is not μ-law 8 kHz mono is a MediaFormatError: that call cannot be
heard, so the bridge ends it.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from typing import Any

from talkshow.core.errors import InputError
from talkshow.phone.audio import MediaFormatError

__all__ = ["EVENTS", "StreamEvent", "clear_message", "mark_message", "media_message", "parse_message"]

EVENTS = ("connected", "start", "media", "mark", "dtmf", "stop")
MAX_MESSAGE_CHARS = 64 * 1024  # a 20 ms media message is ~400 characters
SUPPORTED_FORMAT = {"encoding": "audio/x-mulaw", "sampleRate": 8000, "channels": 1}


@dataclass(frozen=True)
class StreamEvent:
    """One inbound message, the fields each kind carries (others left empty)."""

    kind: str
    stream_sid: str = ""
    sequence: int = 0
    payload: bytes = b""  # media: μ-law audio
    timestamp_ms: int = 0  # media: the audio's place in the stream
    track: str = ""  # media / dtmf: inbound or outbound
    mark: str = ""  # mark: the name we gave it
    digit: str = ""  # dtmf
    call_sid: str = ""  # start
    parameters: dict[str, str] = field(default_factory=dict)  # start: <Parameter>s from the TwiML


def parse_message(text: str | bytes) -> StreamEvent:
    """The event in one WebSocket text message; InputError if it is not a Media Streams message."""
    if len(text) > MAX_MESSAGE_CHARS:
        raise InputError(f"media stream message is {len(text)} characters; the limit is {MAX_MESSAGE_CHARS}")
    try:
        data = json.loads(text)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputError(f"media stream message is not JSON: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("event"), str):
        raise InputError("media stream message has no 'event'")
    kind = data["event"]
    if kind not in EVENTS:
        raise InputError(f"unknown media stream event {kind!r}; expected one of {', '.join(EVENTS)}")
    sid, sequence = str(data.get("streamSid", "")), _int(data, "sequenceNumber")
    if kind == "start":
        start = _table(data, "start")
        _check_format(_table(start, "mediaFormat"))
        raw = start.get("customParameters") or {}
        parameters = {str(k): str(v) for k, v in raw.items()} if isinstance(raw, dict) else {}
        call_sid = str(start.get("callSid", ""))
        sid = sid or str(start.get("streamSid", ""))
        return StreamEvent(kind, sid, sequence, call_sid=call_sid, parameters=parameters)
    if kind == "media":
        media = _table(data, "media")
        try:
            payload = base64.b64decode(str(media.get("payload", "")), validate=True)
        except (binascii.Error, ValueError) as exc:
            raise InputError(f"media payload is not base64: {exc}") from exc
        track = str(media.get("track", "inbound"))
        return StreamEvent(kind, sid, sequence, payload=payload, timestamp_ms=_int(media, "timestamp"), track=track)
    if kind == "mark":
        return StreamEvent(kind, sid, sequence, mark=str(_table(data, "mark").get("name", "")))
    if kind == "dtmf":
        digit = str(_table(data, "dtmf").get("digit", ""))
        if len(digit) != 1 or digit not in "0123456789*#ABCD":
            raise InputError(f"dtmf digit must be one of 0-9 * # A-D, got {digit!r}")
        return StreamEvent(kind, sid, sequence, digit=digit)
    return StreamEvent(kind, sid, sequence)  # connected, stop


def media_message(stream_sid: str, payload: bytes) -> str:
    """Outbound audio (μ-law 8 kHz) for the caller."""
    encoded = base64.b64encode(payload).decode("ascii")
    return json.dumps({"event": "media", "streamSid": stream_sid, "media": {"payload": encoded}})


def mark_message(stream_sid: str, name: str) -> str:
    """A mark after the audio sent so far: the platform echoes it once the caller has heard that audio."""
    return json.dumps({"event": "mark", "streamSid": stream_sid, "mark": {"name": name}})


def clear_message(stream_sid: str) -> str:
    """Drop the audio the platform holds for the caller (a barge-in); pending marks come back at once."""
    return json.dumps({"event": "clear", "streamSid": stream_sid})


def _table(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key)
    if not isinstance(value, dict):
        raise InputError(f"media stream {data.get('event', key)!r} message has no {key!r} object")
    return value


def _int(data: dict[str, Any], key: str) -> int:
    value = data.get(key, 0)
    try:
        return int(value)  # Twilio sends numbers as strings
    except (TypeError, ValueError) as exc:
        raise InputError(f"media stream field {key!r} must be a number, got {value!r}") from exc


def _check_format(media_format: dict[str, Any]) -> None:
    got = {
        "encoding": media_format.get("encoding"),
        "sampleRate": _int(media_format, "sampleRate"),
        "channels": _int(media_format, "channels"),
    }
    if got != SUPPORTED_FORMAT:
        raise MediaFormatError(f"media format {got} is not supported; talkshow takes {SUPPORTED_FORMAT}")
