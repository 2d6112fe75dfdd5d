"""Phone calls on real parts: a real `talkshow serve`, and local clients that speak Twilio Media Streams and
Asterisk AudioSocket exactly (talkshow.testing.phone_client), with speech made here in voices no character has.

What the caller hears is decoded back and listened to: it is speech (pocketsphinx hears the reply's
words in it) in the character's voice (its pitch is Duke's, not the caller's coming back). What airs
is decoded from the HLS segments the server published.
"""

from __future__ import annotations

import asyncio
import shutil
import time
from asyncio.subprocess import DEVNULL
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import av
import httpx
import numpy as np
import pytest

from support.budgets import LATE_FRAMES_ALLOWED
from support.phone_studio import TOKEN, PhoneStudio
from support.serve import CHROMIUM
from support.sip_bridge import SipBridge
from support.spoken import SPEAKERS, pitch_hz, utterance, word_errors
from talkshow.audio import resample, wav_bytes
from talkshow.config import default_cast
from talkshow.ears.pocketsphinx_stt import PocketsphinxSTT
from talkshow.phone.audio import PhoneAudio
from talkshow.telemetry.events import Telemetry
from talkshow.telemetry.schema import schema_errors
from talkshow.testing.phone_client import AudioSocketClient, MediaStreamClient
from talkshow.testing.talk_client import CallerClip
from talkshow.voice.service import SpeechService

pytestmark = pytest.mark.slow  # a whole server, a browser or minutes of air: make test

BARESIP = shutil.which("baresip")
REPLY_WITHIN_S = 3.0  # the benchmark's target is 0.9 s median; a test on 2 shared cores gets margin
STOPPED_WITHIN_S = 0.5  # barge-in: the benchmark's target is 0.2 s (measured 0.06 s Media Streams, 0.16 s AudioSocket)
NUMBERS = ("+15551231234", "+15550002222", "+15557778888")  # never to be logged in full
QUESTION = "what do you think about the moon"
NAME_QUESTION = "what is your name"

PHONE = """
busy = "queue"
max_queue = 1
max_wait_s = 30
silence_timeout_s = 3
"""


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PhoneStudio]:
    running = PhoneStudio(tmp_path_factory.mktemp("phone"), PHONE)
    yield running
    running.close()


# Duke's median pitch over any 1.3 s of his lines, over the phone: 71-108 Hz (near 90 Hz on
# whole lines); the caller asking speaks near 242 Hz. The bounds leave a margin both sides.
DUKE_HZ = (65.0, 125.0)


def _speech(text: str, speaker: int = 0, seed: int = 0) -> CallerClip:
    """``text`` in a test voice (speaker 0 speaks near 246 Hz; Duke near 90), room noise 20 dB down, 48 kHz."""
    return CallerClip.in_noise(resample(utterance(text, SPEAKERS[speaker]), 16_000, 48_000), 20.0, seed=seed)


def _wall(perf: float) -> float:
    return time.time() - (time.perf_counter() - perf)


async def _onset(client: MediaStreamClient | AudioSocketClient, after: float, timeout: float) -> float:
    """When the caller began to hear sound after ``after`` (perf_counter)."""
    deadline = time.perf_counter() + timeout
    while (onset := client.heard.audio_onset_after(after, 2000)) is None:
        assert time.perf_counter() < deadline and not client.closed.is_set(), f"nothing heard ({client.close_reason})"
        await asyncio.sleep(0.02)
    return onset


async def _answered(client: MediaStreamClient | AudioSocketClient, studio: PhoneStudio) -> None:
    """Connected, greeted, and the greeting over.

    Until the greeting, the caller hears the show (its line on air ends first), so a pause in the
    show is not the greeting's end: the studio says when the call's own turns have gone off air.
    """
    seen = len(studio.events("turn_aired", "turn_off_air"))
    await client.connect()
    deadline = time.perf_counter() + 30
    while True:
        await client.wait_for_quiet(0.6, timeout=20)
        events = studio.events("turn_aired", "turn_off_air")[seen:]
        greeting = {e["turn"] for e in events if e["kind"] == "turn_aired" and e["source"] == "talk"}
        if greeting and greeting <= {e["turn"] for e in events if e["kind"] == "turn_off_air"}:
            return
        assert time.perf_counter() < deadline and not client.closed.is_set(), f"no greeting ({client.close_reason})"
        await asyncio.sleep(0.05)


async def _talk_over_the_reply(
    client: MediaStreamClient | AudioSocketClient, question: str, interruption: str
) -> tuple[float, float, float]:
    """Ask, and a second into the reply speak over it: when the question ended, the reply began, and the caller
    began to talk over it (perf_counter)."""
    sent = await client.speak(_speech(question, seed=len(question)))
    onset = await _onset(client, sent, REPLY_WITHIN_S + 2)
    await asyncio.sleep(max(0.0, onset + 1.2 - time.perf_counter()))
    started: asyncio.Future[float] = asyncio.get_running_loop().create_future()
    client.speak(_speech(interruption, 1, seed=len(interruption)), started)
    return sent, onset, await started


def _played(client: MediaStreamClient | AudioSocketClient, start: float, end: float) -> np.ndarray:
    """The 8 kHz audio the caller heard between two perf_counter times."""
    frames = [f for (t, _, _), f in zip(client.heard.audio, client.playout.played, strict=True) if start <= t < end]
    return np.concatenate(frames) if frames else np.zeros(0, np.int16)


def _over_the_phone(samples_48k: np.ndarray) -> np.ndarray:
    out, back = PhoneAudio("mulaw"), PhoneAudio("mulaw", show_rate=8_000)
    return np.concatenate([back.decode(f) for f in out.encode(samples_48k)])


def _call_status(studio: PhoneStudio) -> dict[str, Any]:
    return dict(httpx.get(studio.base + "/api/rtc/call").json())


def test_a_media_stream_caller_is_answered_on_air_in_the_characters_voice(studio: PhoneStudio) -> None:
    async def call() -> tuple[MediaStreamClient, float, float, float, dict[str, Any]]:
        client = MediaStreamClient(studio.twilio_url, caller=NUMBERS[0])
        await _answered(client, studio)
        clip = _speech(NAME_QUESTION)
        sent = await client.speak(clip)
        onset = await _onset(client, sent, REPLY_WITHIN_S + 2)
        await client.wait_for_quiet(0.8, timeout=30)
        done = time.perf_counter() - 0.8
        status = _call_status(studio)
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
    heard = _played(client, onset - 0.05, status["done"])
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
    aired = _wall(onset) - 0.3  # the caller hears the show ~0.1-0.3 s after it airs
    broadcast = studio.hls.audio(aired, aired + 1.5)
    assert len(broadcast) > 48_000 and np.sqrt(np.mean(broadcast.astype(float) ** 2)) > 1000, "the reply aired"
    while_asking = studio.hls.audio(_wall(spoke) + 0.3, _wall(sent) - 0.3)
    assert len(while_asking) > 16_000 and np.abs(while_asking).max() < 500, "the caller's voice stays off air"
    answering = _wall(onset) + 2.0  # drawn once the words are known (maybe after an acknowledgement began)
    caption = np.abs(studio.hls.frame(answering)[5:59, 8:221] - studio.hls.frame(_wall(spoke))[5:59, 8:221])
    assert caption.mean() > 20, "the caller's words are captioned on air"
    exchange = studio.events("talk_exchange")[-1]
    assert 0 < exchange["turn_end_ms"] <= exchange["on_air_ms"] <= exchange["first_packet_ms"], exchange


def test_talking_over_the_reply_clears_the_platform_and_keeps_only_what_the_caller_heard(
    studio: PhoneStudio,
) -> None:
    """The platform here buffers 400 ms (as a distant one might): the history is cut where its marks say."""

    async def call() -> tuple[MediaStreamClient, float, dict[str, Any]]:
        client = MediaStreamClient(studio.twilio_url, caller=NUMBERS[0], buffer_ms=400)
        await _answered(client, studio)
        _, _, spoke = await _talk_over_the_reply(client, "tell me about the car", "wait wait stop talking please")
        await asyncio.sleep(2.5)
        status = _call_status(studio)
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


def test_an_audiosocket_caller_is_answered_and_speaking_over_the_reply_stops_it(studio: PhoneStudio) -> None:
    async def call() -> tuple[AudioSocketClient, float, float, float, dict[str, Any]]:
        client = AudioSocketClient("127.0.0.1", studio.audiosocket_port, caller_digits=NUMBERS[1][2:])
        await _answered(client, studio)
        sent, onset, spoke = await _talk_over_the_reply(client, QUESTION, "no no listen to me")
        await asyncio.sleep(2.0)
        status = _call_status(studio)
        await client.hang_up()
        return client, sent, onset, spoke, status

    client, sent, onset, spoke, status = asyncio.run(call())
    assert onset - sent < REPLY_WITHIN_S
    assert (status["transport"], status["caller"]) == ("audiosocket", "Caller …2222")
    heard = _played(client, onset, spoke)
    assert len(heard) > 4_000 and DUKE_HZ[0] < pitch_hz(heard, 8_000) < DUKE_HZ[1], "Duke's voice, not the caller's"
    silent = client.heard.silent_from(spoke, 0.3)
    assert silent is not None and silent - spoke < STOPPED_WITHIN_S, (silent or 0) - spoke
    replies = [h["text"] for h in status["history"] if h["speaker"] == "duke"]
    assert replies[1].endswith(" —"), replies
    assert studio.events("barge_in")[-1]["caller_behind_ms"] < 200, "AudioSocket: heard is what was sent"


def test_keys_hand_the_caller_to_the_other_character_and_hang_up(studio: PhoneStudio) -> None:
    async def call() -> tuple[MediaStreamClient, float, dict[str, Any], str]:
        client = MediaStreamClient(studio.twilio_url, caller=NUMBERS[0])
        await _answered(client, studio)
        pressed = time.perf_counter()
        await client.press("0")  # the dial plan's default: 0 hands over
        onset = await _onset(client, pressed, 5)
        await client.wait_for_quiet(0.6, timeout=20)
        heard = _played(client, onset, time.perf_counter() - 0.6)
        status = _call_status(studio)
        await client.press("#")  # ... and # hangs up
        await asyncio.wait_for(client.closed.wait(), 5)
        return client, pitch_hz(heard, 8_000), status, client.close_reason

    client, pitch, status, closed = asyncio.run(call())
    assert status["character"] == "wendell" and status["history"][-1]["speaker"] == "wendell", status
    line, speech = status["history"][-1]["text"], SpeechService(48_000, None, Telemetry())
    duke, wendell = (pitch_hz(_over_the_phone(speech.speak(m.voice, line).samples), 8_000) for m in default_cast())
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
        await _answered(first, studio)
        second = AudioSocketClient("127.0.0.1", studio.audiosocket_port, caller_digits=NUMBERS[1][2:])
        await second.connect()
        await _onset(second, 0.0, 10)  # the hold message
        third = MediaStreamClient(studio.twilio_url, caller=NUMBERS[2])  # max_queue = 1: busy
        await third.connect()
        await asyncio.wait_for(third.closed.wait(), 15)
        board = httpx.get(studio.base + "/api/phone").json()
        listed = await _hang_up_from_the_studio_page(studio, first)
        handed_at = time.perf_counter()
        await _onset(second, handed_at, 10)  # the greeting, now on air
        status = _call_status(studio)
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
    held = _played(second, 0.0, handed_at)
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
        await _onset(client, 0.0, 15)
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
        await _onset(caller, 0.0, 15)  # still greeted
        # A reset mid-reply (TCP RST): the call ends, the line frees, the show resumes.
        await caller.wait_for_quiet(0.6, timeout=20)
        sent = await caller.speak(_speech(QUESTION, seed=5))
        await _onset(caller, sent, REPLY_WITHIN_S + 2)
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
    assert not _call_status(studio)["on_call"] and httpx.get(studio.base + "/healthz").json()["ok"]


def test_no_caller_number_is_ever_written_in_full_and_the_trace_keeps_its_schema(studio: PhoneStudio) -> None:
    async def calls() -> None:  # its own calls on both transports: tests run in any order
        for client in (
            MediaStreamClient(studio.twilio_url, caller=NUMBERS[0]),
            AudioSocketClient("127.0.0.1", studio.audiosocket_port, caller_digits=NUMBERS[1][2:]),
        ):
            await _answered(client, studio)
            await client.hang_up()
            while _call_status(studio)["on_call"]:  # the next call finds the line free
                await asyncio.sleep(0.1)

    asyncio.run(calls())
    assert not [problem for event in studio.events() for problem in schema_errors(event)]
    written = studio.log.read_text() + studio.trace.read_text()
    assert studio.events("phone_call"), "calls were made in this module"
    for number in NUMBERS:
        assert number[2:] not in written and number[-7:] not in written, number
    assert {e["caller"] for e in studio.events("phone_call")} >= {"…1234", "…2222"}, "named by their last 4 digits"


BARESIP_CONFIG = """sip_listen 127.0.0.1:{port}
sip_transports udp
audio_player aubridge,nowhere
audio_alert aubridge,nowhere
audio_source aufile,{wav}
module_path /usr/lib/baresip/modules
module g711.so
module aufile.so
module aubridge.so
module sndfile.so
snd_path {dumps}
module_app account.so
module_app menu.so
"""


@pytest.mark.skipif(BARESIP is None, reason="needs Debian's baresip-core (.ci/run installs it)")
def test_a_real_sip_call_from_baresip_through_an_audiosocket_bridge_airs(studio: PhoneStudio, tmp_path: Path) -> None:
    """baresip, a real SIP user agent, places the call; a SIP-to-AudioSocket bridge (what Asterisk's dial plan
    does) carries its RTP to talkshow. baresip's microphone is a WAV file: 6 s of quiet (the greeting), the
    question, quiet for the answer; at its end baresip hangs up (BYE)."""
    question = resample(utterance(QUESTION, SPEAKERS[0]), 16_000, 8_000)
    wav, dumps = tmp_path / "caller.wav", tmp_path / "dumps"
    quiet = np.zeros(8_000, np.int16)
    wav.write_bytes(wav_bytes(np.concatenate([*[quiet] * 6, question, *[quiet] * 5]), 8_000))
    dumps.mkdir()
    (tmp_path / "config").write_text(BARESIP_CONFIG.format(port=free_udp_port(), wav=wav, dumps=dumps))
    (tmp_path / "accounts").write_text("<sip:tester@127.0.0.1>;regint=0;audio_codecs=PCMU\n")

    async def call() -> SipBridge:
        bridge = SipBridge(("127.0.0.1", studio.audiosocket_port), caller_digits="5559876543")
        await bridge.start()
        dial = f"/dial sip:talkshow@127.0.0.1:{bridge.sip_port}"
        command = [str(BARESIP), "-f", str(tmp_path), "-e", dial, "-t", "40"]
        with (tmp_path / "baresip.log").open("wb") as log:
            agent = await asyncio.create_subprocess_exec(*command, stdout=log, stderr=log, stdin=DEVNULL)
            try:
                await asyncio.wait_for(bridge.ended.wait(), 40)  # its BYE, at the end of its WAV file
            finally:
                agent.terminate()  # baresip itself would stay up until -t
                await agent.wait()
        await bridge.close()
        return bridge

    bridge = asyncio.run(call())
    assert [line.split()[0] for line in bridge.log] == ["INVITE", "ACK", "BYE"], bridge.log
    assert bridge.rtp_in > 500 and bridge.rtp_out > 500, (bridge.rtp_in, bridge.rtp_out)
    ended = studio.wait_for("phone_call_ended", where=lambda e: e["caller"] == "…6543")
    assert ended["reason"] == "the caller hung up" and ended["state"] == "on_air", ended  # baresip's BYE
    exchange = studio.wait_for("talk_exchange", session=ended["call"])
    assert exchange["first_packet_ms"] > 0, exchange
    # What baresip heard, decoded from PCMU by baresip itself: the greeting, quiet while it asked, then the reply.
    received = next(dumps.glob("*-dec.wav"))
    with av.open(str(received), "r") as container:
        heard = np.concatenate([f.to_ndarray().reshape(-1) for f in container.decode(audio=0)])
    rate = 8_000
    assert np.abs(heard[: 3 * rate]).max() > 5000, "the greeting"
    asked_at = (48_000 + len(question)) / rate  # seconds into the call when the question ended
    reply = heard[int((asked_at + 0.4) * rate) : int((asked_at + 4.0) * rate)]
    assert np.abs(reply).max() > 5000, "a reply"
    assert DUKE_HZ[0] < pitch_hz(reply, rate) < DUKE_HZ[1], "Duke answered the SIP caller"


def free_udp_port() -> int:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_busy_message_time_limit_goodbye_hidden_caller_id_and_a_taken_audiosocket_port(tmp_path: Path) -> None:
    phone = 'busy = "message"\nmax_call_s = 10\ncaller_id = "hidden"\ngoodbye = "Time is up. Goodbye now!"\n'
    running = PhoneStudio(tmp_path, phone, audiosocket_taken=True)
    try:
        # Its port taken at start, the AudioSocket listener is a part restarting; the show runs regardless.
        part = running.part("audiosocket")
        assert part["state"] == "restarting" and "cannot listen" in part["error"], part
        running.free_audiosocket()
        deadline = time.monotonic() + 10
        while running.part("audiosocket")["state"] != "running":
            assert time.monotonic() < deadline, running.part("audiosocket")
            time.sleep(0.2)

        async def calls() -> tuple[MediaStreamClient, AudioSocketClient, dict[str, Any], float]:
            first = MediaStreamClient(running.twilio_url, caller=NUMBERS[0])
            await _answered(first, running)
            status = _call_status(running)
            second = AudioSocketClient("127.0.0.1", running.audiosocket_port, caller_digits=NUMBERS[1][2:])
            await second.connect()
            await asyncio.wait_for(second.closed.wait(), 15)
            await asyncio.wait_for(first.closed.wait(), 25)  # the call's 10 s limit, then the goodbye airs
            return first, second, status, time.perf_counter()

        first, second, status, closed_at = asyncio.run(calls())
        assert status["caller"] == "Caller" and status["on_call"], "caller_id = hidden: no digits on air"
        assert second.hangup_received and np.abs(second.playout.samples()).max() > 5000, "busy message, then hang-up"
        ended = running.wait_for("phone_call_ended", call=first.call_sid)
        assert ended["reason"] == "the call reached its 10 s limit" and 10 < ended["seconds"] < 25, ended
        goodbye = [e for e in running.events("turn_ready") if e.get("source") == "talk"][-1]
        assert "Goodbye now" in goodbye["text"], goodbye
        tail = _played(first, closed_at - 3.0, closed_at)
        assert np.abs(tail).max() > 5000, "the caller heard the goodbye before the line closed"
    finally:
        running.close()
