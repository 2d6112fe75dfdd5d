"""The phone path's parts on their own, on real audio conversions: the inbound guard, the paced sender with its
marks and clear, the cut at what a late listener heard, and the dial plan's checks."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest

from talkshow.core.air import AirLog, Interruption
from talkshow.core.errors import ShowFileError
from talkshow.phone.audio import PhoneAudio
from talkshow.phone.audiosocket import caller_digits, read_message
from talkshow.phone.audiosocket_server import AudioSocketWire
from talkshow.phone.inbound import InboundAudio
from talkshow.phone.outbound import SURPLUS_SLACK_FRAMES, PhoneSender
from talkshow.phone.settings import caller_label, mask_number, parse_phone_table
from talkshow.talk.heard import heard_by_listener

# The tests that time nothing run beside the solo tier, on the CPU those two workers leave idle (make test).
# The sender's pacing test times 20 ms frames and runs in the first tier: in the idle class its sending was
# starved for 200 ms (seed 162948202, fresh clone), and the median interval came out 15.6 ms.
beside = pytest.mark.beside

SPF = 1600  # show samples per stream frame (48 kHz, 30 fps)


def _tone(frames: int, level: int = 8000) -> np.ndarray:
    t = np.arange(frames * SPF) / 48_000
    return (np.sin(2 * np.pi * 300 * t) * level).astype(np.int16)


@beside
def test_the_inbound_timeline_fills_gaps_drops_repeats_and_holds_a_flood_to_real_time() -> None:
    wire = PhoneAudio("mulaw").encode(_tone(30))  # 1 s of μ-law frames
    inbound = InboundAudio(PhoneAudio("mulaw"))
    got = [inbound.accept(frame, 20 * i, now=0.02 * i) for i, frame in enumerate(wire[:10])]
    # 20 ms in, 20 ms (960 samples at 48 kHz) out; libswresample holds back its filter's 2 ms at the start.
    assert 10 * 960 - 200 < sum(len(g) for g in got) <= 10 * 960 and len(got[-1]) == 960
    lost = inbound.accept(wire[12], 240, now=0.24)  # frames 10 and 11 never came: 40 ms of silence first
    assert len(lost) == 3 * 960 and not lost[: 2 * 960].any() and inbound.stats.filled_ms == 40
    assert len(inbound.accept(wire[11], 220, now=0.25)) == 0 and inbound.stats.late == 1, "too late: dropped"
    assert len(inbound.accept(wire[12], 240, now=0.26)) == 0 and inbound.stats.late == 2, "a repeat: dropped"

    flooded = InboundAudio(PhoneAudio("linear"))
    frame = PhoneAudio("linear").encode(_tone(2))[0]
    taken = sum(len(flooded.accept(frame, now=0.001 * i)) > 0 for i in range(500))  # 10 s of audio in 0.5 s
    assert 50 <= taken <= 80, f"1 s burst plus 0.5 s of real time, took {taken} frames"
    assert flooded.stats.flood_dropped == 500 - taken and flooded.flooding_for(now=0.5) > 0.4
    admitted = sum(flooded.admit(now=1.0 + 0.001 * i) for i in range(300))
    assert 95 <= admitted <= 99, f"75 at once, then 75 a second: {admitted} in 0.3 s"
    assert flooded.flooding_for(now=3.0) == 0.0, "a second after the last drop, the flood is over"


class CountingWire(AudioSocketWire):
    """Counts frames as they are written to the socket (the sender counts them after the drain)."""

    written = 0

    async def send_audio(self, frame: bytes) -> None:
        self.written += 1
        await super().send_audio(frame)


def test_the_sender_paces_20_ms_frames_and_nothing_of_a_cut_reply_follows_a_stop() -> None:
    """Over a real AudioSocket connection on loopback: Asterisk's side reads what talkshow's side sends."""

    async def run() -> tuple[list[tuple[float, bytes]], PhoneSender]:
        loop = asyncio.get_running_loop()
        received: list[tuple[float, bytes]] = []

        async def asterisk(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            while (message := await read_message(reader)) is not None:
                if message.kind == "audio":
                    received.append((loop.time(), message.payload))

        server = await asyncio.start_server(asterisk, "127.0.0.1", 0)
        _, writer = await asyncio.open_connection("127.0.0.1", server.sockets[0].getsockname()[1])
        pacer_at = [100]
        wire = CountingWire(writer)
        sender = PhoneSender(wire, PhoneAudio("linear"), SPF, lambda: pacer_at[0])
        task = asyncio.ensure_future(sender.run())
        audio, began = _tone(30), loop.time()
        for index in range(30):  # one second of show audio, delivered as the encoder's tap would: at real time
            sender.show_audio(100 + index, audio[index * SPF : (index + 1) * SPF])
            await asyncio.sleep(max(0.0, began + (index + 1) / 30 - loop.time()))
        pacer_at[0] = 140
        stopped = wire.written  # not len(received): frames written before the stop may still be in flight
        sender.stop_reply()  # a barge-in: what waits is dropped, everything muted until the cut lands
        sender.show_audio(130, _tone(1))
        sender.show_audio(131, _tone(1))  # still in the encoder when the cut landed: muted too
        sender.cut_landed()
        began = loop.time()
        for index in range(132, 150):  # 140 and 141 are the frames the cut kept (the broadcast's fade): muted
            sender.show_audio(index, _tone(1))
            await asyncio.sleep(max(0.0, began + (index - 131) / 30 - loop.time()))
        sender.close()
        await task
        for _ in range(100):  # everything sent has reached Asterisk's side
            if len(received) >= wire.written:
                break
            await asyncio.sleep(0.01)
        await AudioSocketWire(writer).close("done")
        server.close()
        return received[stopped:], sender

    after, sender = asyncio.run(run())
    assert {len(payload) for _, payload in after} == {320}, "20 ms frames of 16-bit 8 kHz"
    assert abs(float(np.median(np.diff([t for t, _ in after]))) - 0.02) < 0.003, "paced at real time"
    loud = [int(np.abs(np.frombuffer(payload, "<i2").astype(int)).max()) for _, payload in after]
    first_sound = next(i for i, peak in enumerate(loud) if peak > 4000)
    assert max(loud[:first_sound]) < 200 and first_sound >= 10, f"nothing of the cut reply: {loud[:14]}"
    assert sender.stats.muted >= 6 and sender.stats.underruns <= 1, sender.stats
    assert sender.stats.skipped == 0, "the tap's 33 ms steps are jitter, not a backlog to skip"


def test_after_a_stall_the_sender_skips_the_backlog_and_the_caller_is_in_step_again() -> None:
    """The loop stalls for 0.4 s while the encoder goes on: its frames arrive at once, 0.4 s late. The sender
    skips that backlog within a second or two; it does not keep the caller 0.4 s behind for the rest of the call."""

    async def run() -> tuple[list[int], PhoneSender]:
        loop = asyncio.get_running_loop()
        server = await asyncio.start_server(_asterisk_reading, "127.0.0.1", 0)
        _, writer = await asyncio.open_connection("127.0.0.1", server.sockets[0].getsockname()[1])
        sender = PhoneSender(AudioSocketWire(writer), PhoneAudio("linear"), SPF, lambda: 0)
        task = asyncio.ensure_future(sender.run())
        audio, began, behind_ms = _tone(120), loop.time(), []
        for index in range(120):  # four seconds of show audio at real time
            if index == 15:
                time.sleep(0.4)  # the loop is held up: the tap's next 12 frames are all waiting when it is free
            due = began + (index + 1) / 30
            if loop.time() < due or index < 15:
                await asyncio.sleep(max(0.0, due - loop.time()))
            sender.show_audio(index, audio[index * SPF : (index + 1) * SPF])
            if sender.sent_until is not None:
                behind_ms.append(((index + 1) * SPF - sender.sent_until) * 1000 // 48_000)
        sender.close()
        await task
        await AudioSocketWire(writer).close("done")
        server.close()
        return behind_ms, sender

    behind_ms, sender = asyncio.run(run())
    assert max(behind_ms[20:40]) > 300, f"the stall's backlog: {behind_ms[15:40]}"
    # In step: behind by a stream frame's 33 ms (the tap's step) and the buffer's level, which is at most its
    # start level and the slack left unskipped, and a frame's 20 ms of the tap's jitter.
    most_ms = 34 + 20 * (sender.stats.prebuffer_frames + SURPLUS_SLACK_FRAMES) + 20
    assert sorted(behind_ms[-30:])[15] <= most_ms, f"in step again: {behind_ms[-30:]}"
    assert sender.stats.skipped >= 12, sender.stats


async def _asterisk_reading(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Asterisk's side of an AudioSocket, reading what it is sent."""
    while await read_message(reader) is not None:
        pass


@beside
def test_a_late_listener_keeps_only_the_words_that_reached_them() -> None:
    @dataclass
    class Turn:
        index: int
        audio: np.ndarray

    log = AirLog(SPF)
    first, second, third = Turn(1, np.zeros(10 * SPF)), Turn(2, np.zeros(10 * SPF)), Turn(3, np.zeros(10 * SPF))
    for frame in range(10):  # stream frames 200-209 play turn 1, 210-219 turn 2, then the cut
        log.record(200 + frame, first, frame)  # type: ignore[arg-type]
        log.record(210 + frame, second, frame)  # type: ignore[arg-type]
    cut = Interruption(heard={id(second): 10 * SPF}, dropped=[third])  # type: ignore[list-item]
    until = 204 * SPF + 800  # the listener is 6.5 frames behind the air
    narrowed = heard_by_listener(cut, [first, second, third], {1, 2}, log, until)  # type: ignore[list-item]
    assert narrowed.heard == {id(first): 4 * SPF + 800, id(second): 0}, "half of frame 204 of turn 1, none of turn 2"
    assert narrowed.dropped == [third] and cut.heard == {id(second): 10 * SPF}, "the show's own cut is left as it was"  # type: ignore[comparison-overlap]
    assert log.heard_of(third, until) is None, "never aired"  # type: ignore[arg-type]


@beside
def test_the_dial_plan_is_checked_and_numbers_are_masked() -> None:
    def fail(message: str, key: str) -> Exception:
        return ShowFileError("show.toml", f"{key}: {message}")

    settings = parse_phone_table({"audiosocket": 9092, "dtmf": {"5": "hangup"}, "busy": "queue"}, fail)
    assert settings.audiosocket_address == ("127.0.0.1", 9092), "a bare port listens on loopback"
    assert settings.dtmf == {"5": "hangup"} and settings.busy == "queue"
    cases: list[tuple[dict[str, Any], str]] = [
        ({"dtmf": {"x": "hangup"}}, "not a DTMF key"),
        ({"dtmf": {"1": "explode"}}, "the action must be one of"),
        ({"busy": "maybe"}, "busy must be one of message, queue"),
        ({"max_call_s": 5}, "max_call_s must be a number from 10"),
        ({"mark_interval_ms": 30}, "multiple of 20"),
        ({"audiosocket": "host:99999"}, "1-65535"),
        ({"greeting": ""}, "1-300 characters"),
        ({"greting": "hi"}, "unknown key 'greting'"),
    ]
    for table, words in cases:
        with pytest.raises(ShowFileError, match=words):
            parse_phone_table(table, fail)
    assert mask_number("+1 (555) 123-4567") == "…4567" and mask_number("") == "unknown"
    assert caller_label("+15551234567") == "Caller …4567" and caller_label("+15551234567", "hidden") == "Caller"
    assert caller_label("+15551234567", "full") == "Caller +15551234567" and caller_label("anonymous") == "Caller"
    assert caller_digits("00000000-0000-4000-8000-005551234567") == "5551234567"
    assert caller_digits("6f1c0e2e-6d3a-4d2b-9a51-0c6a3b0e7d11") == "", "a random UUID carries no number"
