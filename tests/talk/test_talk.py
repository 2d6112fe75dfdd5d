"""Talk mode end to end: a real `talkshow serve`, real aiortc peers, speech made here in voices no character has."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest
from aiortc import RTCPeerConnection, RTCSessionDescription

from support.chat_server import ScriptedChat
from support.paths import SHOWS
from support.serve import (
    CHROMIUM,
    TalkStudio,
    call_from_the_talk_page,
    fake_microphone,
    headless_page,
    start_talk_studio,
)
from support.spoken import SPEAKERS, noisy, utterance
from talkshow.audio import resample
from talkshow.talk.conversation import ACK_GRACE_S
from talkshow.testing.talk_client import CallerClip, Heard, TalkClient, loud_span
from talkshow.writer.answers import DEFLECTIONS, FALLBACK_LINES, SAY_AGAIN

# Slow, and it times the show against the clock (late frames, reply and barge-in times): it runs alone.
pytestmark = [pytest.mark.slow, pytest.mark.solo]

REPLY_WITHIN_S = 3.0  # the benchmark's target is 0.8 s median; a test on 2 shared cores gets margin


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory, shows_dir: Path) -> Iterator[TalkStudio]:
    running = start_talk_studio(tmp_path_factory.mktemp("talk"), (shows_dir / "lambo.toml").read_text())
    with running.served:
        yield running


@pytest.fixture(scope="module")
def shows_dir() -> Path:
    return SHOWS


def _speech(text: str, speaker: int) -> CallerClip:
    """``text`` in a test voice, with room noise 20 dB down, at 48 kHz (what a microphone track carries)."""
    return CallerClip.in_noise(resample(utterance(text, SPEAKERS[speaker]), 16_000, 48_000), 20.0, seed=len(text))


async def _caller_on_air(base: str, keep_video: bool = False) -> TalkClient:
    """A caller connected to the show, once the show is on their screen and quiet (no line on air)."""
    client = TalkClient(base, keep_video=keep_video)
    assert await client.connect() == 201
    await client.wait_for_show()
    await client.wait_for_quiet(0.6, timeout=40)
    return client


async def _wait_for_reply(client: TalkClient, sent_at: float, timeout: float) -> float:
    deadline = time.perf_counter() + timeout
    while (onset := client.heard.audio_onset_after(sent_at)) is None:
        assert time.perf_counter() < deadline, "no reply audio arrived"
        await asyncio.sleep(0.02)
    return onset


def test_a_webrtc_viewer_gets_the_shows_h264_and_opus_without_an_encode_of_its_own(studio: TalkStudio) -> None:
    async def watch() -> tuple[list[Any], list[Any], str]:
        pc = RTCPeerConnection()
        pc.addTransceiver("video", direction="recvonly")
        pc.addTransceiver("audio", direction="recvonly")
        frames: dict[str, list[Any]] = {"video": [], "audio": []}
        readers: list[asyncio.Future[None]] = []

        @pc.on("track")
        def on_track(track: Any) -> None:
            async def read() -> None:
                while True:
                    frames[track.kind].append(await track.recv())

            readers.append(asyncio.ensure_future(read()))

        await pc.setLocalDescription(await pc.createOffer())
        async with httpx.AsyncClient() as http:
            reply = await http.post(
                studio.base + "/api/rtc/watch",
                content=pc.localDescription.sdp,
                headers={"Content-Type": "application/sdp"},
            )
        assert reply.status_code == 201, reply.text
        await pc.setRemoteDescription(RTCSessionDescription(reply.text, "answer"))
        await asyncio.sleep(4)
        await pc.close()
        async with httpx.AsyncClient() as http:
            assert (await http.delete(studio.base + reply.headers["location"])).status_code == 404  # already ended
        return frames["video"], frames["audio"], reply.text

    video, audio, answer = asyncio.run(watch())
    assert "H264/90000" in answer and "VP8" not in answer and "opus/48000" in answer and "PCMU" not in answer
    assert len(video) >= 60, f"{len(video)} frames decoded in 4 s"  # from the first keyframe on (≤ 1 s wait)
    assert {(f.width, f.height) for f in video} == {(640, 360)}
    steps = np.diff([f.pts for f in video])
    assert np.median(steps) == 3000, "video timestamps are the show clock's frames (90 kHz / 30)"
    assert len(audio) >= 150 and {f.sample_rate for f in audio} == {48_000}


def test_a_caller_is_answered_on_air_a_second_is_refused_and_the_show_resumes(studio: TalkStudio) -> None:
    async def call() -> tuple[float, float, dict[str, Any], int, str, float]:
        client = await _caller_on_air(studio.base, keep_video=True)
        second = TalkClient(studio.base)
        refused = await second.connect()
        sent_at = await client.speak(_speech(QUESTION, 1))
        onset = await _wait_for_reply(client, sent_at, REPLY_WITHIN_S + 2)
        await asyncio.sleep(3.0)
        async with httpx.AsyncClient() as http:
            status: dict[str, Any] = (await http.get(studio.base + "/api/rtc/call")).json()
        await client.close()
        # The caller's caption card (top left: 8..221 x 5..59 at 640x360) is on screen during the answer (it
        # is drawn once the words are known, which may be after an acknowledgement began).
        before = [g[5:59, 8:221] for t, _, g in client.heard.video if t < sent_at - 0.5]
        during = [g[5:59, 8:221] for t, _, g in client.heard.video if onset + 1.5 < t < onset + 2.8]
        change = float(np.abs(during[-1].astype(int) - before[-1].astype(int)).mean())
        return sent_at, onset, status, refused, client.character, change

    sent_at, onset, status, refused, character, caption_change = asyncio.run(call())
    assert caption_change > 20, f"the caller's words are captioned on air (mean change {caption_change:.1f})"
    assert refused == 409, "one caller at a time"
    assert onset - sent_at < REPLY_WITHIN_S, f"reply audio {onset - sent_at:.2f} s after the caller stopped"
    assert status["on_call"] and status["character"] == character == "duke"
    caller, reply = status["history"][0], status["history"][1]
    said = [word.strip(".,?!").lower() for word in caller["text"].split()]
    assert caller["speaker"] == "caller" and {"moon", "think"} & set(said), caller
    assert reply["speaker"] == "duke" and said[-1] in reply["text"].lower(), "it heard the caller"
    exchange = studio.events("talk_exchange")[-1]
    # The text and the reply's first audio may be ready before the turn end is decided (made at the
    # caller's pause, on speculation), but nothing airs before it. If the turn ended before the text was
    # ready, the reply opened with an acknowledgement, and the answer proper followed the text.
    assert 0 < exchange["first_sentence_ms"] <= exchange["first_audio_ms"], exchange
    assert 0 < exchange["stt_final_ms"] <= exchange["answer_audio_ms"] and exchange["answer_on_air_ms"] > 0, exchange
    # The reply acknowledges only when the words came later than a short grace after the turn's end (it waits
    # ACK_GRACE_S for them, from the moment it starts: a little after the turn end, hence the margin).
    late_ms = exchange["stt_final_ms"] - exchange["turn_end_ms"]
    grace_ms, margin_ms = ACK_GRACE_S * 1000, 150
    assert late_ms > grace_ms - margin_ms if exchange["acknowledged"] else late_ms < grace_ms + margin_ms, exchange
    assert 0 < exchange["turn_end_ms"] <= exchange["on_air_ms"] <= exchange["first_packet_ms"], exchange
    assert exchange["first_audio_ms"] <= exchange["on_air_ms"], exchange
    deadline = time.monotonic() + 30
    while not [e for e in studio.events("turn_aired") if e["source"] == "writer" and e["wall"] > exchange["wall"]]:
        assert time.monotonic() < deadline, "the show did not resume after the call"
        time.sleep(0.5)
    assert httpx.get(studio.base + "/api/rtc/call").json()["on_call"] is False
    ended = studio.events("talk_ended")[-1]
    assert ended["reason"] == "hung up" and ended["exchanges"] == 1


QUESTION = "what do you think about the moon"


def test_speaking_over_the_reply_stops_it_and_the_history_keeps_only_what_aired(studio: TalkStudio) -> None:
    async def call() -> tuple[float, Heard, dict[str, Any]]:
        client = await _caller_on_air(studio.base)
        answered_before = len(studio.events("talk_exchange"))
        sent_at = await client.speak(_speech("tell me about the car", 0))
        onset = await _wait_for_reply(client, sent_at, REPLY_WITHIN_S + 2)
        # The first audio may be the acknowledgement alone ("Aha!") while the words are still being
        # heard; the cut must fall in the answer itself, so wait until it airs (talk_exchange) too.
        deadline = time.perf_counter() + REPLY_WITHIN_S + 5
        while len(studio.events("talk_exchange")) == answered_before:
            assert time.perf_counter() < deadline, "the answer never aired"
            await asyncio.sleep(0.05)
        answering = time.perf_counter()
        await asyncio.sleep(max(0.0, onset + 1.2 - answering, 0.5))  # a second into the reply, into the answer
        started: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        client.speak(_speech("wait wait stop talking please", 1), started)
        interrupted_at = await started  # the caller's first loud sample went out
        await asyncio.sleep(3.0)
        async with httpx.AsyncClient() as http:
            status: dict[str, Any] = (await http.get(studio.base + "/api/rtc/call")).json()
        await client.close()
        return interrupted_at, client.heard, status

    interrupted_at, at_caller, status = asyncio.run(call())
    cut = studio.events("barge_in")[-1]
    full = next(e["text"] for e in reversed(studio.events("turn_cut")))
    replies = [h["text"] for h in status["history"] if h["speaker"] == "duke"]
    assert replies[0].endswith(" —"), "the cut reply is marked as cut"
    heard = replies[0].removesuffix(" —")
    assert 0 < len(heard) == cut["heard_chars"] and heard.split()[-1] in full, (heard, full)
    # The reply's audio at the caller stops: 400 ms of silence begins soon after the caller started.
    # `bench talk` measures this (its own 80 ms jitter buffer included); bound 0.5 s here, for a noisy machine.
    silent_from = at_caller.silent_from(interrupted_at, 0.4)
    assert silent_from is not None and silent_from - interrupted_at < 0.5, (silent_from or 0) - interrupted_at
    assert studio.events("reply_paused")[-1]["cut_ms"] < 300, "the cut was made at the caller's first voice"
    assert len(status["history"]) >= 3, "the caller's interruption is itself answered"


def test_an_uh_huh_pauses_the_reply_for_a_moment_and_it_carries_on_whole(studio: TalkStudio) -> None:
    async def call() -> dict[str, Any]:
        client = await _caller_on_air(studio.base)
        sent_at = await client.speak(_speech("what about the lambo", 1))
        onset = await _wait_for_reply(client, sent_at, REPLY_WITHIN_S + 2)
        # Half a second into the reply, past the 150 ms grace: the shortest answer Duke can give ("That one, I
        # don't know.", when the words are misheard) lasts about 1.3 s on air, and the caller hears it, and is
        # heard, a few hundred ms late on busy cores. At 1.0 s such a reply can end before the "mm" reaches the
        # server: nothing to pause, so nothing resumes (the likely cause of a red on seed 162948202 in a fresh
        # clone; that run's trace was not kept).
        await asyncio.sleep(max(0.0, onset + 0.5 - time.perf_counter()))
        blip = resample(utterance("mm", SPEAKERS[0])[: int(0.18 * 16_000)], 16_000, 48_000)  # a 180 ms "mm"
        client.speak(CallerClip(blip, *loud_span(blip)))
        await asyncio.sleep(0.5)
        await client.wait_for_quiet(1.0, timeout=30)
        async with httpx.AsyncClient() as http:
            status: dict[str, Any] = (await http.get(studio.base + "/api/rtc/call")).json()
        await client.close()
        return status

    before = len(studio.events("reply_resumed"))
    history = asyncio.run(call())["history"]
    # What the studio saw, in order, for the message: a red here has been hard to read from the history alone.
    kinds = ("reply_paused", "reply_resumed", "reply_abandoned", "barge_in", "talk_exchange")
    trace = [(e["kind"], e.get("cut_ms", e.get("text", ""))) for e in studio.events() if e["kind"] in kinds][-8:]
    assert len(studio.events("reply_resumed")) == before + 1, f"paused at the 'mm', then on: {history} {trace}"
    assert [h["speaker"] for h in history] == ["caller", "duke"], history
    aired = [e["text"] for e in studio.events("turn_ready") if e.get("source") == "talk"]
    assert not history[1]["text"].endswith("—") and history[1]["text"].split()[-1] in aired[-1], history


def test_bad_offers_get_clear_errors_and_the_stream_goes_on(studio: TalkStudio) -> None:
    sdp = {"Content-Type": "application/sdp"}
    empty = httpx.post(studio.base + "/api/rtc/talk", content=b"", headers=sdp)
    assert empty.status_code == 400 and "empty" in empty.json()["error"]
    wrong_type = httpx.post(studio.base + "/api/rtc/watch", json={"sdp": "v=0"})
    assert wrong_type.status_code == 415 and "application/sdp" in wrong_type.json()["error"]
    garbage = httpx.post(studio.base + "/api/rtc/watch", content=b"hello", headers=sdp)
    assert garbage.status_code == 400 and "v=0" in garbage.json()["error"]
    broken = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0\r\n"
    unusable = httpx.post(studio.base + "/api/rtc/watch", content=broken.encode(), headers=sdp)
    assert unusable.status_code == 400 and "no DTLS fingerprint" in unusable.json()["error"]
    # A receive-only or video-only offer cannot talk: the error names the missing microphone.
    for kinds in (("video", "audio"), ("video",)):
        offer = asyncio.run(_offer(*[(kind, "recvonly") for kind in kinds]))
        no_microphone = httpx.post(studio.base + "/api/rtc/talk", content=offer.encode(), headers=sdp)
        assert no_microphone.status_code == 400 and "must send audio" in no_microphone.json()["error"], kinds
    # An audio-only viewer is answered with the show's sound alone.
    listener = httpx.post(
        studio.base + "/api/rtc/watch", content=asyncio.run(_offer(("audio", "recvonly"))), headers=sdp
    )
    assert listener.status_code == 201 and "m=audio" in listener.text and "m=video" not in listener.text
    assert httpx.delete(studio.base + listener.headers["Location"]).status_code == 204
    unknown = httpx.post(studio.base + "/api/rtc/talk?character=nobody", content=broken.encode(), headers=sdp)
    assert unknown.status_code == 400 and "unknown character 'nobody'" in unknown.json()["error"]
    assert httpx.get(studio.base + "/api/rtc/call").json()["on_call"] is False
    assert httpx.get(studio.base + "/healthz").json()["ok"] is True


async def _offer(*transceivers: tuple[str, str]) -> str:
    """A real aiortc offer with these (kind, direction) transceivers, as a browser would send it."""
    from aiortc import RTCPeerConnection

    pc = RTCPeerConnection()
    for kind, direction in transceivers:
        pc.addTransceiver(kind, direction=direction)
    await pc.setLocalDescription(await pc.createOffer())
    sdp = pc.localDescription.sdp
    await pc.close()
    return str(sdp)


@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (.ci/run installs it)")
def test_chromium_with_a_fake_microphone_calls_the_show_and_gets_an_answer_on_air(
    studio: TalkStudio, tmp_path: Path
) -> None:
    # Chromium loops this file as its microphone: a question, then room for the answer.
    question = resample(noisy([utterance("what is your name", SPEAKERS[0])], 20.0, seed=5), 16_000, 48_000)
    flags = fake_microphone(tmp_path / "caller.wav", question, answer_s=6)
    before = len(studio.events("talk_exchange"))
    with headless_page(flags) as (page, errors):
        call_from_the_talk_page(page, studio.base, "duke")
        page.wait_for_selector("#history li:nth-child(2)", timeout=40_000)
        lines = page.eval_on_selector_all("#history li", "items => items.map(i => i.textContent)")
        size = page.evaluate("(v => [v.videoWidth, v.videoHeight, v.currentTime])(document.getElementById('player'))")
        stats = page.evaluate(
            """async () => {
                const report = await window.talkshowTalk.pc.getStats();
                const out = {};
                report.forEach((s) => {
                    if (s.type === "inbound-rtp") out[s.kind] = [s.packetsReceived, s.framesDecoded || 0];
                    if (s.type === "codec") out[s.mimeType] = true;
                });
                return out;
            }"""
        )
        deadline = time.monotonic() + 15
        while len(studio.events("talk_exchange")) == before and time.monotonic() < deadline:
            time.sleep(0.2)  # the answer is remembered when written; its first packet follows it on air
        page.click("#hangup")
        page.wait_for_function("document.getElementById('state').textContent === 'not on air'")
    assert not errors, errors
    assert lines[0].startswith("You: ") and lines[1].startswith("duke: "), lines
    assert "name" in lines[0].lower() and "Duke" in lines[1], f"asked its name, it answered {lines}"
    assert size[0:2] == [640, 360] and size[2] > 1.0, "the show's own H.264 plays in the page"
    assert stats.get("video/H264") and stats["video"][1] > 30 and stats["audio"][0] > 50, stats
    assert len(studio.events("talk_exchange")) > before, "the answer went on air (traced to its first packet)"


def test_when_the_llm_fails_the_character_says_a_fallback_line_in_character(tmp_path: Path, shows_dir: Path) -> None:
    chat = ScriptedChat(lambda n: [], status=500)
    talk = f'[talk]\nreply = "openai"\n[talk.reply_options]\nmodel = "tiny"\nbase_url = "{chat.url}"\n'
    running = start_talk_studio(
        tmp_path, (shows_dir / "lambo.toml").read_text().replace("[[cast]]", talk + "\n[[cast]]", 1)
    )
    try:

        async def call() -> dict[str, Any]:
            client = await _caller_on_air(running.base)
            sent_at = await client.speak(_speech(QUESTION, 1))
            await _wait_for_reply(client, sent_at, REPLY_WITHIN_S + 2)
            # The history takes the reply once it has aired whole: waited for, not a fixed second (on loaded
            # cores the line was still airing 1 s after it began, seed 777001).
            deadline = time.perf_counter() + 15
            async with httpx.AsyncClient() as http:
                while True:
                    status: dict[str, Any] = (await http.get(running.base + "/api/rtc/call")).json()
                    done = status["history"][-1]["speaker"] == "duke" and running.events("talk_exchange")
                    if done or time.perf_counter() > deadline:  # the exchange's event is logged after the line
                        break
                    await asyncio.sleep(0.2)
            await client.close()
            return status

        status = asyncio.run(call())
    finally:
        running.process.kill()
        running.process.wait()
        chat.httpd.shutdown()
    assert chat.requests >= 1, "the LLM was asked"
    reply = status["history"][-1]
    assert reply["speaker"] == "duke" and reply["text"].endswith(FALLBACK_LINES), status["history"]
    assert running.events("talk_exchange")[-1]["fallback"] is True


def test_the_operator_can_put_the_callers_voice_on_air_and_the_caller_never_hears_it_back(studio: TalkStudio) -> None:
    async def call() -> tuple[list[tuple[float, int]], list[tuple[float, int]], float, float, dict[str, Any]]:
        viewer = RTCPeerConnection()
        viewer.addTransceiver("video", direction="recvonly")
        viewer.addTransceiver("audio", direction="recvonly")
        watched: list[tuple[float, int]] = []
        readers: list[asyncio.Future[None]] = []

        @viewer.on("track")
        def on_track(track: Any) -> None:
            async def read() -> None:
                while True:
                    frame = await track.recv()
                    if track.kind == "audio":
                        watched.append((time.perf_counter(), int(np.abs(frame.to_ndarray()).max())))

            readers.append(asyncio.ensure_future(read()))

        await viewer.setLocalDescription(await viewer.createOffer())
        async with httpx.AsyncClient() as http:
            switched = (await http.put(studio.base + "/api/rtc/call/mix", json={"on": True})).json()
            answer = await http.post(
                studio.base + "/api/rtc/watch",
                content=viewer.localDescription.sdp,
                headers={"Content-Type": "application/sdp"},
            )
        await viewer.setRemoteDescription(RTCSessionDescription(answer.text, "answer"))
        client = await _caller_on_air(studio.base)
        speech = _speech("I would like to say something rather long about the lambo in the room", 0)
        started = time.perf_counter()
        ended = await client.speak(speech)
        await client.close()
        await viewer.close()
        for reader in readers:
            reader.cancel()
        heard_back = [(t, peak) for t, _, peak in client.heard.audio]
        return watched, heard_back, started, ended, switched

    # The show stopped first: while the caller speaks, the only sound anywhere is their voice (a show line
    # rendered ahead before the call would otherwise air in their feed, rightly, and mask the check).
    httpx.post(studio.base + "/api/control/stop")
    deadline = time.monotonic() + 30
    while httpx.get(studio.base + "/api/status").json()["on_air"] is not None:
        assert time.monotonic() < deadline, "the show's line never ended"
        time.sleep(0.1)
    try:
        watched, heard_back, started, ended, switched = asyncio.run(call())
    finally:
        httpx.put(studio.base + "/api/rtc/call/mix", json={"on": False})
        httpx.post(studio.base + "/api/control/start")
    assert switched["mix_caller"] is True
    # While the caller speaks (and before any reply), viewers hear them; the caller hears silence.
    window = (started + 0.5, ended - 0.2)
    on_air = [peak for t, peak in watched if window[0] < t < window[1]]
    back = [peak for t, peak in heard_back if window[0] < t < window[1]]
    assert on_air and max(on_air) > 3000, "the caller's voice is in the broadcast"
    assert back and max(back) < 500, f"the caller's own return feed is mix-minus (peak {max(back)})"


def test_a_question_of_fact_is_answered_on_air_with_the_fact_from_the_knowledge_base(studio: TalkStudio) -> None:
    """Issue 18-knows: with no flag, a spoken question of fact gets the fact (from the country table), a
    follow-up says "there" for the country of the turn before, and a sum is worked out. (The questions are
    among those the ears heard right in these voices, on a live call and off it: they misheard
    "how many legs does a spider have" in every test voice, and "what about China" as "I'm out China";
    issue 19-tutor-ears is about the ears.)"""
    asked = (
        (1, "what is the capital of japan", "tokyo"),
        (1, "and what money do they use there", "yen"),
        (1, "what is ten times ten", "one hundred"),
    )

    async def call() -> dict[str, Any]:
        client = await _caller_on_air(studio.base)
        for speaker, question, _ in asked:
            sent_at = await client.speak(_speech(question, speaker))
            await _wait_for_reply(client, sent_at, REPLY_WITHIN_S + 2)
            await client.wait_for_quiet(0.8, timeout=30)
        async with httpx.AsyncClient() as http:
            status: dict[str, Any] = (await http.get(studio.base + "/api/rtc/call")).json()
        await client.close()
        return status

    before = {e["text"] for e in studio.events("turn_ready") if e.get("source") == "talk"}
    history = asyncio.run(call())["history"]
    replies = [h["text"] for h in history if h["speaker"] == "duke"]
    assert len(replies) == len(asked), history
    for reply, (_, _, fact) in zip(replies, asked, strict=True):
        assert fact in reply.lower(), (fact, history)
    aired = " ".join({e["text"] for e in studio.events("turn_ready") if e.get("source") == "talk"} - before)
    assert "Tokyo" in aired and "Yen" in aired, aired  # voiced and on air, not only in the history


def test_a_caller_is_never_told_off_for_noise_or_a_mishearing_only_asked_again(studio: TalkStudio) -> None:
    """Issue 21-steady: benign lines in loud noise (10 dB), and misheard-sounding babble, into a real call. Seed
    684276 failed CI when "what about the lambo" was misheard and held as self-harm, and the caller was told
    "Whoa, let's keep it friendly". Whatever the ears make of it now, a caller's words the check holds without
    being sure are answered with a request to say it again, never a telling-off."""
    said = (
        (0, "what about the lambo", 10.0),
        (1, "water out to the rim bokeh", 10.0),  # what the ears once made of a benign line: near no example
        (0, "that joke killed me, I was crying laughing", 20.0),
        (1, "I'll be out in a car", 10.0),  # read as a threat at 0.55 against 0.53 benign, once
    )

    async def call() -> None:
        client = await _caller_on_air(studio.base)
        for speaker, text, snr in said:
            clip = CallerClip.in_noise(
                resample(utterance(text, SPEAKERS[speaker]), 16_000, 48_000), snr, seed=len(text)
            )
            sent_at = await client.speak(clip)
            await _wait_for_reply(client, sent_at, REPLY_WITHIN_S + 2)
            await client.wait_for_quiet(0.8, timeout=30)
        await client.close()

    before = len(studio.events())
    asyncio.run(call())
    events = studio.events()[before:]
    replies = [e["text"] for e in events if e["kind"] == "turn_ready" and e.get("source") == "talk"]
    assert len(replies) >= len(said), replies
    assert not [text for text in replies if any(deflection in text for deflection in DEFLECTIONS)], replies
    held = [e for e in events if e["kind"] == "line_held" and e["source"] == "caller"]
    assert all(e["unsure"] for e in held), held
    asked_again = [text for text in replies if any(again in text for again in SAY_AGAIN)]
    assert len(asked_again) >= len(held), (held, replies)  # each held line got a request to say it again
