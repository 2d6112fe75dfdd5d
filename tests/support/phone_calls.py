"""What the phone tests share: the studio with its phone bridges, a caller's speech, and waiting on a call."""

from __future__ import annotations

import asyncio
import shutil
import time
from typing import Any

import httpx
import numpy as np

from support.phone_studio import PhoneStudio
from support.spoken import SPEAKERS, utterance
from talkshow.audio import resample
from talkshow.phone.audio import PhoneAudio
from talkshow.testing.phone_client import AudioSocketClient, MediaStreamClient
from talkshow.testing.talk_client import CallerClip

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


# Duke's median pitch over any 1.3 s of his lines, over the phone: 71-108 Hz (near 90 Hz on
# whole lines); the caller asking speaks near 242 Hz. The bounds leave a margin both sides.
DUKE_HZ = (65.0, 125.0)


def caller_speech(text: str, speaker: int = 0, seed: int = 0) -> CallerClip:
    """``text`` in a test voice (speaker 0 speaks near 246 Hz; Duke near 90), room noise 20 dB down, 48 kHz."""
    return CallerClip.in_noise(resample(utterance(text, SPEAKERS[speaker]), 16_000, 48_000), 20.0, seed=seed)


def wall_time(perf: float) -> float:
    """The wall-clock time of a perf_counter reading."""
    return time.time() - (time.perf_counter() - perf)


async def reply_onset(client: MediaStreamClient | AudioSocketClient, after: float, timeout: float) -> float:
    """When the caller began to hear sound after ``after`` (perf_counter)."""
    deadline = time.perf_counter() + timeout
    while (onset := client.heard.audio_onset_after(after, 2000)) is None:
        assert time.perf_counter() < deadline and not client.closed.is_set(), f"nothing heard ({client.close_reason})"
        await asyncio.sleep(0.02)
    return onset


async def answered(client: MediaStreamClient | AudioSocketClient, studio: PhoneStudio) -> None:
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


async def talk_over_the_reply(
    client: MediaStreamClient | AudioSocketClient, question: str, interruption: str
) -> tuple[float, float, float]:
    """Ask, and a second into the reply speak over it: when the question ended, the reply began, and the caller
    began to talk over it (perf_counter)."""
    sent = await client.speak(caller_speech(question, seed=len(question)))
    onset = await reply_onset(client, sent, REPLY_WITHIN_S + 2)
    await asyncio.sleep(max(0.0, onset + 1.2 - time.perf_counter()))
    started: asyncio.Future[float] = asyncio.get_running_loop().create_future()
    client.speak(caller_speech(interruption, 1, seed=len(interruption)), started)
    return sent, onset, await started


def heard_between(client: MediaStreamClient | AudioSocketClient, start: float, end: float) -> np.ndarray:
    """The 8 kHz audio the caller heard between two perf_counter times."""
    frames = [f for (t, _, _), f in zip(client.heard.audio, client.playout.played, strict=True) if start <= t < end]
    return np.concatenate(frames) if frames else np.zeros(0, np.int16)


def over_the_phone(samples_48k: np.ndarray) -> np.ndarray:
    """48 kHz audio as a caller hears it: through G.711 mu-law at 8 kHz."""
    out, back = PhoneAudio("mulaw"), PhoneAudio("mulaw", show_rate=8_000)
    return np.concatenate([back.decode(f) for f in out.encode(samples_48k)])


def call_status(studio: PhoneStudio) -> dict[str, Any]:
    """The line as the studio reports it (``/api/rtc/call``)."""
    return dict(httpx.get(studio.base + "/api/rtc/call").json())
