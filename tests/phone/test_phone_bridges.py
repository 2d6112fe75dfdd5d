"""The other phone bridges: AudioSocket (and a real SIP call through it), and the dial plan's limits."""

from __future__ import annotations

import asyncio
import time
from asyncio.subprocess import DEVNULL
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest

from support.budgets import AUDIOSOCKET_CALLER_BEHIND_MS
from support.phone_calls import (
    BARESIP,
    DUKE_HZ,
    NUMBERS,
    QUESTION,
    REPLY_WITHIN_S,
    STOPPED_WITHIN_S,
    answered,
    call_status,
    heard_between,
    talk_over_the_reply,
)
from support.phone_studio import PhoneStudio
from support.sip_bridge import SipBridge
from support.spoken import SPEAKERS, pitch_hz, utterance
from talkshow.audio import resample, wav_bytes
from talkshow.testing.phone_client import AudioSocketClient, MediaStreamClient

# Slow, and it times the caller's platform (its buffer, its marks) in this process, against the show's
# clock: it runs in the pinned tier, where this worker, its platform and its show share a core no other
# test uses (two seeds of that tier, with both phone modules in it, were green in 180 s and 173 s).
pytestmark = [pytest.mark.slow, pytest.mark.solo]


def test_an_audiosocket_caller_is_answered_and_speaking_over_the_reply_stops_it(studio: PhoneStudio) -> None:
    async def call() -> tuple[AudioSocketClient, float, float, float, dict[str, Any]]:
        client = AudioSocketClient("127.0.0.1", studio.audiosocket_port, caller_digits=NUMBERS[1][2:])
        await answered(client, studio)
        sent, onset, spoke = await talk_over_the_reply(client, QUESTION, "no no listen to me")
        await asyncio.sleep(2.0)
        status = call_status(studio)
        await client.hang_up()
        return client, sent, onset, spoke, status

    client, sent, onset, spoke, status = asyncio.run(call())
    assert onset - sent < REPLY_WITHIN_S
    assert (status["transport"], status["caller"]) == ("audiosocket", "Caller …2222")
    heard = heard_between(client, onset, spoke)
    assert len(heard) > 4_000 and DUKE_HZ[0] < pitch_hz(heard, 8_000) < DUKE_HZ[1], "Duke's voice, not the caller's"
    silent = client.heard.silent_from(spoke, 0.3)
    assert silent is not None and silent - spoke < STOPPED_WITHIN_S, (silent or 0) - spoke
    replies = [h["text"] for h in status["history"] if h["speaker"] == "duke"]
    assert replies[1].endswith(" —"), replies
    behind = studio.events("barge_in")[-1]["caller_behind_ms"]
    assert behind < AUDIOSOCKET_CALLER_BEHIND_MS, f"AudioSocket: heard is what was sent, yet {behind} ms behind"


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
            await answered(first, running)
            status = call_status(running)
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
        tail = heard_between(first, closed_at - 3.0, closed_at)
        assert np.abs(tail).max() > 5000, "the caller heard the goodbye before the line closed"
    finally:
        running.close()
