"""Phone calls on real parts: a real `talkshow serve`, and local clients that speak Twilio Media Streams and
Asterisk AudioSocket exactly (talkshow.testing.phone_client), with speech made here in voices no character has.

What the caller hears is decoded back and listened to: it is speech (pocketsphinx hears the reply's
words in it) in the character's voice (its pitch is Duke's, not the caller's coming back). What airs
is decoded from the HLS segments the server published.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
import numpy as np
import pytest

from support.budgets import LATE_FRAMES_ALLOWED
from support.phone_calls import (
    DUKE_HZ,
    NAME_QUESTION,
    NUMBERS,
    QUESTION,
    REPLY_WITHIN_S,
    STOPPED_WITHIN_S,
    answered,
    call_status,
    caller_speech,
    heard_between,
    over_the_phone,
    reply_onset,
    talk_over_the_reply,
    wall_time,
)
from support.phone_studio import TOKEN, PhoneStudio
from support.serve import CHROMIUM
from support.spoken import pitch_hz, word_errors
from talkshow.config import default_cast
from talkshow.ears.pocketsphinx_stt import PocketsphinxSTT
from talkshow.telemetry.events import Telemetry
from talkshow.telemetry.schema import schema_errors
from talkshow.testing.phone_client import AudioSocketClient, MediaStreamClient
from talkshow.voice.service import SpeechService

# Slow, and it times the caller's platform (its buffer, its marks) in this process, against the show's
# clock: it runs in the pinned tier, where this worker, its platform and its show share a core no other
# test uses (two seeds of that tier, with both phone modules in it, were green in 180 s and 173 s).
pytestmark = [pytest.mark.slow, pytest.mark.solo]


def test_a_media_stream_caller_is_answered_on_air_in_the_characters_voice(studio: PhoneStudio) -> None:
    async def call() -> tuple[MediaStreamClient, float, float, float, dict[str, Any]]:
        client = MediaStreamClient(studio.twilio_url, caller=NUMBERS[0])
        await answered(client, studio)
        clip = caller_speech(NAME_QUESTION)
        sent = await client.speak(clip)
        onset = await reply_onset(client, sent, REPLY_WITHIN_S + 2)
        await client.wait_for_quiet(0.8, timeout=30)
        done = time.perf_counter() - 0.8
        status = call_status(studio)
        await client.hang_up()
        return client, sent - clip.voice_end / 48_000 + clip.voice_start / 48_000, sent, onset, status | {"done": done}

    client, spoke, sent, onset, status = asyncio.run(call())
    assert onset - sent < REPLY_WITHIN_S, f"reply {onset - sent:.2f} s after the caller stopped"
    assert (status["transport"], status["caller"], status["character"]) == ("twilio", "Caller …1234", "duke")
    # The default ears understood the question over the phone band, and the character answered it.
    asked, reply = status["history"][-2], status["history"][-1]
    assert asked["speaker"] == "caller" and word_errors(NAME_QUESTION, asked["text"])[0] <= 1, asked
    assert reply["speaker"] == "duke" and "Duke" in reply["text"], f"asked its name, it said {reply['text']!r}"

    # What the caller heard: speech with the reply's words in it, in Duke's voice (not their own coming back).
    heard = heard_between(client, onset - 0.05, status["done"])
    words = set(PocketsphinxSTT().transcribe(heard, 8_000).words)
    spoken = {w.strip(".,!?").lower() for w in reply["text"].split()}
    assert len(words & spoken) >= 3, (words, reply["text"])
    # The same reply said by Duke off air measured 81 Hz where the call heard 90 Hz once in CI (the
    # median moves with which 40 ms windows are voiced), so the check is Duke's band, not a ratio.
    assert DUKE_HZ[0] < pitch_hz(heard, 8_000) < DUKE_HZ[1], pitch_hz(heard, 8_000)  # the caller: ~246 Hz

    # The platform told talkshow what the caller heard: marks every 100 ms, echoed once played.
    ended = studio.wait_for("phone_call_ended", call=client.call_sid)
    assert ended["reason"] == "the caller hung up" and ended["state"] == "on_air"
    assert abs(ended["sent_marks_sent"] - ended["sent_frames_sent"] / 5) <= 1
    # The sender underruns when the show's audio reaches it late: 0-2 alone, 4 once beside another test
    # worker. A sender that lost its feed would underrun every few of this call's ~750 frames.
    assert ended["sent_marks_heard"] >= ended["sent_marks_sent"] - 3 and ended["sent_underruns"] <= 6, ended
    assert {m["event"] for m in client.received} == {"mark"}, "no clear: nobody talked over a reply"

    # It went out on air: the reply is in the broadcast, the caller's words captioned; their voice is not
    # (the operator did not switch it on).
    aired = wall_time(onset) - 0.3  # the caller hears the show ~0.1-0.3 s after it airs
    broadcast = studio.hls.audio(aired, aired + 1.5)
    assert len(broadcast) > 48_000 and np.sqrt(np.mean(broadcast.astype(float) ** 2)) > 1000, "the reply aired"
    while_asking = studio.hls.audio(wall_time(spoke) + 0.3, wall_time(sent) - 0.3)
    assert len(while_asking) > 16_000 and np.abs(while_asking).max() < 500, "the caller's voice stays off air"
    answering = wall_time(onset) + 2.0  # drawn once the words are known (maybe after an acknowledgement began)
    caption = np.abs(studio.hls.frame(answering)[5:59, 8:221] - studio.hls.frame(wall_time(spoke))[5:59, 8:221])
    assert caption.mean() > 20, "the caller's words are captioned on air"
    exchange = studio.events("talk_exchange")[-1]
    assert 0 < exchange["turn_end_ms"] <= exchange["on_air_ms"] <= exchange["first_packet_ms"], exchange


def test_talking_over_the_reply_clears_the_platform_and_keeps_only_what_the_caller_heard(
    studio: PhoneStudio,
) -> None:
    """The platform here buffers 400 ms (as a distant one might): the history is cut where its marks say."""

    async def call() -> tuple[MediaStreamClient, float, dict[str, Any]]:
        client = MediaStreamClient(studio.twilio_url, caller=NUMBERS[0], buffer_ms=400)
        await answered(client, studio)
        _, _, spoke = await talk_over_the_reply(client, "tell me about the car", "wait wait stop talking please")
        await asyncio.sleep(2.5)
        status = call_status(studio)
        await client.hang_up()
        return client, spoke, status

    client, spoke, status = asyncio.run(call())
    clears = [t for t in client.playout.clears if t > spoke - 0.1]
    assert clears and clears[0] - spoke < STOPPED_WITHIN_S, "the platform was told to drop what it held"
    silent = client.heard.silent_from(spoke, 0.3)
    assert silent is not None and silent - spoke < STOPPED_WITHIN_S, (silent or 0) - spoke
    cut = studio.events("barge_in")[-1]
    # The caller heard the show 400 ms (their buffer) plus up to a mark's 100 ms behind the air.
    assert 300 < cut["caller_behind_ms"] < 800, cut
    assert 0 < cut["heard_chars"] <= cut["aired_chars"], cut
    ended = studio.wait_for("phone_call_ended", call=client.call_sid)
    assert ended["sent_clears"] >= 1 and ended["sent_marks_sent"] - ended["sent_marks_heard"] >= 2, (
        "the marks the clear returned (400 ms of them) were not taken as heard"
    )
    replies = [h["text"] for h in status["history"] if h["speaker"] == "duke"]
    assert replies[1].endswith(" —") and len(replies[1].removesuffix(" —")) == cut["heard_chars"], replies


def test_keys_hand_the_caller_to_the_other_character_and_hang_up(studio: PhoneStudio) -> None:
    async def call() -> tuple[MediaStreamClient, float, dict[str, Any], str]:
        client = MediaStreamClient(studio.twilio_url, caller=NUMBERS[0])
        await answered(client, studio)
        pressed = time.perf_counter()
        await client.press("0")  # the dial plan's default: 0 hands over
        onset = await reply_onset(client, pressed, 5)
        await client.wait_for_quiet(0.6, timeout=20)
        heard = heard_between(client, onset, time.perf_counter() - 0.6)
        status = call_status(studio)
        await client.press("#")  # ... and # hangs up
        await asyncio.wait_for(client.closed.wait(), 5)
        return client, pitch_hz(heard, 8_000), status, client.close_reason

    client, pitch, status, closed = asyncio.run(call())
    assert status["character"] == "wendell" and status["history"][-1]["speaker"] == "wendell", status
    line, speech = status["history"][-1]["text"], SpeechService(48_000, None, Telemetry())
    duke, wendell = (pitch_hz(over_the_phone(speech.speak(m.voice, line).samples), 8_000) for m in default_cast())
    # Wendell's voice, not Duke's: above anything Duke measures over the phone, and well above this
    # line in Duke's voice. (Nearer Wendell's fresh take than Duke's failed once: heard 133 Hz, takes
    # 166 and 109 Hz; a fresh synthesis varies 10-20% in median F0, and Wendell's intonation is lively.)
    assert pitch > DUKE_HZ[1] and pitch > 1.15 * duke, (pitch, wendell, duke)
    ended = studio.wait_for("phone_call_ended", call=client.call_sid)
    assert ended["reason"] == "the caller pressed #" and "1000" in closed, (ended, closed)
    handed = studio.events("talk_handed_over")[-1]
    assert (handed["before"], handed["after"]) == ("duke", "wendell")
    assert [e["action"] for e in studio.events("phone_dtmf")][-2:] == ["handover", "hangup"]


def test_a_second_caller_holds_a_third_hears_busy_and_the_line_passes_on(studio: PhoneStudio) -> None:
    async def calls() -> tuple[AudioSocketClient, MediaStreamClient, dict[str, Any], dict[str, Any], float, list[str]]:
        first = MediaStreamClient(studio.twilio_url, caller=NUMBERS[0])
        await answered(first, studio)
        second = AudioSocketClient("127.0.0.1", studio.audiosocket_port, caller_digits=NUMBERS[1][2:])
        await second.connect()
        await reply_onset(second, 0.0, 10)  # the hold message
        third = MediaStreamClient(studio.twilio_url, caller=NUMBERS[2])  # max_queue = 1: busy
        await third.connect()
        await asyncio.wait_for(third.closed.wait(), 15)
        board = httpx.get(studio.base + "/api/phone").json()
        listed = await _hang_up_from_the_studio_page(studio, first)
        handed_at = time.perf_counter()
        await reply_onset(second, handed_at, 10)  # the greeting, now on air
        status = call_status(studio)
        await second.hang_up()
        return second, third, board, status, handed_at, listed

    second, third, board, status, handed_at, listed = asyncio.run(calls())
    if listed:  # Chromium is there: the page listed both callers and its button hung the first one up
        assert listed[0].startswith("Caller …1234 with duke (twilio") and listed[1].startswith("Caller …2222 holding")
        ended = studio.wait_for(
            "phone_call_ended", where=lambda e: e["caller"] == "…1234" and "operator" in e["reason"]
        )
        assert ended["state"] == "on_air"
    states = {c["caller"]: c["state"] for c in board["calls"]}
    assert states == {"Caller …1234": "on_air", "Caller …2222": "holding"}, board
    assert [w["caller"] for w in board["waiting"]] == ["Caller …2222"]
    busy = third.playout.samples()
    assert np.abs(busy).max() > 5000 and len(busy) > 8_000 * 2, "the third caller heard the busy message"
    assert studio.wait_for("phone_call_ended", call=third.call_sid)["reason"] == "the line was busy"
    assert status["on_call"] and status["caller"] == "Caller …2222" and status["transport"] == "audiosocket"
    held = heard_between(second, 0.0, handed_at)
    assert np.abs(held).max() > 5000, "the second caller heard the hold message while waiting"


async def _hang_up_from_the_studio_page(studio: PhoneStudio, caller: MediaStreamClient) -> list[str]:
    """The operator, in headless Chromium, hangs up the caller on air; returns what the page listed.

    Without Chromium the caller hangs up instead (and nothing is listed)."""
    if CHROMIUM is None:
        await caller.hang_up()
        return []
    from playwright.async_api import async_playwright

    flags = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=flags)
        try:
            page = await browser.new_page()
            await page.goto(studio.base + "/")
            await page.wait_for_selector("#line li:has-text('holding')", timeout=15_000)
            listed = await page.eval_on_selector_all("#line li span", "items => items.map(i => i.textContent)")
            await page.click("#line li:first-child button")
            await asyncio.wait_for(caller.closed.wait(), 10)
        finally:
            await browser.close()
    await caller.close()
    return list(listed)


def test_bad_input_and_dropped_lines_are_named_and_the_stream_never_stalls(studio: PhoneStudio) -> None:
    started = max([e["t_ms"] for e in studio.events("frame")], default=0.0)

    async def faults() -> dict[str, str]:
        closes: dict[str, str] = {}
        from websockets.asyncio.client import connect
        from websockets.exceptions import InvalidStatus

        try:  # refused at the handshake, before any audio
            async with connect(f"{studio.ws}/api/phone/twilio/wrong-secret"):
                pass
        except InvalidStatus as refused:
            closes["wrong token"] = str(refused.response.status_code)
        untokened = MediaStreamClient(f"{studio.ws}/api/phone/twilio", caller=NUMBERS[0])  # no token at all
        await untokened.connect()
        await asyncio.wait_for(untokened.closed.wait(), 5)
        closes["no token"] = untokened.close_reason
        wrong = MediaStreamClient(studio.twilio_url, media_format={"encoding": "audio/l16", "sampleRate": 16000})
        await wrong.connect()
        await asyncio.wait_for(wrong.closed.wait(), 5)
        closes["format"] = wrong.close_reason

        # Garbage among good messages: each skipped with a log line; the call goes on (and is greeted).
        client = MediaStreamClient(f"{studio.ws}/api/phone/twilio", caller=NUMBERS[0], token_parameter=TOKEN)
        await client.connect()
        for junk in ("not json", '{"event": "hello"}', '{"event": "media", "media": {"payload": "***"}}'):
            await client.send(junk)
        await reply_onset(client, 0.0, 15)
        await client.wait_for_quiet(0.6, timeout=20)
        await client.hang_up()

        # AudioSocket: unknown kinds, 16 kHz audio and an oversized frame are skipped; a flood is cut to real time.
        caller = AudioSocketClient("127.0.0.1", studio.audiosocket_port, caller_digits=NUMBERS[1][2:])
        await caller.connect()
        await caller.send(b"\x42\x00\x02hi" + b"\x12\x01\x40" + bytes(320) + b"\x10\x27\x10" + bytes(10_000))
        flood = b"".join(b"\x10\x01\x40" + bytes(320) for _ in range(50))  # 1 s of audio at once, 15 times
        for _ in range(15):
            await caller.send(flood)
            await asyncio.sleep(0.1)
        await reply_onset(caller, 0.0, 15)  # still greeted
        # A reset mid-reply (TCP RST): the call ends, the line frees, the show resumes.
        await caller.wait_for_quiet(0.6, timeout=20)
        sent = await caller.speak(caller_speech(QUESTION, seed=5))
        await reply_onset(caller, sent, REPLY_WITHIN_S + 2)
        await caller.close(reset=True)

        # A bridge that stops sending and never says 'stop': hung up after silence_timeout_s (3 s).
        silent = MediaStreamClient(studio.twilio_url, caller=NUMBERS[2])
        await silent.connect()
        await asyncio.sleep(1.0)
        silent.stop_sending()  # its audio stops; the socket stays open
        await asyncio.wait_for(silent.closed.wait(), 10)
        closes["silent"] = silent.close_reason
        return closes

    closes = asyncio.run(faults())
    assert closes["wrong token"] == "403" and closes["no token"].startswith("closed 1008"), closes
    assert closes["format"].startswith("closed 1003") and "not supported" in closes["format"], closes
    dropped = ("lost", "without a hangup")  # a reset is read as one or the other, by timing
    reset = studio.wait_for(
        "phone_call_ended",
        where=lambda e: e["call"].endswith(NUMBERS[1][-4:]) and any(word in e["reason"] for word in dropped),
    )
    assert reset["flood_dropped"] > 100 and reset["state"] == "on_air", reset
    studio.wait_for("phone_call_ended", where=lambda e: "no audio from the bridge for 3 s" in e["reason"])
    log = studio.log.read_text()
    for line in ("wrong phone token", "not supported", "bad message", "unknown AudioSocket message kind 0x42",
                 "16000 Hz", "over the 8000-byte limit", "faster than real time", "call …2222 ended after",
                 "no audio from the bridge"):  # fmt: skip
        assert line in log, f"no log line says {line!r}"
    late = [e for e in studio.events("frame_late") if e["t_ms"] > started]
    frames = [e for e in studio.events("frame") if e["t_ms"] > started]
    assert len(frames) > 30 * 10 and len(late) <= LATE_FRAMES_ALLOWED, f"{len(late)} late frames of {len(frames)}"
    assert not call_status(studio)["on_call"] and httpx.get(studio.base + "/healthz").json()["ok"]


def test_no_caller_number_is_ever_written_in_full_and_the_trace_keeps_its_schema(studio: PhoneStudio) -> None:
    async def calls() -> None:  # its own calls on both transports: tests run in any order
        for client in (
            MediaStreamClient(studio.twilio_url, caller=NUMBERS[0]),
            AudioSocketClient("127.0.0.1", studio.audiosocket_port, caller_digits=NUMBERS[1][2:]),
        ):
            await answered(client, studio)
            await client.hang_up()
            while call_status(studio)["on_call"]:  # the next call finds the line free
                await asyncio.sleep(0.1)

    asyncio.run(calls())
    assert not [problem for event in studio.events() for problem in schema_errors(event)]
    # Every string the trace holds, and the log (a wall-clock stamp like 1795596634.0002222 is a number that
    # happened to end in a caller's digits once: numbers are not where a phone number would be written).
    texts = [str(v) for event in studio.events() for v in event.values() if isinstance(v, str)]
    written = studio.log.read_text() + "\n".join(texts)
    assert studio.events("phone_call"), "calls were made in this module"
    for number in NUMBERS:
        assert number[2:] not in written and number[-7:] not in written, number
    assert {e["caller"] for e in studio.events("phone_call")} >= {"…1234", "…2222"}, "named by their last 4 digits"


def test_a_caller_s_question_of_fact_a_follow_up_and_a_sum_are_answered_with_the_facts(studio: PhoneStudio) -> None:
    """Issue 18-knows: over the phone band, the knowledge stage answers a capital, then a follow-up about
    "there" (the turn before names the country), then a sum, each on air in Duke's words.

    Over 8 kHz G.711 the ears mishear espeak's speech often ("what is ten times ten" came out "what is pen
    time pen"; a live call lost the last word of "what is six times seven" in 2 runs of 4). So the capital,
    which they heard in every run, must be answered; the follow-up and the sum must be answered whenever
    they were heard right (a word may differ), and a wrong answer to words heard right fails. The WebRTC
    test asks all three and requires all three (tests/talk/test_talk.py); issue 19-tutor-ears is the ears.
    """
    asked = ("what is the capital of japan", "and what language do they speak there", "what is six times seven")
    facts = ("Tokyo", "Japanese", "forty-two")

    async def call() -> dict[str, Any]:
        client = MediaStreamClient(studio.twilio_url, caller=NUMBERS[0])
        await answered(client, studio)
        for question in asked:
            sent = await client.speak(caller_speech(question, 1))
            await reply_onset(client, sent, REPLY_WITHIN_S + 2)
            await client.wait_for_quiet(0.8, timeout=30)
        status = call_status(studio)
        await client.hang_up()
        return status

    history = asyncio.run(call())["history"]
    # Each caller line with the reply that followed it (the ears may split a question in two: each part is
    # answered on its own).
    answered_after = [
        (line["text"], history[i + 1]["text"])
        for i, line in enumerate(history[:-1])
        if line["speaker"] == "caller" and history[i + 1]["speaker"] == "duke"
    ]
    assert any(facts[0] in reply for _, reply in answered_after), history
    for question, fact in zip(asked, facts, strict=True):
        for said, reply in answered_after:
            if word_errors(question, said)[0] <= 1:
                assert fact.lower() in reply.lower(), (question, said, reply)
