"""``talkshow bench``: the standard scenarios, talk mode and phone calls, measured."""

from __future__ import annotations

import argparse

from rich.console import Console

from talkshow.cli.common import console
from talkshow.core.errors import TalkshowError

__all__ = ["bench"]


def bench(args: argparse.Namespace) -> int:
    import json

    from talkshow.bench.measure import SCENARIOS
    from talkshow.bench.runner import run_bench

    if args.suite == "talk":
        return bench_talk(args)
    if args.suite == "phone":
        return bench_phone(args)
    if args.suite == "brain":
        return bench_brain(args)
    if args.suite == "moderation":
        return bench_moderation(args)
    if args.suite == "tutor":
        return bench_tutor(args)
    if args.suite == "writer":
        return bench_writer(args)
    unknown = [name for name in args.scenario or () if name not in SCENARIOS]
    if unknown:
        raise TalkshowError(f"unknown scenario {unknown[0]!r}; choose from {', '.join(SCENARIOS)}")
    results = run_bench(args.quick, Console(), args.scenario)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
        console.print(f"wrote [bold]{args.json}[/]")
    return 0


def bench_brain(args: argparse.Namespace) -> int:
    """Ask the question set of each brain in ``--brains`` and score the answers."""
    import json
    from pathlib import Path

    from talkshow.bench.brain import BRAIN_KINDS, run_brain_bench
    from talkshow.llm.models import BRAINS, brain_file

    runs: list[tuple[str, str, Path | None]] = []
    for spec in args.brains.split(","):
        model, _, kind = spec.strip().partition("/")
        if model in ("rules", "knowledge"):
            runs.append((model, model, None))
            continue
        if kind not in BRAIN_KINDS or kind in ("rules", "knowledge"):
            raise TalkshowError(
                f"--brains {spec!r}: use rules, knowledge, or MODEL/KIND with KIND one of transcript, chat, hybrid, "
                "knowledge-hybrid"
            )
        path = brain_file(model) if model in BRAINS else Path(model)
        runs.append((spec.strip(), kind, path))
    results = run_brain_bench(runs, args.spoken, console.print)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
        console.print(f"wrote [bold]{args.json}[/]")
    return 0


def bench_writer(args: argparse.Namespace) -> int:
    """The offline writer on the dev and test topics, 20 turns each: grammar findings, repeats, variety, facts."""
    import json

    from talkshow.bench.writer import run_writer_bench

    results = run_writer_bench(console.print)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
        console.print(f"wrote [bold]{args.json}[/]")
    return 0


def bench_moderation(args: argparse.Namespace) -> int:
    """The labelled lines through stage 1 alone and through the default gate; per-category figures."""
    import json

    from talkshow.bench.moderation import run_moderation_bench

    judges = tuple(name.strip() for name in args.judges.split(",") if name.strip())
    results = run_moderation_bench(console.print, judges)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
        console.print(f"wrote [bold]{args.json}[/]")
    return 0


def bench_talk(args: argparse.Namespace) -> int:
    import json

    from rich.table import Table

    from talkshow.bench.talk import run_talk_bench

    if not 1 <= args.utterances <= 100:
        raise TalkshowError(f"--utterances must be 1-100, got {args.utterances}")
    if not 0 <= args.barge_ins <= 50:
        raise TalkshowError(f"--barge-ins must be 0-50, got {args.barge_ins}")
    runs = {}
    plan: list[tuple[str, float | None, str]] = [("embedded", None, "")]
    if args.embedded_brain:
        plan.append((f"embedded_brain_{args.embedded_brain}", None, args.embedded_brain))
    if not args.embedded_only:
        plan.append((f"llm_{args.llm_delay:g}s", args.llm_delay, ""))
    for label, delay, brain in plan:
        console.print(f"[bold]talk bench[/]: {label} ({args.utterances} utterances)")
        runs[label] = result = run_talk_bench(
            args.utterances, delay, args.quick, args.barge_ins, args.turn_model, brain
        )
        table = Table("measure", "median ms", "p90 ms", "n")
        measures = ("voice_to_voice_ms", "mouth_minus_audio_ms", "encoded_mouth_minus_reply_audio_frames")
        for name in (*measures, "barge_in_silent_ms", "barge_in_server_cut_ms"):
            row = result[name]
            table.add_row(name, str(row.get("median", "-")), str(row.get("p90", "-")), str(row["n"]))
        for name, row in {**result["server_stages_ms"], "llm_first_token_ms": result["llm_first_token_ms"]}.items():
            table.add_row(f"server: {name}", str(row.get("median", "-")), str(row.get("p90", "-")), str(row["n"]))
        console.print(table)
        late, frames = result["late_frames_during_call"], result["frames_during_call"]
        fallbacks = result["fallback_replies"]
        console.print(f"late frames during the call: {late} of {frames}; fallback replies: {fallbacks}")
        console.print(f"turn ends ({result['turn_model']}): {result['turn_ends']}")
    if args.json:
        args.json.write_text(json.dumps(runs, indent=2) + "\n")
        console.print(f"wrote [bold]{args.json}[/]")
    return 0


def bench_phone(args: argparse.Namespace) -> int:
    import json

    from rich.table import Table

    from talkshow.bench.phone import run_phone_bench

    if not 1 <= args.utterances <= 100 or not 0 <= args.barge_ins <= 50 or not 0 <= args.minutes <= 120:
        raise TalkshowError("--utterances must be 1-100, --barge-ins 0-50 and --minutes 0-120")
    transports = ("twilio", "audiosocket") if args.transport == "both" else (args.transport,)
    console.print(
        f"[bold]phone bench[/]: {', '.join(transports)} ({args.utterances} questions, {args.barge_ins} barge-ins; "
        f"replies from {args.embedded_brain or 'the rules'})"
    )
    result = run_phone_bench(transports, args.utterances, args.barge_ins, args.minutes, args.quick, args.embedded_brain)
    for transport in transports:
        run = result[transport]
        table = Table(f"{transport}: measure", "median ms", "p90 ms", "n")
        for name in (
            "voice_to_voice_played_ms",
            "voice_to_voice_arrived_ms",
            "barge_in_silent_ms",
            "barge_in_clear_ms",
            "barge_in_server_cut_ms",
        ):
            row = run[name]
            table.add_row(name, str(row.get("median", "-")), str(row.get("p90", "-")), str(row["n"]))
        for name, row in {**run["server_stages_ms"], "llm_first_token_ms": run["llm_first_token_ms"]}.items():
            table.add_row(f"server: {name}", str(row.get("median", "-")), str(row.get("p90", "-")), str(row["n"]))
        console.print(table)
        late = f"{run['late_frames']} late frames of {run['frames']}"
        console.print(f"{run['call_seconds']} s call, {run['exchanges']} exchanges: {late}; server RSS {run['rss_mb']}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
        console.print(f"wrote [bold]{args.json}[/]")
    return 0


def bench_tutor(args: argparse.Namespace) -> int:
    """The tutor: its corrections through the ears, and a lesson's times against the seed's."""
    import json
    from pathlib import Path

    from rich.table import Table

    from talkshow.bench.tutor import run_tutor_bench

    show = args.show or Path("shows/tutor.toml")
    if not show.is_file():
        raise TalkshowError(f"--show {show}: no such tutor show file (run from the repository, or give --show)")
    if not 1 <= args.utterances <= 50:
        raise TalkshowError("--utterances must be 1-50")
    result = run_tutor_bench(show, args.utterances, args.quick, console.print)
    corrections = result["corrections"]
    table = Table("learner set (ERRANT, span level)", "precision", "recall", "F0.5", "tp / fp / fn", "types")
    for half, run in corrections["typed"].items():
        table.add_row(f"typed, {half} half", str(run["p"]), str(run["r"]), str(run["f0.5"]),
                      f"{run['tp']} / {run['fp']} / {run['fn']}", str(run["types"]))  # fmt: skip
    for run in corrections["spoken_test_half"]:
        gec = run["errant_through_the_ears"]
        table.add_row(f"spoken, {run['ears']}", str(gec["p"]), str(gec["r"]), str(gec["f0.5"]),
                      f"{gec['tp']} / {gec['fp']} / {gec['fn']}", str(gec["types"]))  # fmt: skip
    console.print(table)
    for run in corrections["spoken_test_half"]:
        console.print(f"{run['ears']}: heard as said {run['heard_as_said']}; "
                      f"errors surviving hearing {run['errors_surviving_hearing']}")  # fmt: skip
    by_type = Table("ERRANT type (typed, test half)", "F0.5", "recall", "tp / fp / fn")
    for kind, count in corrections["typed"]["test"]["by_type"].items():
        by_type.add_row(kind, str(count["f0.5"]), str(count["r"]), f"{count['tp']} / {count['fp']} / {count['fn']}")
    console.print(by_type)
    timeline = Table("from the learner's last word", "median ms", "p90 ms", "n", "the seed")
    seed = result["seed_timeline_ms"]
    for name, seed_key in (("reply_text_on_page_ms", "reply_text_on_page"), ("first_audio_ms", "first_audio"),
                           ("whole_reply_voiced_ms", "whole_reply_voiced")):  # fmt: skip
        row = result["lesson"].get(name, {"n": 0})
        timeline.add_row(
            name, str(row.get("median", "-")), str(row.get("p90", "-")), str(row["n"]), str(seed[seed_key])
        )
    console.print(timeline)
    lesson = result["lesson"]
    console.print(
        f"{lesson['late_frames_during_call']} late frames of {lesson['frames_during_call']} during the lesson"
    )
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
        console.print(f"wrote [bold]{args.json}[/]")
    return 0
