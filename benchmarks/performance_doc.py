"""Writes docs/performance.md from the JSON that talkshow's benchmarks wrote: every figure on that page
comes from one of these files, and the page names the commit, the date and the machine they ran on.

    .venv/bin/talkshow bench --json out/bench.json
    .venv/bin/talkshow bench talk --utterances 8 --barge-ins 4 --json out/talk.json
    .venv/bin/talkshow bench phone --utterances 8 --barge-ins 4 --json out/phone.json
    .venv/bin/talkshow bench phone --transport twilio --minutes 30 --utterances 6 --barge-ins 3 --json out/soak.json
    .venv/bin/talkshow bench tutor --json out/tutor.json
    .venv/bin/python benchmarks/performance_doc.py out/ > docs/performance.md

``--only tutor`` (or ``bench``, or ``memory``) prints that one section (with its own commit and date), to add
a new measurement to the page without rerunning the others.

A missing file leaves its section out (and says so); nothing is copied by hand.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

COMMANDS = {
    "bench": "talkshow bench --json bench.json",
    "talk": "talkshow bench talk --utterances 8 --barge-ins 4 --json talk.json",
    "phone": "talkshow bench phone --utterances 8 --barge-ins 4 --json phone.json",
    "soak": "talkshow bench phone --transport twilio --minutes 30 --utterances 6 --barge-ins 3 --json soak.json",
    "tutor": "talkshow bench tutor --json tutor.json",
    "memory": "python benchmarks/memory_parts.py --station --seconds 90 --json memory.json",
}


def machine() -> str:
    """Cores, memory and CPU model of this machine."""
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        meminfo = Path("/proc/meminfo").read_text().splitlines()
        memory_kb = next(int(line.split()[1]) for line in meminfo if line.startswith("MemTotal"))
    except (OSError, StopIteration, ValueError):
        memory_kb = 0
    return f"{os.cpu_count()} cores ({model or platform.processor() or 'unknown CPU'}), {memory_kb / 2**20:.0f} GiB"


def commit() -> str:
    """The commit the benchmarks ran on (and whether the tree had changes)."""
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "src"], capture_output=True, text=True).stdout.strip()
    return head + (" (with uncommitted changes in src/)" if dirty else "")


def row(stats: dict[str, Any]) -> str:
    """A median / p90 (n) cell."""
    if not stats or not stats.get("n"):
        return "-"
    return f"{stats['median']:.0f} / {stats['p90']:.0f} (n={stats['n']})"


def show_section(bench: dict[str, Any]) -> list[str]:
    lines = [
        "## The show: `talkshow bench` (1080p30)",
        "",
        f"`{COMMANDS['bench']}`{' (--quick)' if bench.get('quick') else ''}. Each scenario runs in fresh processes, "
        "each from an empty speech cache, so every line is written and voiced: offline (compose and encode),",
        "live (paced, the real engine) and the seed-style baseline (libvips layers over a JPEG, JPEG-encoded,",
        "with its 256-frame cache).",
        "",
        "| scenario | frames | compose p50 / p99 / max ms | baseline p50 / p99 ms | p99 ratio | encode fps | "
        "offline x real time | late / live frames | CPU cores (live) | peak RSS MB |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, ours in bench["scenarios"].items():
        base, compose = bench["baseline"][name], ours["compose_ms"]
        lines.append(
            f"| {name} | {ours['frames']} | {compose['p50']} / {compose['p99']} / {compose['max']} | "
            f"{base['compose_ms']['p50']} / {base['compose_ms']['p99']} | {bench['ratio'][name]}x | "
            f"{ours['encode_fps']} | {ours['realtime_factor']} | {ours['late_frames']} / {ours['live_frames']} | "
            f"{ours['cpu_cores']} | {ours['peak_rss_mb']:.0f} |"
        )
    return [*lines, ""]


def talk_section(talk: dict[str, Any]) -> list[str]:
    lines = [
        "## Talk mode: `talkshow bench talk` (WebRTC caller)",
        "",
        f"`{COMMANDS['talk']}`. A real serve in its own process; an aiortc caller speaks espeak questions in voices no",
        "character has, with noise 20 dB down, and measures at its end. Median / p90 (n), milliseconds.",
        "",
        "| run | voice to voice | mouth - audio | barge-in silent | late / frames in the call | "
        "server RSS start -> end MB |",
        "|---|---|---|---|---|---|",
    ]
    for label, run in talk.items():
        rss = run.get("rss_mb") or {}
        memory = f"{rss.get('start', '-')} -> {rss.get('end', '-')}" if rss else "-"
        lines.append(
            f"| {label} ({run['resolution']}) | {row(run['voice_to_voice_ms'])} | {row(run['mouth_minus_audio_ms'])} | "
            f"{row(run['barge_in_silent_ms'])} | {run['late_frames_during_call']} / {run['frames_during_call']} | "
            f"{memory} |"
        )
    lines += ["", "Server stages of each exchange (from the end of the caller's speech), median / p90 (n) ms:", ""]
    lines += ["| run | " + " | ".join(next(iter(talk.values()))["server_stages_ms"]) + " |"]
    lines += ["|---" * (1 + len(next(iter(talk.values()))["server_stages_ms"])) + "|"]
    for label, run in talk.items():
        lines.append(f"| {label} | " + " | ".join(row(v) for v in run["server_stages_ms"].values()) + " |")
    return [*lines, ""]


def phone_section(phone: dict[str, Any], title: str, command: str) -> list[str]:
    lines = [
        title,
        "",
        f"`{command}`. A real serve at {phone['resolution']}; this process is the platform (a "
        f"{phone['playout_buffer_ms']} ms playout buffer, marks, clear). Median / p90 (n), milliseconds.",
        "",
        "| transport | call s | exchanges | voice to voice, played | barge-in silent | clear at the platform | "
        "late / frames | server RSS start -> end (max) MB |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for transport in ("twilio", "audiosocket"):
        run = phone.get(transport)
        if run is None:
            continue
        rss = run.get("rss_mb") or {}
        memory = f"{rss['start']} -> {rss['end']} ({rss['max']})" if rss else "-"
        lines.append(
            f"| {transport} | {run['call_seconds']} | {run['exchanges']} | {row(run['voice_to_voice_played_ms'])} | "
            f"{row(run['barge_in_silent_ms'])} | {row(run['barge_in_clear_ms'])} | "
            f"{run['late_frames']} / {run['frames']} | {memory} |"
        )
    return [*lines, ""]


def tutor_section(tutor: dict[str, Any]) -> list[str]:
    """The tutor against the seed's timeline, and its corrections through the ears."""
    lesson, corrections, seed = tutor["lesson"], tutor["corrections"], tutor["seed_timeline_ms"]
    out = [
        "## The English tutor: `talkshow bench tutor`",
        "",
        f"`{COMMANDS['tutor']}`. A real serve of `shows/tutor.toml` at {lesson['resolution']}; an aiortc learner says "
        f"{lesson['utterances']} sentences with errors (espeak voices no character has, noise 20 dB down). From the "
        "learner's last voiced sample, median / p90 (n) ms, beside the seed's tutor (004 in the user's notes, one "
        'utterance: "Hello, nice to meet you.").',
        "",
        "| from the learner's last word | talkshow | the seed |",
        "|---|---|---|",
    ]
    for name, key in (("reply text on the page", "reply_text_on_page"), ("first audio at the learner", "first_audio"),
                      ("the whole reply voiced", "whole_reply_voiced")):  # fmt: skip
        out.append(f"| {name} | {row(lesson[key + '_ms'])} | {seed[key]} |")
    late = f"{lesson['late_frames_during_call']} late of {lesson['frames_during_call']} frames during the lesson"
    out += ["", f"The seed's STT alone took {seed['stt']} ms. {late}.", ""]
    out += [
        "Corrections on the learner set, scored with ERRANT (span level; the dev half tuned on, the test half only "
        f"reported); spoken: the test half at {corrections['snr_db']:g} dB SNR, heard by the ears, then checked:",
        "",
        "| | precision | recall | F0.5 | tp / fp / fn | heard as said | errors surviving hearing |",
        "|---|---|---|---|---|---|---|",
    ]
    for half, run in corrections["typed"].items():
        out.append(f"| typed, {half} half | {run['p']} | {run['r']} | {run['f0.5']} | "
                   f"{run['tp']} / {run['fp']} / {run['fn']} | | |")  # fmt: skip
    for run in corrections["spoken_test_half"]:
        gec = run["errant_through_the_ears"]
        out.append(f"| spoken, {run['ears']} | {gec['p']} | {gec['r']} | {gec['f0.5']} | "
                   f"{gec['tp']} / {gec['fp']} / {gec['fn']} | {run['heard_as_said']} | "
                   f"{run['errors_surviving_hearing']} |")  # fmt: skip
    out.append("")
    return out


def memory_section(memory: dict[str, Any], talk: dict[str, Any] | None) -> list[str]:
    """Where the show's memory goes (the station as serve builds it), and a call's, children included."""
    out = [
        "## Where the memory goes",
        "",
        f"`{COMMANDS['memory']}`. The station built as `talkshow serve` builds it, from a cold speech cache, at 1080p;",
        "each row is what that step added to the process's resident memory. glibc reuses freed heap, so a row moves",
        "by tens of MB from run to run (a voice loaded while the prompts are spoken, or on air); the peak does less.",
        "",
        "| step | MB |",
        "|---|---|",
        *[f"| {r['part']} | {r['mb']:.1f} |" for r in memory["rows"]],
        f"| **peak of the show's process** | **{memory['peak_process_mb']:.1f}** |",
        f"| its children (the speech-to-text and the forced aligner) | {memory['children_mb']:.1f} |",
        "",
    ]
    if talk is not None:
        out += [
            f"A call, from `{COMMANDS['talk']}`: the server's peak, and with its model processes (the speech-to-text",
            "child, and the embedded brain's llama.cpp server where one answers), MB:",
            "",
            "| run | server peak | with model processes |",
            "|---|---|---|",
            *[
                f"| {name} | {run['rss_mb']['max']:.1f} | {run['rss_mb']['max_with_model_processes']:.1f} |"
                for name, run in talk.items()
                if isinstance(run, dict) and run.get("rss_mb")
            ],
            "",
        ]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="where bench.json, talk.json, phone.json and soak.json are")
    parser.add_argument(
        "--only", choices=("bench", "tutor", "memory"), help="print only this section, with its commit and date"
    )
    args = parser.parse_args()
    if args.only:
        path = args.folder / f"{args.only}.json"
        stamp = datetime.fromtimestamp(path.stat().st_mtime, UTC)
        talk = args.folder / "talk.json"
        loaded = json.loads(path.read_text())
        if args.only == "memory":
            lines = memory_section(loaded, json.loads(talk.read_text()) if talk.is_file() else None)
        elif args.only == "bench":
            lines = show_section(loaded)
        else:
            lines = tutor_section(loaded)
        lines.insert(1, f"\n(commit {commit()}, {stamp:%Y-%m-%d %H:%M} UTC, {machine()})")
        sys.stdout.write("\n".join(lines))
        return
    found = {name: args.folder / f"{name}.json" for name in COMMANDS}
    data = {name: json.loads(path.read_text()) for name, path in found.items() if path.is_file()}
    stamp = datetime.fromtimestamp(max(p.stat().st_mtime for p in found.values() if p.is_file()), UTC)
    out = [
        "# Performance",
        "",
        "Generated by `benchmarks/performance_doc.py` from the benchmarks' own JSON; every figure here comes from",
        "one of the commands named in its section. Rerun them to check (`.venv/bin/` in front of each).",
        "",
        f"- commit: {commit()}",
        f"- date: {stamp:%Y-%m-%d %H:%M} UTC",
        f"- machine: {machine()}, {platform.system()} {platform.release()}, Python {platform.python_version()};"
        " shared with other work, so figures are noisy: medians and p90 are quoted, and ratios come from one run",
        "",
    ]
    if "bench" in data:
        out += show_section(data["bench"])
    if "talk" in data:
        out += talk_section(data["talk"])
    if "phone" in data:
        out += phone_section(data["phone"], "## Phone calls: `talkshow bench phone`", COMMANDS["phone"])
    if "soak" in data:
        out += phone_section(data["soak"], "## A 30-minute call: memory and lateness", COMMANDS["soak"])
    if "tutor" in data:
        out += tutor_section(data["tutor"])
    if "memory" in data:
        out += memory_section(data["memory"], data.get("talk"))
    missing = [f"`{COMMANDS[name]}`" for name in COMMANDS if name not in data]
    if missing:
        out += ["## Not measured for this page", "", *[f"- {command}" for command in missing], ""]
    sys.stdout.write("\n".join(out))


if __name__ == "__main__":
    main()
