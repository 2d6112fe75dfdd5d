"""Every way a phone call can end frees the line, and an unauthenticated media stream holds nothing for long.

Against a real `talkshow serve`: a call that hangs up while it connects (three ways a probe
found to lock the line for good) leaves the line free, so the next caller is answered on
air; media streams without a secret are capped, timed out on one deadline, and logged once.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Callable, Coroutine, Iterator
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from support.phone_studio import TOKEN, PhoneStudio
from talkshow.phone.audiosocket import AudioSocketMessage
from talkshow.phone.guests import MAX_GUESTS, GuestLimit
from talkshow.phone.media_stream import MAX_BEFORE_START, START_WITHIN_S
from talkshow.testing.phone_client import MediaStreamClient

pytestmark = [pytest.mark.slow, pytest.mark.beside]  # a whole server; most of it waits out time limits


# Duke's persona and greeting come from a character card here (bring your own character).
CARD = {
    "spec": "chara_card_v2",
    "spec_version": "2.0",
    "data": {"name": "Duke", "description": "A showman.", "personality": "loud", "scenario": "a late show",
             "first_mes": "*taps the mic* Evening, {{user}}! Duke's hotline, spill it.", "mes_example": ""},
}  # fmt: skip


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PhoneStudio]:
    folder = tmp_path_factory.mktemp("hangups")
    (folder / "duke.json").write_text(json.dumps(CARD))
    running = PhoneStudio(folder, 'busy = "message"\n', card=folder / "duke.json")
    yield running
    running.close()


def _line(studio: PhoneStudio) -> dict[str, Any]:
    return dict(httpx.get(studio.base + "/api/rtc/call").json())


def _start(client: MediaStreamClient) -> list[str]:
    """A Twilio ``connected`` and ``start`` for ``client``'s call, as JSON texts."""
    start = {
        "streamSid": client.stream_sid,
        "callSid": client.call_sid,
        "tracks": ["inbound"],
        "mediaFormat": client.media_format,
        "customParameters": {"caller": client.caller},
    }
    return [
        json.dumps({"event": "connected", "protocol": "Call", "version": "1.0.0"}),
        json.dumps({"event": "start", "sequenceNumber": "1", "start": start, "streamSid": client.stream_sid}),
    ]


def _stop(client: MediaStreamClient) -> str:
    return json.dumps({"event": "stop", "streamSid": client.stream_sid, "stop": {"callSid": client.call_sid}})


async def _audiosocket_uuid_and_hangup_in_one_write(port: int) -> None:
    _, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(AudioSocketMessage("uuid", uuid.uuid4().bytes).encode() + AudioSocketMessage("hangup").encode())
    await writer.drain()
    writer.close()
    await writer.wait_closed()


async def _media_stream_start_then_stop(url: str) -> None:
    client = MediaStreamClient(url)
    async with connect(url) as socket:
        for text in [*_start(client), _stop(client)]:
            await socket.send(text)


async def _media_stream_closed_after_start(url: str) -> None:
    client = MediaStreamClient(url)
    async with connect(url) as socket:
        for text in _start(client):
            await socket.send(text)


def _ended(studio: PhoneStudio, count: int) -> list[dict[str, Any]]:
    deadline = time.monotonic() + 10
    while len(ended := studio.events("phone_call_ended")) < count:
        assert time.monotonic() < deadline, f"{len(ended)} calls ended of {count}"
        time.sleep(0.1)
    return ended


def _talk_turns_settled(studio: PhoneStudio) -> int:
    """How many talk turns were made, once none has been made for a second: an earlier call's last reply or
    greeting, still being voiced (moderation and voice run off the call's task), is not counted as this one's."""
    deadline = time.monotonic() + 10
    count = -1
    while True:
        now = len([e for e in studio.events("turn_ready") if e.get("source") == "talk"])
        if now == count:
            return count
        assert time.monotonic() < deadline, "talk turns kept coming for 10 s with no call on the line"
        count = now
        time.sleep(1.0)


def test_a_call_that_hangs_up_while_it_connects_frees_the_line(studio: PhoneStudio) -> None:
    # The AudioSocket caller's uuid and hangup come in one read, so the server knows before the call
    # goes on air: no greeting. A Media Streams 'stop' (or close) is a frame of its own that the server
    # reads only after 'start' has put the call on air, so a greeting may already be prepared for it;
    # for those two, what is checked is that the line comes back and the next caller gets it.
    hang_ups: list[tuple[Callable[[], Coroutine[Any, Any, None]], bool]] = [
        (lambda: _audiosocket_uuid_and_hangup_in_one_write(studio.audiosocket_port), True),
        (lambda: _media_stream_start_then_stop(studio.twilio_url), False),
        (lambda: _media_stream_closed_after_start(studio.twilio_url), False),
    ]
    ended_before = len(studio.events("phone_call_ended"))
    for count, (hang_up, known_at_once) in enumerate(hang_ups, 1):
        talk_turns_before = _talk_turns_settled(studio)
        asyncio.run(hang_up())
        _ended(studio, ended_before + count)
        time.sleep(0.5)  # the call's task, if it still ran, would take the line now
        status = _line(studio)
        assert status["line"] == "free" and not status["on_call"], (count, status)
        greetings = [e for e in studio.events("turn_ready") if e.get("source") == "talk"][talk_turns_before:]
        assert not (known_at_once and greetings), (
            f"call {count}: a greeting was made for a caller who had gone: {greetings}"
        )

    async def next_caller() -> dict[str, Any]:
        client = MediaStreamClient(studio.twilio_url, caller="+15550001111")
        await client.connect()
        deadline = time.monotonic() + 20
        while not (status := _line(studio))["on_call"]:
            assert time.monotonic() < deadline and not client.closed.is_set(), (status, client.close_reason)
            await asyncio.sleep(0.1)
        await client.hang_up()
        return status

    status = asyncio.run(next_caller())
    assert status["caller"] == "Caller …1111", "the next caller is on air, not told busy"
    deadline = time.monotonic() + 10
    while _line(studio)["line"] != "free":
        assert time.monotonic() < deadline, _line(studio)
        time.sleep(0.1)


def test_media_streams_without_a_secret_are_capped_timed_out_and_logged_once(studio: PhoneStudio) -> None:
    url = studio.twilio_url.rsplit("/", 1)[0]  # no token in the path: it could only come in 'start'
    logged_before = studio.log.read_text().count("before 'start' skipped")

    async def guests() -> tuple[list[float], str, int]:
        sockets = [await connect(url) for _ in range(MAX_GUESTS)]
        with pytest.raises(InvalidStatus) as refused:  # closed before it is accepted: refused at the handshake
            await connect(url)
        assert refused.value.response.status_code == 403, refused.value
        opened = time.monotonic()
        flood = sockets[0]  # media before 'start', as fast as it can: closed after a few
        with pytest.raises(ConnectionClosed):
            for _ in range(10 * MAX_BEFORE_START):
                await flood.send(json.dumps({"event": "media", "media": {"payload": ""}}))
                await asyncio.sleep(0.001)
            await asyncio.wait_for(flood.recv(), 5)
        closed_at: list[float] = []

        async def keep_alive(socket: Any) -> None:  # a 'connected' every second must not extend the deadline
            try:
                while True:
                    await socket.send(json.dumps({"event": "connected", "protocol": "Call"}))
                    await asyncio.sleep(1.0)
            except ConnectionClosed:
                closed_at.append(time.monotonic() - opened)

        await asyncio.wait_for(asyncio.gather(*map(keep_alive, sockets[1:])), START_WITHIN_S + 5)
        return closed_at, str(flood.close_reason), flood.close_code or 0

    closed_at, flood_reason, flood_code = asyncio.run(guests())
    assert len(closed_at) == MAX_GUESTS - 1 and max(closed_at) < START_WITHIN_S + 1.5, closed_at
    assert flood_code == 1008 and "before 'start'" in flood_reason, (flood_code, flood_reason)
    log = studio.log.read_text()
    assert log.count("before 'start' skipped") - logged_before <= 1, "one log line per connection at most"
    assert "no 'start' within 10 s" in log and "refused" in log

    async def then_a_real_caller() -> bool:  # every place was given back
        client = MediaStreamClient(url, token_parameter=TOKEN)
        await client.connect()
        deadline = time.monotonic() + 20
        while not _line(studio)["on_call"]:
            assert time.monotonic() < deadline and not client.closed.is_set(), client.close_reason
            await asyncio.sleep(0.1)
        await client.hang_up()
        return True

    assert asyncio.run(then_a_real_caller())


def test_guest_places_are_given_back() -> None:

    limit = GuestLimit(2)
    first, second, third = object(), object(), object()
    assert limit.take(first) and limit.take(second) and not limit.take(third)
    assert limit.refused_once() and not limit.take(third) and not limit.refused_once()
    limit.give_back(first)
    limit.give_back(first)  # twice: still one place
    assert limit.take(third) and not limit.take(object())


@pytest.mark.parametrize("how", ["stop", "drop"])
def test_a_caller_who_hangs_up_during_the_greeting_ends_the_call_quietly(studio: PhoneStudio, how: str) -> None:
    """The caller goes while the greeting is being sent (with Twilio's 'stop', or the socket just closing):
    the call ends without a traceback and the line is free; only the lost connection is a warning."""
    _wait_for_a_free_line(studio)  # a call an earlier test made may still be hanging up: we would hear "busy"
    log_before = len(studio.log.read_text())
    number = "+1555000333" + ("1" if how == "stop" else "2")

    async def drop() -> None:
        client = MediaStreamClient(studio.twilio_url, caller=number)
        await client.connect()
        deadline = time.monotonic() + 20
        # The greeting has begun to arrive. Not heard.audio: the playout logs a frame every 20 ms, silence
        # included, so under load the caller hung up before the call was even on air (state "ringing").
        while not any(peak for _, _, peak in client.playout.received.audio):
            assert time.monotonic() < deadline and not client.closed.is_set(), client.close_reason
            await asyncio.sleep(0.02)
        await (client.hang_up() if how == "stop" else client.close())

    asyncio.run(drop())
    ended = studio.wait_for("phone_call_ended", where=lambda e: e["caller"] == f"…{number[-4:]}")
    assert ended["state"] == "on_air", ended
    _wait_for_a_free_line(studio)
    time.sleep(1.0)  # anything the call's tasks would still log
    log = studio.log.read_text()[log_before:]
    assert "Traceback" not in log, log[-3000:]
    assert (f"call …{number[-4:]} ended after" in log) == (how == "drop"), "a lost connection is a warning"


def _wait_for_a_free_line(studio: PhoneStudio, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while _line(studio)["line"] != "free":
        assert time.monotonic() < deadline, _line(studio)
        time.sleep(0.1)


def test_a_caller_is_greeted_with_the_character_cards_first_message(studio: PhoneStudio) -> None:
    """The show sets no greeting of its own, so Duke says his card's first message, macros filled and the
    stage direction dropped, instead of the stock line."""

    def talk_turns() -> list[str]:
        return [e["text"] for e in studio.events("turn_ready") if e.get("source") == "talk"]

    async def call_until_greeted() -> None:
        client = MediaStreamClient(studio.twilio_url)
        async with connect(studio.twilio_url) as socket:
            for text in _start(client):
                await socket.send(text)
            deadline = time.monotonic() + 20
            while len(talk_turns()) <= talk_turns_before:
                assert time.monotonic() < deadline, "no greeting within 20 s"
                await asyncio.sleep(0.1)
            await socket.send(_stop(client))

    talk_turns_before = _talk_turns_settled(studio)
    asyncio.run(call_until_greeted())
    said = talk_turns()[talk_turns_before:]
    assert said and said[0].startswith("Evening, Caller!"), said
    assert not any("taps the mic" in text or "What's on your mind" in text for text in said), said
