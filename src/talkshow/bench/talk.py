"""``talkshow bench talk``: voice-to-voice over WebRTC, measured where a caller would feel it.

A real ``talkshow serve`` runs in its own process, at the show's real resolution; this
process is the caller (aiortc). It speaks utterances made now with espeak-ng in voices no
character has (varied rate and pitch, room noise 20 dB down) and measures, at the caller:

- from the last sample of voice in each utterance it sent (noise aside) to the onset of the
  reply's audio;
- when the speaking character's mouth starts moving in the received video, against that
  audio onset (both by arrival time at this client);
- barge-in: from the first sample of voice of a caller talking over a reply to the reply's
  audio going silent as decoded here (aiortc's 80 ms playout buffer included).

The server's trace gives each stage's share (``talk_exchange``) and the late frames during
the calls. Run once on the embedded stack, and once with a local OpenAI-compatible server
whose first token comes after a set delay (``--llm-delay``).
"""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from talkshow.audio import resample
from talkshow.bench.serving import Served, rss_over, stats
from talkshow.config import ShowConfig, VideoSettings, show_from_topic
from talkshow.core.cast import VoiceSettings
from talkshow.report.analysis import TALK_STAGES
from talkshow.testing.chat_stub import StubChat
from talkshow.testing.talk_client import CallerClip, TalkClient
from talkshow.voice.espeak import EspeakEngine

__all__ = ["caller_speech", "mouth_box", "run_talk_bench"]

CALLERS = (
    VoiceSettings(voice="en-us+f3", pitch=72, rate=150),
    VoiceSettings(voice="en-gb-x-rp", pitch=58, rate=178),
    VoiceSettings(voice="en-us-nyc", pitch=30, rate=205),
)
# The spoken question and learner sets' callers: the same voices at the issues' 130-175 words a minute.
SET_CALLERS = tuple(replace(voice, rate=rate) for voice, rate in zip(CALLERS, (130, 150, 175), strict=True))
ONSET_PEAK = 500  # the show is digitally silent while the caller talks: a reply's first sound is this loud
INTERRUPTION = "wait wait hold on a second"
QUESTIONS = (
    "what do you think about the moon",
    "is the car really in the room",
    "tell me your favourite sandwich",
    "should the office get a pet octopus",
    "why are you both shouting",
    "can robots work the night shift",
)


def caller_speech(text: str, voice: VoiceSettings, snr_db: float = 20.0, seed: int = 0) -> CallerClip:
    """``text`` said by espeak-ng in ``voice``, with white noise ``snr_db`` below it, at 48 kHz."""
    speech = EspeakEngine().voice(voice).synthesize(text)
    return CallerClip.in_noise(resample(speech.samples, speech.sample_rate, 48_000), snr_db, seed)


def mouth_box(config: ShowConfig, character: str) -> tuple[int, int, int, int]:
    """Where ``character``'s mouth is drawn (x0, y0, x1, y1), padded for head movement."""
    from talkshow.stage.rig import CharacterRig
    from talkshow.station.render import offline_stage

    with offline_stage(config) as stage:
        rig = next(r for r in stage.rigs if r.cast_id == character)
        if not isinstance(rig, CharacterRig):
            raise ValueError(f"{character} is not a face-rig character: its mouth has no fixed place")
        placed = rig.mouths[("neutral", "X")]
        x0, y0 = rig.origin[0] + placed.dx, rig.origin[1] + placed.dy
        h, w = placed.sprite.y.shape[:2]
    pad = max(8, h // 2)
    return x0 - pad, y0 - pad, x0 + w + pad, y0 + h + pad


def _mouth_onset(video: list[tuple[float, int, npt.NDArray[np.uint8]]], box: tuple[int, ...], audio_at: float) -> float:
    """Arrival time of the first frame near ``audio_at`` whose mouth region left the picture just before it.

    The reference is the mouth in the 300 ms before the reply's audio arrived (the character
    listening, mouth at rest); the mouth may move up to 200 ms before the audio (if video led).
    """
    x0, y0, x1, y1 = box
    frames = [(t, g[y0:y1, x0:x1].astype(np.int16)) for t, _, g in video if g.size and t > audio_at - 0.4]
    rest = [crop for t, crop in frames if t <= audio_at - 0.2]
    if not rest:
        return float("nan")
    baseline = np.median(np.stack(rest), axis=0)
    noise = max(float(np.mean(np.abs(crop - baseline))) for crop in rest)
    for t, crop in frames:
        if t > audio_at - 0.2 and float(np.mean(np.abs(crop - baseline))) > max(2 * noise + 2.0, 6.0):
            return t
    return float("nan")


async def _calls(
    base: str,
    speech: list[CallerClip],
    box: tuple[int, ...],
    interruptions: list[CallerClip],
    barge_ins: int,
) -> tuple[list[dict[str, float]], list[float]]:
    client = TalkClient(base, keep_video=True)
    status = await client.connect()
    if status != 201:
        raise RuntimeError(f"the server refused the call: HTTP {status}")
    results = []
    stops: list[float] = []
    try:
        await client.wait_for_show(20)
        await client.wait_for_quiet(0.8, timeout=60)
        for audio in speech:
            sent = await client.speak(audio)
            deadline = time.perf_counter() + 10
            while (
                onset := client.heard.audio_onset_after(sent, ONSET_PEAK)
            ) is None and time.perf_counter() < deadline:
                await asyncio.sleep(0.01)
            await asyncio.sleep(0.6)
            mouth = _mouth_onset(client.heard.video, box, onset) if onset else float("nan")
            results.append(
                {
                    "voice_to_voice_ms": (onset - sent) * 1000 if onset else float("nan"),
                    "mouth_minus_audio_ms": (mouth - onset) * 1000 if onset else float("nan"),
                }
            )
            client.heard.video = client.heard.video[-60:]  # keep memory flat over many utterances
            await client.wait_for_quiet(1.0, timeout=40)
        for index in range(barge_ins):
            question, interruption = speech[index % len(speech)], interruptions[index % len(interruptions)]
            stops.append(await _barge_in(client, question, interruption))
            await client.wait_for_quiet(1.0, timeout=40)
    finally:
        await client.close()
    return results, stops


async def _barge_in(client: TalkClient, question: CallerClip, interruption: CallerClip) -> float:
    """Ask, let the reply run past its grace time, talk over it: ms from our first loud sample to its silence."""
    sent = await client.speak(question)
    deadline = time.perf_counter() + 10
    while (onset := client.heard.audio_onset_after(sent, ONSET_PEAK)) is None and time.perf_counter() < deadline:
        await asyncio.sleep(0.01)
    if onset is None:
        return float("nan")
    await asyncio.sleep(max(0.0, onset + 0.8 - time.perf_counter()))
    started: asyncio.Future[float] = asyncio.get_running_loop().create_future()
    client.speak(interruption, started)
    spoke_at = await started
    await asyncio.sleep(1.5)
    silent = client.heard.silent_from(spoke_at, seconds=0.3)
    client.heard.video = client.heard.video[-60:]
    return (silent - spoke_at) * 1000 if silent is not None else float("nan")


def encoded_sync_frames(record: Path, aired_frames: list[int], box: tuple[int, ...]) -> list[int]:
    """In the encoded stream itself (a recording of the same packets): mouth onset minus reply audio start, in frames.

    A reply that went on air at stream frame F has its first audio sample at F x 1600 (its
    timestamp); the mouth's onset is the first frame from F - 6 whose mouth region left the
    resting picture of the frames before. Timestamps, not arrival times: what a player that
    syncs by RTP timestamps (a browser) shows. The audible onset can come later than either
    (a soft "h" is open-mouthed and nearly silent), so it is not the reference.
    """
    import av

    wanted = {f + d for f in aired_frames for d in range(-12, 16)}
    x0, y0, x1, y1 = box
    mouths: dict[int, npt.NDArray[np.int16]] = {}
    with av.open(str(record)) as container:
        for frame in container.decode(video=0):
            index = int(round(float(frame.time) * 30)) if frame.time is not None else -1
            if index in wanted:
                mouths[index] = frame.to_ndarray(format="gray")[y0:y1, x0:x1].astype(np.int16)
    offsets = []
    for aired in aired_frames:
        rest = [mouths[f] for f in range(aired - 12, aired - 6) if f in mouths]
        if not rest:
            continue
        baseline = np.median(np.stack(rest), axis=0)
        noise = max(float(np.mean(np.abs(m - baseline))) for m in rest)
        moved = [
            f
            for f in range(aired - 6, aired + 16)
            if f in mouths and float(np.mean(np.abs(mouths[f] - baseline))) > max(2 * noise + 2.0, 6.0)
        ]
        if moved:
            offsets.append(moved[0] - aired)
    return offsets


def _show_file(folder: Path, width: int, height: int, llm_url: str, turn_model: str = "", brain: str = "") -> Path:
    lines = ['topic = "why there\'s a lambo in the room"', "turns = 2", "[video]", f"width = {width}"]
    lines += [f"height = {height}", "[talk]", 'character = "duke"']
    if turn_model:
        lines += [f'turn_model = "{turn_model}"']
    if llm_url:
        lines += ['reply = "openai"', "[talk.reply_options]", 'model = "stub"', f'base_url = "{llm_url}"']
    elif brain:  # the embedded brain (docs/brain.md), started by the station like any show's
        lines += ['reply = "hybrid"', "[talk.reply_options]", 'server = "embedded"', f'brain = "{brain}"']
    path = folder / "bench-talk.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


def _serve(folder: Path, show: Path) -> tuple[str, subprocess.Popen[bytes], Path]:
    trace = folder / "trace.jsonl"
    args = [str(show), "--trace", str(trace), "--record", str(folder / "record.mp4")]
    args += ["--hls-dir", str(folder / "hls"), "--db", str(folder / "studio.sqlite3")]
    env = {"TALKSHOW_CACHE_DIR": str(folder / "speech-cache")}  # cold: every reply is voiced
    served = Served(args, folder / "serve.log", env)
    return served.base, served.process, trace


def _reply_air_frames(events: list[dict[str, Any]]) -> list[int]:
    """The stream frame each reply's first part went on air at (the first talk turn after each utterance)."""
    frames, waiting = [], False
    for event in events:
        if event["kind"] == "user_speech_end":
            waiting = True
        elif waiting and event["kind"] == "turn_aired" and event.get("source") == "talk":
            frames.append(int(event["frame"]))
            waiting = False
    return frames


def run_talk_bench(
    utterances: int = 8,
    llm_delay_s: float | None = None,
    quick: bool = False,
    barge_ins: int = 5,
    turn_model: str = "",
    brain: str = "",
) -> dict[str, Any]:
    """One run: ``utterances`` questions, then ``barge_ins`` replies talked over.

    ``llm_delay_s``: replies from a stub LLM with that first-token delay; ``brain``: from that embedded brain.
    """
    width, height = (640, 360) if quick else (1920, 1080)
    config = show_from_topic("why there's a lambo in the room")
    config = replace(config, video=VideoSettings(width=width, height=height))
    box = mouth_box(config, "duke")
    speech = [
        caller_speech(QUESTIONS[i % len(QUESTIONS)], CALLERS[i % len(CALLERS)], seed=i) for i in range(utterances)
    ]
    interruptions = [caller_speech(INTERRUPTION, CALLERS[i], seed=100 + i) for i in range(len(CALLERS))]
    with tempfile.TemporaryDirectory(prefix="talkshow-bench-talk-") as tmp:
        folder = Path(tmp)
        stub = StubChat(first_token_s=llm_delay_s) if llm_delay_s is not None else None
        try:
            show = _show_file(folder, width, height, stub.url if stub else "", turn_model, brain)
            base, process, trace = _serve(folder, show)
            try:
                results, stops = asyncio.run(_calls(base, speech, box, interruptions, barge_ins))
            finally:
                process.send_signal(signal.SIGINT)
                process.wait(timeout=30)
        finally:
            if stub is not None:
                stub.close()
        events = [json.loads(line) for line in trace.read_text().splitlines()]
        encoded = encoded_sync_frames(folder / "record.mp4", _reply_air_frames(events), box)
    exchanges = [e for e in events if e["kind"] == "talk_exchange"]
    started = next((e["t_ms"] for e in events if e["kind"] == "talk_started"), 0.0)
    stages = TALK_STAGES
    return {
        "utterances": utterances,
        "resolution": f"{width}x{height}",
        "llm_first_token_s": llm_delay_s,
        "brain": brain or None,
        "voice_to_voice_ms": stats([r["voice_to_voice_ms"] for r in results]),
        "mouth_minus_audio_ms": stats([r["mouth_minus_audio_ms"] for r in results]),
        "barge_in_silent_ms": stats(stops),
        "barge_in_server_cut_ms": stats([float(e["cut_ms"]) for e in events if e["kind"] == "reply_paused"]),
        "encoded_mouth_minus_reply_audio_frames": stats([float(f) for f in encoded]),
        "server_stages_ms": {k: stats([float(e[k]) for e in exchanges if e[k] >= 0]) for k in stages},
        # from the request to the model to its first token (the stages above count from the caller's last word)
        "llm_first_token_ms": stats([float(e["ms"]) for e in events if e["kind"] == "llm_first_token"]),
        "fallback_replies": sum(bool(e.get("fallback")) for e in exchanges),
        "turn_model": turn_model or "silence",
        "turn_ends": {
            reason: sum(1 for e in events if e["kind"] == "user_speech_end" and e.get("reason") == reason)
            for reason in ("silence", "turn_model", "max_length")
        },
        "late_frames_during_call": sum(1 for e in events if e["kind"] == "frame_late" and e["t_ms"] >= started),
        "frames_during_call": sum(1 for e in events if e["kind"] == "frame" and e["t_ms"] >= started),
        "rss_mb": rss_over([e for e in events if e["t_ms"] >= started]),
    }
