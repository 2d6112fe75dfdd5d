"""``talkshow bench phone``: a phone call to the show, measured where the platform would hear it.

A real ``talkshow serve`` runs in its own process at the show's real resolution, with its
Media Streams and AudioSocket bridges on; this process is the platform
(``talkshow.testing.phone_client``): it sends the caller's μ-law or 16-bit audio in 20 ms frames,
in real time, and plays what comes back from a 60 ms buffer, echoing marks and honouring
``clear``. The caller speaks questions made now with espeak-ng in voices no character has
(varied rate and pitch, room noise 20 dB down). At the client it measures:

- voice to voice: from the last sample of voice sent (noise aside) to the reply's first
  sound, as it arrived and as it was played;
- barge-in: from the first sample of voice of a caller talking over a reply to that reply's
  sound stopping, as played (the platform's buffer and ``clear`` included).

The server's trace gives each stage's share (``talk_exchange``) and the late frames during
the call. ``--minutes`` keeps one call going, asking and interrupting, for that long.
"""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from talkshow.bench.serving import Served, free_port, rss_over, stats
from talkshow.bench.talk import CALLERS, INTERRUPTION, QUESTIONS, caller_speech
from talkshow.report.analysis import TALK_STAGES
from talkshow.testing.phone_client import AudioSocketClient, MediaStreamClient
from talkshow.testing.talk_client import CallerClip

__all__ = ["run_phone_bench"]

TOKEN = "bench-phone-token"
ONSET_PEAK = 500  # the line is digitally silent while the caller talks: a reply's first sound is this loud
PLAYOUT_MS = 60  # the platform's jitter buffer in this emulation

PhoneClient = MediaStreamClient | AudioSocketClient


def _serve(
    folder: Path, width: int, height: int, minutes: float, brain: str = ""
) -> tuple[str, int, subprocess.Popen[bytes], Path]:
    audiosocket = free_port()
    limit = max(600, round(minutes * 60) + 120)
    show = folder / "bench-phone.toml"
    reply = f'reply = "hybrid"\n[talk.reply_options]\nserver = "embedded"\nbrain = "{brain}"\n' if brain else ""
    show.write_text(
        f'topic = "why there\'s a lambo in the room"\nturns = 2\n[video]\nwidth = {width}\nheight = {height}\n'
        f'[phone]\naudiosocket = "127.0.0.1:{audiosocket}"\nmax_call_s = {limit}\n[talk]\ncharacter = "duke"\n{reply}'
    )
    trace = folder / "trace.jsonl"
    args = [str(show), "--trace", str(trace), "--hls-dir", str(folder / "hls"), "--db", str(folder / "studio.sqlite3")]
    env = {"TALKSHOW_PHONE_TOKEN": TOKEN, "TALKSHOW_CACHE_DIR": str(folder / "speech-cache")}  # cold
    served = Served(args, folder / "serve.log", env)
    return served.base, audiosocket, served.process, trace


async def _reply_onset(client: PhoneClient, sent: float, timeout: float = 10.0) -> tuple[float, float] | None:
    """When the reply's first sound arrived and when it played, or None if none came."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        played = client.heard.audio_onset_after(sent, ONSET_PEAK)
        if played is not None:
            arrived = client.playout.received.audio_onset_after(sent, ONSET_PEAK)
            return (arrived or played), played
        await asyncio.sleep(0.01)
    return None


async def _ask(client: PhoneClient, question: CallerClip) -> dict[str, float]:
    sent = await client.speak(question)
    onset = await _reply_onset(client, sent)
    await client.wait_for_quiet(1.0, timeout=40)
    client.trim()
    if onset is None:
        return {"arrived_ms": float("nan"), "played_ms": float("nan")}
    return {"arrived_ms": (onset[0] - sent) * 1000, "played_ms": (onset[1] - sent) * 1000}


async def _barge_in(client: PhoneClient, question: CallerClip, interruption: CallerClip) -> tuple[float, float]:
    """Ask, let the reply run 0.8 s, talk over it: ms from our first voiced sample to its silence, as played,
    and to the platform's ``clear`` (NaN where there is none: AudioSocket)."""
    sent = await client.speak(question)
    onset = await _reply_onset(client, sent)
    if onset is None:
        return float("nan"), float("nan")
    await asyncio.sleep(max(0.0, onset[1] + 0.8 - time.perf_counter()))
    started: asyncio.Future[float] = asyncio.get_running_loop().create_future()
    client.speak(interruption, started)
    spoke_at = await started
    await asyncio.sleep(1.5)
    silent = client.heard.silent_from(spoke_at, seconds=0.3, max_peak=ONSET_PEAK)
    clear = next((t for t in client.playout.clears if t > spoke_at - 0.2), None)
    await client.wait_for_quiet(1.0, timeout=40)
    client.trim()
    silent_ms = (silent - spoke_at) * 1000 if silent is not None else float("nan")
    return silent_ms, (clear - spoke_at) * 1000 if clear is not None else float("nan")


async def _call(
    client: PhoneClient, questions: list[CallerClip], interruptions: list[CallerClip], barge_ins: int, minutes: float
) -> tuple[list[dict[str, float]], list[tuple[float, float]]]:
    await client.connect()
    asked: list[dict[str, float]] = []
    stops: list[tuple[float, float]] = []
    began = time.perf_counter()
    try:
        await _reply_onset(client, 0.0, 20)  # the greeting
        await client.wait_for_quiet(1.0, timeout=40)
        round_ = 0
        while True:
            for question in questions:
                asked.append(await _ask(client, question))
            for index in range(barge_ins):
                question = questions[(index + round_) % len(questions)]
                stops.append(await _barge_in(client, question, interruptions[index % len(interruptions)]))
            round_ += 1
            if time.perf_counter() - began >= minutes * 60:
                break
    finally:
        await client.hang_up()
    return asked, stops


def run_phone_bench(
    transports: tuple[str, ...] = ("twilio", "audiosocket"),
    utterances: int = 8,
    barge_ins: int = 5,
    minutes: float = 0.0,
    quick: bool = False,
    brain: str = "",
) -> dict[str, Any]:
    """One server; per transport one call: ``utterances`` questions, ``barge_ins`` interruptions (for ``minutes``).

    ``brain``: replies from that embedded brain (the hybrid of rules and model), else the rules alone.
    """
    width, height = (640, 360) if quick else (1920, 1080)
    questions = [
        caller_speech(QUESTIONS[i % len(QUESTIONS)], CALLERS[i % len(CALLERS)], seed=i) for i in range(utterances)
    ]
    interruptions = [caller_speech(INTERRUPTION, CALLERS[i], seed=100 + i) for i in range(len(CALLERS))]
    results: dict[str, Any] = {"resolution": f"{width}x{height}", "minutes": minutes, "playout_buffer_ms": PLAYOUT_MS,
                               "brain": brain or None}  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="talkshow-bench-phone-") as tmp:
        base, audiosocket, process, trace = _serve(Path(tmp), width, height, minutes, brain)
        runs: dict[str, tuple[list[dict[str, float]], list[tuple[float, float]], float, float]] = {}
        try:
            for transport in transports:
                client: PhoneClient = (
                    MediaStreamClient(f"ws{base[4:]}/api/phone/twilio/{TOKEN}", buffer_ms=PLAYOUT_MS)
                    if transport == "twilio"
                    else AudioSocketClient("127.0.0.1", audiosocket, buffer_ms=PLAYOUT_MS)
                )
                started = time.time()
                asked, stops = asyncio.run(_call(client, questions, interruptions, barge_ins, minutes))
                runs[transport] = (asked, stops, started, time.time())
                time.sleep(2.0)  # the show resumes between calls
        finally:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=30)
        events = [json.loads(line) for line in trace.read_text().splitlines()]
    stages = TALK_STAGES
    for transport, (asked, stops, started, ended) in runs.items():
        during = [e for e in events if started <= e["wall"] <= ended]
        exchanges = [e for e in during if e["kind"] == "talk_exchange"]
        results[transport] = {
            "exchanges": len(asked),
            "voice_to_voice_played_ms": stats([a["played_ms"] for a in asked]),
            "voice_to_voice_arrived_ms": stats([a["arrived_ms"] for a in asked]),
            "barge_in_silent_ms": stats([silent for silent, _ in stops]),
            "barge_in_clear_ms": stats([clear for _, clear in stops]),
            "barge_in_silent_each_ms": [round(silent, 1) for silent, _ in stops],
            "barge_in_server_cut_ms": stats([float(e["cut_ms"]) for e in during if e["kind"] == "reply_paused"]),
            "server_stages_ms": {k: stats([float(e[k]) for e in exchanges if e[k] >= 0]) for k in stages},
            "llm_first_token_ms": stats([float(e["ms"]) for e in during if e["kind"] == "llm_first_token"]),
            "call_seconds": round(ended - started, 1),
            "rss_mb": rss_over(during),
            "late_frames": sum(1 for e in during if e["kind"] == "frame_late"),
            "frames": sum(1 for e in during if e["kind"] == "frame"),
            "sender": next((e for e in events if e["kind"] == "phone_call_ended" and e["transport"] == transport), {}),
        }
    return results
