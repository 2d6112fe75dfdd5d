"""The phone bridges' wire formats and audio, on real speech: Twilio Media Streams JSON, AudioSocket, G.711."""

from __future__ import annotations

import asyncio
import base64
import json
import uuid

import numpy as np
import pytest

from support.spoken import SPEAKERS, noisy, utterance
from talkshow.audio import resample
from talkshow.core.errors import InputError
from talkshow.ears.pocketsphinx_stt import PocketsphinxSTT
from talkshow.phone.audio import PhoneAudio
from talkshow.phone.audiosocket import AudioSocketMessage, read_message
from talkshow.phone.twilio import clear_message, mark_message, media_message, parse_message

# times nothing: make test runs it beside the solo tier, on the CPU those two workers leave idle
pytestmark = pytest.mark.beside

SID = "MZ18ad3ab5a668481ce02b83e7395059f0"
TEXT = "what do you think about the moon"
WRONG_FORMAT = '{"encoding": "audio/l16", "sampleRate": 16000, "channels": 1}'


def _speech_48k() -> np.ndarray:
    return resample(noisy([utterance(TEXT, SPEAKERS[1])], 25.0), 16_000, 48_000)


@pytest.mark.parametrize("encoding", ["mulaw", "linear"])
def test_speech_survives_the_phone_line_both_ways_in_20_ms_frames(encoding: str) -> None:
    speech = _speech_48k()
    outbound, inbound = PhoneAudio(encoding), PhoneAudio(encoding)
    frames = [f for start in range(0, len(speech), 1600) for f in outbound.encode(speech[start : start + 1600])]
    assert frames and {len(f) for f in frames} == {outbound.frame_bytes}, "whole 20 ms frames only"
    assert outbound.frame_bytes == (160 if encoding == "mulaw" else 320)
    assert abs(len(frames) * 0.02 - len(speech) / 48_000) < 0.03
    back = np.concatenate([inbound.decode(f) for f in frames])
    # Telephone band (the 8 kHz round trip keeps < 4 kHz): the words are still heard.
    stt = PocketsphinxSTT()
    original = set(stt.transcribe(speech, 48_000).words)
    heard = set(stt.transcribe(back, 48_000).words)
    assert len(original & heard) >= 4 and {"think", "about"} <= heard, (original, heard)
    # And it is the same sound, time-aligned within the resamplers' few ms of delay.
    n = min(len(speech), len(back))
    # The first 480 lags only: "valid" over back[:48_000 + 479] gives exactly those (the whole signal took minutes).
    lag = int(np.argmax(np.correlate(back[: 48_000 + 479].astype(float), speech[:48_000].astype(float), "valid")))
    assert lag < 480 and np.corrcoef(speech[: n - lag], back[lag:n])[0, 1] > 0.95  # measured 0.996


def test_a_twilio_call_is_parsed_as_twilio_sends_it() -> None:
    payload = bytes(range(160))
    encoded = base64.b64encode(payload).decode()
    messages = [
        {"event": "connected", "protocol": "Call", "version": "1.0.0"},
        {
            "event": "start",
            "sequenceNumber": "1",
            "start": {
                "accountSid": "AC123",
                "streamSid": SID,
                "callSid": "CA456",
                "tracks": ["inbound"],
                "mediaFormat": {"encoding": "audio/x-mulaw", "sampleRate": 8000, "channels": 1},
                "customParameters": {"from": "+15551231234"},
            },
            "streamSid": SID,
        },
        {
            "event": "media",
            "sequenceNumber": "2",
            "media": {"track": "inbound", "chunk": "1", "timestamp": "20", "payload": encoded},
            "streamSid": SID,
        },
        {"event": "dtmf", "streamSid": SID, "sequenceNumber": "3", "dtmf": {"track": "inbound_track", "digit": "#"}},
        {"event": "mark", "sequenceNumber": "4", "streamSid": SID, "mark": {"name": "reply-1"}},
        {"event": "stop", "sequenceNumber": "5", "streamSid": SID, "stop": {"accountSid": "AC123", "callSid": "CA456"}},
    ]
    events = [parse_message(json.dumps(m)) for m in messages]
    assert [e.kind for e in events] == ["connected", "start", "media", "dtmf", "mark", "stop"]
    start, media, dtmf, mark = events[1:5]
    assert (start.stream_sid, start.call_sid, start.parameters) == (SID, "CA456", {"from": "+15551231234"})
    assert (media.payload, media.timestamp_ms, media.sequence) == (payload, 20, 2)
    assert (dtmf.digit, mark.mark) == ("#", "reply-1")


def test_outbound_messages_are_what_the_platform_reads() -> None:
    media = json.loads(media_message(SID, b"\xff\x7f"))
    assert media == {"event": "media", "streamSid": SID, "media": {"payload": "/38="}}
    assert json.loads(mark_message(SID, "reply-2")) == {"event": "mark", "streamSid": SID, "mark": {"name": "reply-2"}}
    assert json.loads(clear_message(SID)) == {"event": "clear", "streamSid": SID}


@pytest.mark.parametrize(
    ("message", "words"),
    [
        ("not json", "not JSON"),
        ('{"streamSid": "x"}', "no 'event'"),
        ('{"event": "hello"}', "unknown media stream event 'hello'"),
        ('{"event": "media", "media": {"payload": "***"}}', "not base64"),
        ('{"event": "media"}', "no 'media' object"),
        ('{"event": "dtmf", "dtmf": {"digit": "11"}}', "dtmf digit"),
        ('{"event": "media", "sequenceNumber": "two", "media": {"payload": ""}}', "'sequenceNumber' must be a number"),
        ('{"event": "start", "start": {"mediaFormat": ' + WRONG_FORMAT + "}}", "media format .* is not supported"),
        ('{"event": "media", "media": {"payload": "' + "A" * 70_000 + '"}}', "the limit is"),
    ],
)
def test_malformed_twilio_messages_say_what_is_wrong(message: str, words: str) -> None:
    with pytest.raises(InputError, match=words):
        parse_message(message)


def test_audiosocket_messages_round_trip_and_bad_ones_are_named() -> None:
    call = uuid.UUID("6f1c0e2e-6d3a-4d2b-9a51-0c6a3b0e7d11")
    audio = (np.arange(160, dtype="<i2") * 50).tobytes()
    sent = [AudioSocketMessage("uuid", call.bytes), AudioSocketMessage("audio", audio), AudioSocketMessage("hangup")]

    async def read(wire: bytes) -> list[AudioSocketMessage | None]:
        reader = asyncio.StreamReader()
        reader.feed_data(wire)
        reader.feed_eof()
        got: list[AudioSocketMessage | None] = []
        while (message := await read_message(reader)) is not None:
            got.append(message)
        return got

    wire = b"".join(m.encode() for m in sent)
    assert wire[:3] == b"\x01\x00\x10" and wire[19:22] == b"\x10\x01\x40"  # kind, big-endian length
    received = asyncio.run(read(wire))
    assert received == sent and received[0] is not None and received[0].call_id == str(call)
    with pytest.raises(InputError, match="unknown AudioSocket message kind 0x42"):
        asyncio.run(read(b"\x42\x00\x00"))
    with pytest.raises(InputError, match="payload cut short: 10 of 320 bytes"):
        asyncio.run(read(b"\x10\x01\x40" + bytes(10)))
    with pytest.raises(InputError, match="over the 8000-byte limit"):
        asyncio.run(read(b"\x10\xff\xff" + bytes(0xFFFF)))
    with pytest.raises(InputError, match="16000 Hz .* not supported"):
        asyncio.run(read(b"\x12\x01\x40" + bytes(320)))
    with pytest.raises(InputError, match="uuid message carries 16 bytes"):
        _ = AudioSocketMessage("uuid", b"short").call_id
