"""The ``talkshow`` command line: render, serve, characters, voices, lipsync."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from talkshow.config import ShowConfig, show_from_topic
from talkshow.errors import TalkshowError
from talkshow.show_file import load_show

__all__ = ["main"]

console = Console(stderr=True)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the process exit code."""
    from talkshow.memory import limit_malloc_arenas

    limit_malloc_arenas()  # a long-running, many-threaded process: see talkshow.memory
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )
    from talkshow.redact import RedactingFilter

    for handler in logging.getLogger().handlers:  # no log line shows a stream key or credentials
        handler.addFilter(RedactingFilter())
    try:
        result: int = args.func(args)
        return result
    except TalkshowError as exc:
        console.print(f"[bold red]error:[/] {exc}")
        return 2
    except KeyboardInterrupt:
        console.print("interrupted")
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="talkshow", description="Live AI cartoon shows.")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    render = commands.add_parser("render", help="render a show to MP4")
    render.add_argument("show", nargs="?", type=Path, help="a show file (TOML); omit to use --topic")
    render.add_argument("--topic", help="what the show is about (default cast and scene)")
    render.add_argument("--turns", type=int, help="number of lines")
    render.add_argument("--seed", type=int, help="make the render reproducible")
    render.add_argument("-o", "--output", type=Path, default=Path("show.mp4"))
    render.add_argument("--trace", type=Path, help="write every timestamped event as JSON lines")
    render.set_defaults(func=_render)

    serve = commands.add_parser("serve", help="go live: the studio page, HLS and RTMP, shows running continuously")
    serve.add_argument("show", nargs="?", type=Path, help="a show file for cast, scene, writer and video")
    serve.add_argument("--topic", action="append", help="a topic to run (repeat for several; default: a built-in list)")
    serve.add_argument("--turns", type=int, help="lines per show")
    serve.add_argument("--seed", type=int, help="seed of the first show (each next show adds one)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="also answer to this Host name (behind a proxy); loopback names are always allowed on loopback",
    )
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--rtmp",
        action="append",
        default=[],
        metavar="URL",
        help="also push to this RTMP URL; env:VAR or file:PATH reads it from there (keep stream keys off argv)",
    )
    serve.add_argument(
        "--output",
        action="append",
        default=[],
        metavar="KIND:TARGET",
        help="also send the stream to an output provider (talkshow providers lists them), e.g. mp4:show.mp4",
    )
    serve.add_argument("--record", type=Path, metavar="FILE", help="also record the stream to this MP4")
    serve.add_argument(
        "--hls-dir", type=Path, help="where playlist and segments go (default: a new private temp folder)"
    )
    serve.add_argument("--once", action="store_true", help="run the topics once, then stay on the idle scene")
    serve.add_argument("--duration", type=float, default=0.0, help="stop after this many seconds (0: never)")
    serve.add_argument("--trace", type=Path, help="write every timestamped event as JSON lines")
    serve.add_argument("--db", type=Path, help="the studio database (default: ~/.local/share/talkshow/)")
    serve.add_argument("--new-token", action="store_true", help="replace the control token (beyond loopback)")
    serve.add_argument(
        "--audiosocket",
        metavar="[HOST:]PORT",
        help="answer Asterisk AudioSocket calls here (loopback unless a host is given); overrides [phone]",
    )
    serve.set_defaults(func=_serve)

    report = commands.add_parser("report", help="tables (and an HTML page with plots) from a --trace file")
    report.add_argument("trace", type=Path, help="a JSONL trace from render or serve --trace")
    report.add_argument("--html", type=Path, metavar="FILE", help="also write a self-contained page with plots")
    report.set_defaults(func=_report)

    bench = commands.add_parser(
        "bench", help="benchmark the standard scenarios against the seed-style baseline; `bench talk`: voice-to-voice"
    )
    bench.add_argument("suite", nargs="?", choices=("show", "talk", "phone"), default="show", help="what to measure")
    bench.add_argument("--utterances", type=int, default=8, help="talk: questions the caller asks per run")
    bench.add_argument(
        "--turn-model", choices=("", "smart-turn"), default="", help="talk: end turns with Smart Turn, not silence"
    )
    bench.add_argument("--barge-ins", type=int, default=5, help="talk: replies the caller then talks over")
    bench.add_argument("--llm-delay", type=float, default=0.3, help="talk: the stub LLM's first-token delay (s)")
    bench.add_argument("--embedded-only", action="store_true", help="talk: skip the run behind the stub LLM")
    bench.add_argument(
        "--transport", choices=("twilio", "audiosocket", "both"), default="both", help="phone: which bridge to call"
    )
    bench.add_argument("--minutes", type=float, default=0.0, help="phone: keep the call going this long (0: one round)")
    bench.add_argument("--quick", action="store_true", help="short runs (what CI runs)")
    bench.add_argument("--json", type=Path, metavar="FILE", help="write the results as JSON")
    bench.add_argument("--scenario", action="append", help="only this scenario (repeatable)")
    bench.set_defaults(func=_bench)

    characters = commands.add_parser("characters", help="list character packs")
    characters.set_defaults(func=_characters)

    voices = commands.add_parser("voices", help="list voices")
    voices.set_defaults(func=_voices)

    providers = commands.add_parser("providers", help="list every provider by kind, plug-ins included")
    providers.set_defaults(func=_providers)

    lipsync = commands.add_parser("lipsync", help="export mouth cues for an audio file")
    lipsync.add_argument("audio", type=Path)
    lipsync.add_argument("--text", help="what is said (enables forced alignment)")
    lipsync.add_argument("-f", "--format", choices=("json", "tsv"), default="json")
    lipsync.add_argument("-o", "--output", type=Path, help="write here instead of stdout")
    lipsync.set_defaults(func=_lipsync)
    return parser


def _show_config(args: argparse.Namespace) -> ShowConfig:
    if args.show is not None:
        config = load_show(args.show)
        if args.topic:
            config = config.with_overrides(topic=args.topic.strip())
    elif args.topic is not None:
        try:
            config = show_from_topic(args.topic, turns=args.turns or 12, seed=args.seed or 0)
        except ValueError as exc:
            raise TalkshowError(str(exc)) from exc
    else:
        raise TalkshowError("give a show file or --topic")
    return _with_turns_and_seed(config, args)


def _with_turns_and_seed(config: ShowConfig, args: argparse.Namespace) -> ShowConfig:
    """Apply ``--turns`` and ``--seed`` (shared by render and serve)."""
    if args.turns is not None:
        if args.turns < 1:
            raise TalkshowError(f"--turns must be at least 1, got {args.turns}")
        config = config.with_overrides(turns=args.turns)
    if args.seed is not None:
        config = config.with_overrides(seed=args.seed)
    return config


def _with_audiosocket(config: ShowConfig, address: str) -> ShowConfig:
    """``--audiosocket``: the phone settings with the AudioSocket listener at ``address`` (checked)."""
    from dataclasses import replace

    from talkshow.phone.settings import parse_phone_table

    checked = parse_phone_table({"audiosocket": address}, lambda message, key: TalkshowError(f"--{message}"))
    return config.with_overrides(phone=replace(config.phone, audiosocket=checked.audiosocket))


def _render(args: argparse.Namespace) -> int:
    from talkshow.show import render_show
    from talkshow.telemetry import JsonlSink, Telemetry

    config = _show_config(args)
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


def _serve(args: argparse.Namespace) -> int:
    import os
    import shutil
    import tempfile

    from talkshow.live import DEFAULT_TOPICS, LiveSettings
    from talkshow.live.engine import OutputSpec
    from talkshow.server import (
        create_app,
        default_db_path,
        find_hlsjs,
        is_loopback,
        prepare_token,
        run_server,
    )
    from talkshow.server.security import LOOPBACK_NAMES, TokenGate
    from talkshow.station import open_station
    from talkshow.telemetry import JsonlSink, Telemetry

    topics = tuple(t.strip() for t in args.topic or ())
    if any(not t for t in topics):
        raise TalkshowError("--topic is empty: give each show something to talk about")
    if args.show is not None:
        config = load_show(args.show)
        topics = topics or (config.topic,)
    else:
        config = show_from_topic((topics or DEFAULT_TOPICS)[0], turns=12, seed=0)
    config = _with_turns_and_seed(config, args)
    if args.audiosocket:
        config = _with_audiosocket(config, args.audiosocket)
    outputs = tuple(OutputSpec.parse(text) for text in args.output)
    # A fresh private folder (0700) by default: a predictable shared one could be planted with symlinks.
    hls_dir = args.hls_dir or Path(tempfile.mkdtemp(prefix="talkshow-hls-"))
    settings = LiveSettings(
        hls_dir=hls_dir,
        topics=topics or DEFAULT_TOPICS,
        rtmp_urls=tuple(args.rtmp),
        record=args.record,
        outputs=outputs,
        repeat=not args.once,
        frame_limit=round(args.duration * config.video.fps),
    )
    telemetry = Telemetry()
    sink = JsonlSink(args.trace) if args.trace else None
    if sink is not None:
        telemetry.add_sink(sink)
    try:
        db_path = args.db or default_db_path()
        station = open_station(config, settings, db_path, telemetry)
        studio = station.studio
        gate = TokenGate(None)
        if not is_loopback(args.host):
            gate, new_token = prepare_token(studio.store, args.new_token, os.environ.get("TALKSHOW_TOKEN"))
            if new_token:
                console.print(f"control token (shown once; send it as Authorization: Bearer): [bold]{new_token}[/]")
            else:
                console.print("control needs the token printed at first start (--new-token makes another)")
        hosts = None if not is_loopback(args.host) else LOOPBACK_NAMES | {args.host.lower()}
        if args.allow_host:
            hosts = (hosts or LOOPBACK_NAMES) | {name.lower() for name in args.allow_host}
        hlsjs = find_hlsjs()
        if hlsjs is None:
            console.print("[yellow]hls.js not found (run `make setup`); the page will only play in Safari[/]")
        console.print(f"studio on [bold]http://{args.host}:{args.port}/[/]  (HLS in {hls_dir}; database {db_path})")
        run_server(create_app(station, hlsjs, gate, hosts=hosts), studio, args.host, args.port)
        engine = station.engine
        stats = engine.stats
        console.print(
            f"stopped: {stats.frames} frames, {stats.late} late, {stats.repeated} repeated, "
            f"max lateness {stats.max_lateness_ms:.1f} ms, {engine.resources.mean_cores:.2f} cores"
        )
        if engine.exit_code:
            console.print(f"[bold red]the stream ended because it could not go on:[/] {engine.supervisor.fatal_reason}")
        return engine.exit_code
    finally:
        if sink is not None:
            sink.close()
        if args.hls_dir is None:  # the temporary folder this run made: its playlist has ended
            shutil.rmtree(hls_dir, ignore_errors=True)


def _report(args: argparse.Namespace) -> int:
    from talkshow.report import load_trace, print_report, summarize, write_html

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


def _bench(args: argparse.Namespace) -> int:
    import json

    from talkshow.bench.measure import SCENARIOS
    from talkshow.bench.runner import run_bench

    if args.suite == "talk":
        return _bench_talk(args)
    if args.suite == "phone":
        return _bench_phone(args)
    unknown = [name for name in args.scenario or () if name not in SCENARIOS]
    if unknown:
        raise TalkshowError(f"unknown scenario {unknown[0]!r}; choose from {', '.join(SCENARIOS)}")
    results = run_bench(args.quick, Console(), args.scenario)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
        console.print(f"wrote [bold]{args.json}[/]")
    return 0


def _bench_talk(args: argparse.Namespace) -> int:
    import json

    from rich.table import Table

    from talkshow.bench.talk import run_talk_bench

    if not 1 <= args.utterances <= 100:
        raise TalkshowError(f"--utterances must be 1-100, got {args.utterances}")
    if not 0 <= args.barge_ins <= 50:
        raise TalkshowError(f"--barge-ins must be 0-50, got {args.barge_ins}")
    runs = {}
    plan: list[tuple[str, float | None]] = [("embedded", None)]
    if not args.embedded_only:
        plan.append((f"llm_{args.llm_delay:g}s", args.llm_delay))
    for label, delay in plan:
        console.print(f"[bold]talk bench[/]: {label} ({args.utterances} utterances)")
        runs[label] = result = run_talk_bench(args.utterances, delay, args.quick, args.barge_ins, args.turn_model)
        table = Table("measure", "median ms", "p90 ms", "n")
        measures = ("voice_to_voice_ms", "mouth_minus_audio_ms", "encoded_mouth_minus_reply_audio_frames")
        for name in (*measures, "barge_in_silent_ms", "barge_in_server_cut_ms"):
            row = result[name]
            table.add_row(name, str(row.get("median", "-")), str(row.get("p90", "-")), str(row["n"]))
        for name, row in result["server_stages_ms"].items():
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


def _bench_phone(args: argparse.Namespace) -> int:
    import json

    from rich.table import Table

    from talkshow.bench.phone import run_phone_bench

    if not 1 <= args.utterances <= 100 or not 0 <= args.barge_ins <= 50 or not 0 <= args.minutes <= 120:
        raise TalkshowError("--utterances must be 1-100, --barge-ins 0-50 and --minutes 0-120")
    transports = ("twilio", "audiosocket") if args.transport == "both" else (args.transport,)
    console.print(
        f"[bold]phone bench[/]: {', '.join(transports)} ({args.utterances} questions, {args.barge_ins} barge-ins)"
    )
    result = run_phone_bench(transports, args.utterances, args.barge_ins, args.minutes, args.quick)
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
        for name, row in run["server_stages_ms"].items():
            table.add_row(f"server: {name}", str(row.get("median", "-")), str(row.get("p90", "-")), str(row["n"]))
        console.print(table)
        late = f"{run['late_frames']} late frames of {run['frames']}"
        console.print(f"{run['call_seconds']} s call, {run['exchanges']} exchanges: {late}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
        console.print(f"wrote [bold]{args.json}[/]")
    return 0


def _characters(args: argparse.Namespace) -> int:
    from talkshow.characters import list_packs, load_pack

    for name, folder in list_packs().items():
        pack = load_pack(folder)
        print(f"{name:12} {pack.name:12} {pack.description}  ({folder})")
    return 0


def _voices(args: argparse.Namespace) -> int:
    from talkshow.config import default_cast
    from talkshow.voice import engine_availability

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


def _providers(args: argparse.Namespace) -> int:
    from talkshow import providers

    for registry in (getattr(providers, name) for name in providers.__all__):
        names = [name if registry.builtin(name) else f"{name} (plug-in: {registry[name]})" for name in registry]
        print(f"{registry.kind:11} {', '.join(names)}")
    return 0


def _lipsync(args: argparse.Namespace) -> int:
    from talkshow.audio import decode_audio
    from talkshow.lipsync import LipSync, to_rhubarb_json, to_rhubarb_tsv
    from talkshow.voice import Speech

    rate = 48_000
    samples = decode_audio(args.audio, rate)
    speech = Speech(samples=samples, sample_rate=rate, text=args.text or "")
    lipsync = LipSync()
    cues = lipsync.cues(speech, args.text)
    body = to_rhubarb_json(cues, str(args.audio), speech.duration) if args.format == "json" else to_rhubarb_tsv(cues)
    if args.output:
        args.output.write_text(body, encoding="utf-8")
    else:
        sys.stdout.write(body)
    console.print(f"{len(cues)} cues via {lipsync.last_method}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
