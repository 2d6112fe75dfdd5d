"""``talkshow bench tutor``: the tutor as a learner meets it, against the seed's timeline.

Two parts, both from a cold start:

- **Corrections, scored with ERRANT.** The learner set (``assets/tutor/learner_set_*.toml``) typed:
  span-level precision, recall and F0.5 per ERRANT type, on the dev half (tuned on) and the test
  half (only reported). Then the test half said by espeak-ng in voices no character has (130-175
  words a minute, 20 dB over white noise), heard by the tutor show's ears and by the default ears:
  heard as said, errors surviving hearing, ERRANT through the ears (``bench.tutor_ears``).
- **A lesson over WebRTC.** A real ``talkshow serve shows/tutor.toml`` at the show's resolution;
  this process is the learner (aiortc) and speaks ``utterances`` sentences with errors. From the
  last voiced sample sent: the reply's text on the page (``/api/tutor/lesson`` polled every
  20 ms, as the page does more slowly), the first reply audio at the learner, and the whole reply
  voiced (every chunk ready).
"""

from __future__ import annotations

import asyncio
import json
import signal
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from talkshow.bench.serving import Served, rss_over, stats
from talkshow.bench.talk import CALLERS, ONSET_PEAK, caller_speech
from talkshow.bench.tutor_ears import learner_set_through_the_ears
from talkshow.show_file import read_show
from talkshow.talk.settings import TalkSettings
from talkshow.testing.talk_client import CallerClip, TalkClient
from talkshow.tutor.checker import GrammarChecker
from talkshow.tutor.errant_score import GecScore, Half, edits, learner_set
from talkshow.tutor.scoring import labelled_sentences

__all__ = ["SEED_TIMELINE_MS", "corrections_through_the_ears", "errant_typed", "lesson_over_webrtc", "run_tutor_bench"]

# The seed's tutor ("Hello, nice to meet you."; 004 in the user's notes), from the end of the learner's speech.
SEED_TIMELINE_MS = {"stt": 614, "reply_text_on_page": 5000, "first_audio": 8670, "whole_reply_voiced": 15650}
POLL_S = 0.02
TIMES = ("reply_text_on_page_ms", "first_audio_ms", "whole_reply_voiced_ms")


def errant_typed(half: Half, annotator: Any, checker: GrammarChecker) -> GecScore:
    """The checker on a learner-set half as typed, scored with ERRANT (span level)."""
    score = GecScore()
    for pair in learner_set(half):
        made = edits(annotator, pair.text, checker.check(pair.text).corrected)
        score.add(edits(annotator, pair.text, pair.corrected), made, pair.text)
    return score


def corrections_through_the_ears(
    show: Path, snr_db: float = 20.0, say: Callable[[str], None] = print
) -> dict[str, Any]:
    """ERRANT scores typed (dev and test halves, per type), then the test half spoken and heard by the tutor
    show's ears and by the default ears."""
    from talkshow.tutor.grammar_model import load_annotator

    config, _ = read_show(show)
    tutor_ears = config.section(TalkSettings).stt_options
    annotator, checker = load_annotator(), GrammarChecker()
    typed = {half: errant_typed(half, annotator, checker).as_dict() for half in ("dev", "test")}
    say("the learner set's test half spoken and heard...")
    ears = {"tutor_ears": tutor_ears, "default_ears": TalkSettings().stt_options}
    spoken = learner_set_through_the_ears(ears, "test", snr_db, say)
    return {"typed": typed, "spoken_test_half": spoken, "snr_db": snr_db}


async def _lesson(client: httpx.AsyncClient, base: str) -> list[dict[str, Any]]:
    reply = await client.get(base + "/api/tutor/lesson")
    turns: list[dict[str, Any]] = reply.json()["turns"] if reply.status_code == 200 else []
    return turns


async def _learner(base: str, speech: list[CallerClip]) -> list[dict[str, Any]]:
    client = TalkClient(base)
    if (status := await client.connect()) != 201:
        raise RuntimeError(f"the server refused the call: HTTP {status}")
    results = []
    try:
        async with httpx.AsyncClient(timeout=5) as http:
            await client.wait_for_show(20)
            await client.wait_for_quiet(0.8, timeout=60)
            for audio in speech:
                before = len(await _lesson(http, base))
                sent = await client.speak(audio)
                seen: dict[str, float] = {}
                heard = ""
                deadline = time.perf_counter() + 20
                while time.perf_counter() < deadline and len(seen) < 3:
                    turns = await _lesson(http, base)
                    now = time.perf_counter()
                    if len(turns) > before and turns[-1]["chunks"]:
                        seen.setdefault("text", now)
                        heard = turns[-1]["heard"]
                        if all(c["state"] in ("ready", "playing", "played") for c in turns[-1]["chunks"]):
                            seen.setdefault("voiced", now)
                    if (onset := client.heard.audio_onset_after(sent, ONSET_PEAK)) is not None:
                        seen.setdefault("audio", onset)
                    await asyncio.sleep(POLL_S)
                results.append(
                    {
                        "reply_text_on_page_ms": (seen["text"] - sent) * 1000 if "text" in seen else float("nan"),
                        "first_audio_ms": (seen["audio"] - sent) * 1000 if "audio" in seen else float("nan"),
                        "whole_reply_voiced_ms": (seen["voiced"] - sent) * 1000 if "voiced" in seen else float("nan"),
                        "heard": heard,
                    }
                )
                await client.wait_for_quiet(1.0, timeout=60)
    finally:
        await client.close()
    return results


def lesson_over_webrtc(show: Path, utterances: int, quick: bool) -> dict[str, Any]:
    """``utterances`` learner sentences with errors to a served tutor show; the times the learner feels."""
    config, _ = read_show(show)
    width, height = (640, 360) if quick else (config.video.width, config.video.height)
    sentences = [s for s in labelled_sentences() if s.errors][:utterances]
    speech = [caller_speech(s.text, CALLERS[i % len(CALLERS)], 20.0, seed=i) for i, s in enumerate(sentences)]
    with tempfile.TemporaryDirectory(prefix="talkshow-bench-tutor-") as tmp:
        folder = Path(tmp)
        for card in show.parent.glob("*.json"):
            (folder / card.name).write_text(card.read_text())
        text = show.read_text() + f"\n[video]\nwidth = {width}\nheight = {height}\n"
        (folder / "tutor.toml").write_text(text)
        trace = folder / "trace.jsonl"
        args = [str(folder / "tutor.toml"), "--trace", str(trace), "--hls-dir", str(folder / "hls")]
        args += ["--db", str(folder / "studio.sqlite3")]
        served = Served(args, folder / "serve.log", {"TALKSHOW_CACHE_DIR": str(folder / "speech-cache")})
        try:
            results = asyncio.run(_learner(served.base, speech))
        finally:
            served.process.send_signal(signal.SIGINT)
            served.process.wait(timeout=30)
        events = [json.loads(line) for line in trace.read_text().splitlines()]
    started = next((e["t_ms"] for e in events if e["kind"] == "talk_started"), 0.0)
    exchanges = [e for e in events if e["kind"] == "talk_exchange"]
    return {
        "utterances": len(speech),
        "resolution": f"{width}x{height}",
        **{key: stats([r[key] for r in results]) for key in TIMES},
        "heard": [r["heard"] for r in results],  # "" where no tutor turn came (nothing heard, or held)
        "server_stt_final_ms": stats([float(e["stt_final_ms"]) for e in exchanges if e["stt_final_ms"] >= 0]),
        "late_frames_during_call": sum(1 for e in events if e["kind"] == "frame_late" and e["t_ms"] >= started),
        "frames_during_call": sum(1 for e in events if e["kind"] == "frame" and e["t_ms"] >= started),
        "rss_mb": rss_over([e for e in events if e["t_ms"] >= started]),
    }


def run_tutor_bench(
    show: Path, utterances: int = 8, quick: bool = False, say: Callable[[str], None] = print
) -> dict[str, Any]:
    """Both parts, with the seed's timeline beside them."""
    say("corrections, typed and through the ears (the learner set, ERRANT)...")
    ears = corrections_through_the_ears(show, say=say)
    say(f"a lesson over WebRTC ({utterances} utterances)...")
    lesson = lesson_over_webrtc(show, utterances, quick)
    return {"seed_timeline_ms": dict(SEED_TIMELINE_MS), "corrections": ears, "lesson": lesson}
