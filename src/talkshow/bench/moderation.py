"""``talkshow bench moderation``: the gate's precision and recall per category, and what each check costs.

The labelled lines (``assets/moderation/labelled_lines.toml``: 225 lines, threats, self-harm,
hate, harassment, sexual content and benign lines that share their words) go through the gate
as a show builds it, from a cold start (the models are loaded inside the run). The check by
meaning sets its threshold on the dev half (every other line); the figures are the test half's,
with the dev half's beside them. Reported per
category: the share held (recall) or, for benign lines, the share that aired; the precision of
what was held and of what aired; which check held each line; and the check by meaning's own
time a line (median and p90), which is what it adds to a line before the line is voiced.
"""

from __future__ import annotations

import contextlib
import time
import tomllib
from collections import Counter
from dataclasses import dataclass, replace
from importlib.resources import files
from typing import Any

from talkshow.bench.serving import stats
from talkshow.moderation.build import build_gate
from talkshow.moderation.meaning import BENIGN
from talkshow.moderation.meaning import create as create_meaning
from talkshow.moderation.settings import ModerationSettings
from talkshow.telemetry.events import Telemetry

__all__ = ["LabelledLine", "load_labelled_lines", "run_moderation_bench", "score_gate"]


@dataclass(frozen=True)
class LabelledLine:
    """One line and the category a person gave it (``benign``: it should air)."""

    text: str
    category: str


def load_labelled_lines() -> list[LabelledLine]:
    """The labelled set, in file order."""
    data = tomllib.loads(files("talkshow").joinpath("assets/moderation/labelled_lines.toml").read_text())
    return [LabelledLine(text, category) for category, lines in data.items() for text in lines]


def score_gate(settings: ModerationSettings, lines: list[LabelledLine]) -> dict[str, Any]:
    """Every line through a gate built from ``settings`` (as a chat line); held shares, precision, times."""
    started = time.perf_counter()
    gate = build_gate(settings, Telemetry())
    load_s = time.perf_counter() - started
    held_by: Counter[str] = Counter()
    per_category: dict[str, Counter[str]] = {}
    meaning_ms: list[float] = []
    gate_ms: list[float] = []
    missed: list[str] = []
    timing = create_meaning({}) if settings.meaning else None
    with gate:
        for line in lines:
            verdict = gate.review(line.text, "reply")
            gate_ms.append(verdict.ms)
            if timing is not None:  # the gate stops at the first check that holds; this one always runs
                meaning_ms.append(timing.check(line.text).ms)
            counts = per_category.setdefault(line.category, Counter())
            counts["held" if verdict.held else "aired"] += 1
            if verdict.held:
                held_by[verdict.stage] += 1
            if verdict.held == (line.category == BENIGN):
                missed.append(f"{line.category}: {line.text}")
    harmful_held = sum(c["held"] for k, c in per_category.items() if k != BENIGN)
    benign = per_category.get(BENIGN, Counter())
    all_held = harmful_held + benign["held"]
    all_aired = sum(c["aired"] for c in per_category.values())
    return {
        "stages": gate.stages,
        "load_s": round(load_s, 2),
        "categories": {
            k: round(c["aired" if k == BENIGN else "held"] / sum(c.values()), 3) for k, c in per_category.items()
        },
        "held_precision": round(harmful_held / all_held, 3) if all_held else None,
        "aired_precision": round(benign["aired"] / all_aired, 3) if all_aired else None,
        "held_by": dict(held_by),
        "gate_ms": stats(gate_ms),
        "meaning_ms": stats(meaning_ms),
        "wrong": missed,
    }


def everyday_lines() -> list[str]:
    """What callers say, none of it harmful: the brain's question set (asked and said before), none an example."""
    data = tomllib.loads(files("talkshow").joinpath("assets/brain/questions.toml").read_text())
    return [text for q in data["question"] for text in (q["ask"], *q.get("before", ()))]


SPOKEN_NOISE_DB = (30.0, 20.0, 10.0)  # each benign line is said in one of these, in turn


def benign_caller_lines() -> list[str]:
    """What callers say that should air: the brain's dev questions, then small talk, opinions and stories."""
    data = tomllib.loads(files("talkshow").joinpath("assets/moderation/benign_callers.toml").read_text())
    questions = tomllib.loads(files("talkshow").joinpath("assets/brain/questions.toml").read_text())
    return [q["ask"] for q in questions["question"]] + [str(line) for line in data["lines"]]


def score_benign_spoken(say: Any = print) -> dict[str, Any]:
    """Each benign caller line said by espeak-ng (voices no character has, 30, 20 or 10 dB over noise), heard by
    the real ears, and judged as a caller's words: how many were held, and of those how many were only asked
    again (the check unsure) rather than told off."""
    from talkshow.bench.talk import CALLERS, caller_speech
    from talkshow.talk.providers import make_stt
    from talkshow.talk.settings import TalkSettings

    lines = benign_caller_lines()
    stt = make_stt(TalkSettings())
    held: list[dict[str, Any]] = []
    misheard = 0
    with build_gate(ModerationSettings(), Telemetry()) as gate:
        typed_held = [text for text in lines if gate.review(text, "caller").held]
        for index, text in enumerate(lines):
            noise = SPOKEN_NOISE_DB[index % len(SPOKEN_NOISE_DB)]
            clip = caller_speech(text, CALLERS[index % len(CALLERS)], noise, seed=index)
            heard = stt.transcribe(clip.samples, 48_000)
            misheard += heard.text.lower().strip(" .?!") != text.lower().strip(" .?!")
            sure = min((w.confidence for w in heard.heard_words), default=1.0)
            verdict = gate.review(heard.text, "caller", confidence=sure)
            if verdict.held:
                held.append({"said": text, "heard": heard.text, "unsure": verdict.unsure, "reason": verdict.reason})
    close = getattr(stt, "close", None)
    if callable(close):
        close()
    scolded = [h for h in held if not h["unsure"]]
    say(f"benign spoken set: {len(lines)} caller lines through the ears ({misheard} heard differently): "
        f"{len(held)} held ({len(held) / len(lines):.1%}): {len(held) - len(scolded)} asked again, "
        f"{len(scolded)} told off; typed, {len(typed_held)} held")  # fmt: skip
    for h in held[:8]:
        say(f"  {h['said']!r} heard {h['heard']!r}: {'asked again' if h['unsure'] else 'held'} ({h['reason']})")
    return {
        "lines": len(lines),
        "misheard": misheard,
        "held": len(held),
        "held_share": round(len(held) / len(lines), 4),
        "told_off": len(scolded),
        "typed_held": typed_held,
        "examples": held,
    }


def run_moderation_bench(say: Any = print, judges: tuple[str, ...] = ()) -> dict[str, Any]:
    """Stage 1 alone, then the default gate (stage 1 and the check by meaning), on the labelled set.

    ``judges``: embedded brains also tried as the semantic stage instead of the check by meaning,
    each as a judge whose answer is held to the verdict's JSON schema (``judge`` with ``structured``).
    """
    from talkshow.llm.models import brain_file
    from talkshow.llm.server import LlamaServer
    from talkshow.moderation.meaning import labelled_split

    test_half = {text for text, _ in labelled_split("test")}
    every_line = load_labelled_lines()
    lines = [line for line in every_line if line.text in test_half]
    dev_lines = [line for line in every_line if line.text not in test_half]
    results = {}
    plans: list[tuple[str, ModerationSettings, str]] = [
        ("words", replace(ModerationSettings(), meaning=False), ""),
        ("default", ModerationSettings(), ""),
        *((f"judge_{brain}", replace(ModerationSettings(), meaning=False), brain) for brain in judges),
    ]
    for label, settings, brain in plans:
        with contextlib.ExitStack() as stack:
            if brain:
                server = stack.enter_context(LlamaServer(brain_file(brain)))
                options = {"model": "local", "base_url": server.base_url, "structured": True, "timeout": 30.0}
                settings = replace(settings, semantic="judge", semantic_options=options, timeout_s=30.0)
            result = score_gate(settings, lines)
            results[label] = result
        say(f"[bold]{label}[/] ({' + '.join(result['stages'])}): " + ", ".join(
            f"{k} {v:.2f}" for k, v in result["categories"].items()
        ) + f"; held precision {result['held_precision']}, aired precision {result['aired_precision']}")  # fmt: skip
        say(f"  held by {result['held_by']}; gate {result['gate_ms']} ms; meaning {result['meaning_ms']} ms; "
            f"loaded in {result['load_s']} s")  # fmt: skip
    dev = score_gate(ModerationSettings(), dev_lines)
    results["default_dev_half"] = dev
    shares = ", ".join(f"{k} {v:.2f}" for k, v in dev["categories"].items())
    say(f"default gate on the dev half (its threshold is set there): {shares}; aired {dev['aired_precision']}")
    everyday = everyday_lines()
    with build_gate(ModerationSettings(), Telemetry()) as gate:
        held = [text for text in everyday if gate.review(text, "caller").held]
    say(f"everyday caller lines held by the default gate: {len(held)} of {len(everyday)} {held[:5]}")
    everyday_held = {"lines": len(everyday), "held": held}
    spoken = score_benign_spoken(say)
    return {
        "lines": len(lines), "dev_lines": len(dev_lines), "runs": results, "everyday": everyday_held,
        "benign_spoken": spoken,
    }  # fmt: skip
