"""The other commands: render, report, characters, voices, providers, lipsync."""

from __future__ import annotations

import argparse
import sys

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from talkshow.cli.common import console, show_config
from talkshow.core.errors import TalkshowError

__all__ = ["characters", "import_character", "lipsync", "providers", "render", "report", "voices"]


def render(args: argparse.Namespace) -> int:
    from talkshow.station.render import render_show
    from talkshow.telemetry.events import JsonlSink, Telemetry

    config = show_config(args)
    telemetry = Telemetry()
    sink = JsonlSink(args.trace) if args.trace else None
    if sink is not None:
        telemetry.add_sink(sink)
    columns = (
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[info]}"),
        TimeElapsedColumn(),
    )
    try:
        with Progress(*columns, console=console, transient=False) as bar:
            task = bar.add_task("turns", total=config.turns, info="starting")

            def on_progress(frames: int, turns_done: int, turns: int) -> None:
                if frames % 15 == 0:
                    bar.update(
                        task,
                        completed=min(turns_done, turns),
                        info=f"{frames} frames, {frames / config.video.fps:.1f} s",
                    )

            result = render_show(config, args.output, telemetry, on_progress)
            bar.update(task, completed=config.turns, info=f"{result.frames} frames")
    finally:
        if sink is not None:
            sink.close()
    console.print(
        f"wrote [bold]{result.path}[/]: {result.seconds:.1f} s, {result.turns} turns, "
        f"{result.fps:.1f} fps rendered ({result.realtime_factor:.2f}x real time)"
    )
    return 0


def report(args: argparse.Namespace) -> int:
    from talkshow.report.analysis import load_trace, summarize
    from talkshow.report.html import write_html
    from talkshow.report.text import print_report

    try:
        summary = summarize(load_trace(args.trace))
    except FileNotFoundError as exc:
        raise TalkshowError(f"no trace at {args.trace}") from exc
    except (ValueError, KeyError) as exc:
        raise TalkshowError(f"{args.trace} is not a talkshow trace: {exc}") from exc
    print_report(summary, Console())
    if args.html:
        write_html(summary, args.html, str(args.trace))
        console.print(f"wrote [bold]{args.html}[/]")
    return 0


def characters(args: argparse.Namespace) -> int:
    from talkshow.characters.layered import is_layered, load_layered_pack
    from talkshow.characters.pack import list_packs, load_pack

    for name, folder in list_packs().items():
        pack = load_layered_pack(folder) if is_layered(folder) else load_pack(folder)
        print(f"{name:12} {pack.name:12} {pack.description}  ({folder})")
    return 0


def import_character(args: argparse.Namespace) -> int:
    from talkshow.characters.importing import import_avatar
    from talkshow.characters.layered import load_layered_pack
    from talkshow.characters.pack import user_packs_dir

    folder = import_avatar(args.file, args.packs or user_packs_dir(), args.id, args.name, args.replace)
    pack = load_layered_pack(folder)
    moving = sum(1 for s in pack.sprites if any(s.wobble[i] for i in (0, 2)) or s.drag_s or s.frames > 1)
    mouths = f"{len(set(pack.mouths.values()) - {''})} mapped mouths" if pack.mouths else "a two-state mouth"
    print(f"imported {args.file.name} as {folder.name!r}: {len(pack.sprites)} sprites ({moving} moving), {mouths}")
    print(f"  {folder}")
    print(f"  use it: talkshow serve --cast {folder.name},duke")
    return 0


def voices(args: argparse.Namespace) -> int:
    from talkshow.config import default_cast
    from talkshow.voice.registry import engine_availability

    print("Default cast voices:")
    for member in default_cast():
        v = member.voice
        fallback = f"  (fallback {v.fallback.describe()})" if v.fallback else ""
        print(f"  {member.id:10} {v.describe()} pitch={v.pitch} rate={v.rate}{fallback}")
    for name, state in engine_availability().items():
        if state.reason:
            print(f"\n{name}: unavailable: {state.reason}")
        else:
            print(f"\n{name} ({state.version}): available")
        for info in state.voices:
            print(f"  {info.name:24} {info.description}")
    return 0


def providers(args: argparse.Namespace) -> int:
    from talkshow import providers

    for registry in (getattr(providers, name) for name in providers.__all__):
        names = [name if registry.builtin(name) else f"{name} (plug-in: {registry[name]})" for name in registry]
        print(f"{registry.kind:11} {', '.join(names)}")
    return 0


def lipsync(args: argparse.Namespace) -> int:
    from talkshow.audio import decode_audio
    from talkshow.core.kinds.voice import Speech
    from talkshow.lipsync.export import to_rhubarb_json, to_rhubarb_tsv
    from talkshow.lipsync.lip_sync import LipSync

    rate = 48_000
    samples = decode_audio(args.audio, rate)
    speech = Speech(samples=samples, sample_rate=rate, text=args.text or "")
    lipsync = LipSync()
    cues, method = lipsync.cues_by(speech, args.text)
    body = to_rhubarb_json(cues, str(args.audio), speech.duration) if args.format == "json" else to_rhubarb_tsv(cues)
    if args.output:
        args.output.write_text(body, encoding="utf-8")
    else:
        sys.stdout.write(body)
    console.print(f"{len(cues)} cues via {method}")
    return 0
