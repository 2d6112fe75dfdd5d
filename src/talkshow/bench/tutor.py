"""``talkshow bench tutor``: the tutor as a learner meets it, against the seed's timeline.

Two parts, both from a cold start:

- **Corrections through the ears.** Every labelled learner sentence (``assets/tutor``) is said by
  espeak-ng in voices no character has, 20 dB over white noise, heard by the tutor show's ears
  (with its learner prompt, and without it for comparison) and checked: precision and recall
  against the labels, and the words asked about instead of corrected.
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
from talkshow.core.kinds.hearing import SpeechToText
from talkshow.show_file import read_show
from talkshow.talk.settings import TalkSettings
from talkshow.testing.talk_client import CallerClip, TalkClient
from talkshow.tutor.checker import GrammarChecker
from talkshow.tutor.scoring import LabelledSentence, Score, labelled_sentences, score_sentence
from talkshow.tutor.settings import TutorSettings

__all__ = ["SEED_TIMELINE_MS", "corrections_through_the_ears", "lesson_over_webrtc", "run_tutor_bench"]

# The seed's tutor ("Hello, nice to meet you."; 004 in the user's notes), from the end of the learner's speech.
SEED_TIMELINE_MS = {"stt": 614, "reply_text_on_page": 5000, "first_audio": 8670, "whole_reply_voiced": 15650}
POLL_S = 0.02
TIMES = ("reply_text_on_page_ms", "first_audio_ms", "whole_reply_voiced_ms")


def _score_ears(
    stt: SpeechToText, checker: GrammarChecker, sentences: list[LabelledSentence], floor: float, snr_db: float
) -> dict[str, Any]:
    score, asked, differed, ms = Score(), 0, 0, []
    for index, sentence in enumerate(sentences):
        clip = caller_speech(sentence.text, CALLERS[index % len(CALLERS)], snr_db, seed=index)
        heard = stt.transcribe(clip.samples, 48_000)
        ms.append(heard.ms)
        differed += _plain(heard.text) != _plain(sentence.text)
        check = checker.check(heard.text, heard.heard_words, floor)
        asked += len(check.unsure)
        score_sentence(sentence, list(check.findings), score)
    return {
        "precision": round(score.precision, 3),
        "recall": round(score.recall, 3),
        "found": score.found,
        "missed": score.missed,
        "false": score.false,
        "asked_about": asked,
        "heard_differently": differed,
        "by_kind": {k: {"found": v[0], "missed": v[1]} for k, v in sorted(score.by_kind.items())},
        "stt_ms": stats(ms),
    }


def _plain(text: str) -> str:
    return " ".join("".join(c for c in text.lower() if c.isalnum() or c in " '").split())


def corrections_through_the_ears(show: Path, snr_db: float = 20.0) -> dict[str, Any]:
    """The labelled set spoken and heard: with the tutor show's ears settings, and with the default ears."""
    from talkshow.talk.providers import make_stt

    config, _ = read_show(show)
    talk, floor = config.section(TalkSettings), config.section(TutorSettings).confidence_floor
    checker, sentences = GrammarChecker(), labelled_sentences()
    typed = Score()
    for sentence in sentences:
        score_sentence(sentence, list(checker.check(sentence.text).findings), typed)
    out: dict[str, Any] = {
        "sentences": len(sentences),
        "errors": sum(len(s.errors) for s in sentences),
        "snr_db": snr_db,
        "typed": {"precision": round(typed.precision, 3), "recall": round(typed.recall, 3)},
    }
    for name, settings in (("tutor_ears", talk), ("default_ears", TalkSettings())):
        stt = make_stt(settings)
        try:
            out[name] = _score_ears(stt, checker, sentences, floor, snr_db)
        finally:
            close = getattr(stt, "close", None)
            if callable(close):
                close()
    return out


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
    say("corrections through the ears (the labelled set, spoken)...")
    ears = corrections_through_the_ears(show)
    say(f"a lesson over WebRTC ({utterances} utterances)...")
    lesson = lesson_over_webrtc(show, utterances, quick)
    return {"seed_timeline_ms": dict(SEED_TIMELINE_MS), "corrections": ears, "lesson": lesson}
