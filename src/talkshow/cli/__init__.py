"""The ``talkshow`` command line: render, render-batch, serve, characters, voices, lipsync."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from talkshow.cli import batch as batch_command
from talkshow.cli import bench as bench_command
from talkshow.cli import serve as serve_command
from talkshow.cli import tools
from talkshow.cli.common import console
from talkshow.core.errors import ServiceError, TalkshowError

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the process exit code."""
    from talkshow.process_memory import limit_malloc_arenas

    limit_malloc_arenas()  # a long-running, many-threaded process: see talkshow.process_memory
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
    except ServiceError as exc:  # something it relies on failed: another try may go through
        console.print(f"[bold red]error:[/] {exc}")
        return 1
    except TalkshowError as exc:  # bad input: the same again fails the same way
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
    render.add_argument("--cast", help="characters by pack name, comma-separated (e.g. my,duke)")
    render.add_argument("-o", "--output", type=Path, default=Path("show.mp4"))
    render.add_argument("--trace", type=Path, help="write every timestamped event as JSON lines")
    render.set_defaults(func=tools.render)

    batch = commands.add_parser("render-batch", help="render many episodes, each once (docs/cluster.md)")
    batch.add_argument("episodes", type=Path, help="the episodes file (TOML, one [[episode]] table each)")
    batch.add_argument("--out", required=True, help="a folder every node sees, or an fsspec URL (s3://bucket/dir)")
    batch.add_argument("--ray", metavar="ADDRESS", help="render on this Ray cluster (auto: the one this machine is in)")
    batch.add_argument("--workers", type=int, help="without --ray: episodes at a time (default: cores / CPUs each)")
    batch.add_argument(
        "--cpus-per-episode", type=float, help="CPUs one episode takes (default: measured in the manifest, else 1)"
    )
    batch.set_defaults(func=batch_command.render_batch)

    serve = commands.add_parser("serve", help="go live: the studio page, HLS and RTMP, shows running continuously")
    serve.add_argument("show", nargs="?", type=Path, help="a show file for cast, scene, writer and video")
    serve.add_argument("--topic", action="append", help="a topic to run (repeat for several; default: a built-in list)")
    serve.add_argument("--turns", type=int, help="lines per show")
    serve.add_argument(
        "--whip",
        action="append",
        default=[],
        metavar="URL",
        help="also publish to this WHIP endpoint (an SFU: LiveKit, Cloudflare, Janus); env:VAR or file:PATH reads "
        "it from there; the Bearer token comes from $TALKSHOW_WHIP_TOKEN (docs/reach.md)",
    )
    serve.add_argument(
        "--sfu-player",
        metavar="URL",
        default="",
        help="the SFU's player page: the talk page's \"Just watch\" sends viewers there (use with --whip)",
    )
    serve.add_argument(
        "--twitch",
        metavar="CHANNEL",
        help="answer !ask questions from this Twitch channel's chat (read anonymously; see docs/audience.md)",
    )
    serve.add_argument(
        "--cast", help="characters by pack name, comma-separated (e.g. my,duke; see `characters import`)"
    )
    serve.add_argument(
        "--brain",
        metavar="KIND:WHAT",
        help="both writers on an LLM: ollama:MODEL[@URL], llama-server:URL or openai:MODEL (default: offline)",
    )
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
    # A channel's studio on a Ray node: ends itself when the actor that started it is gone (its node lost).
    serve.add_argument("--exit-with-parent", type=int, metavar="PID", help=argparse.SUPPRESS)
    serve.add_argument("--size", metavar="WxH", help="the picture's size, e.g. 1280x720 (default: the show's)")
    serve.add_argument(
        "--channels",
        type=Path,
        metavar="FILE",
        help="run several channels from this file, each its own process; --port serves their list (docs/channels.md)",
    )
    serve.add_argument(
        "--ray", metavar="ADDRESS", help="with --channels: run each channel on this Ray cluster (docs/cluster.md)"
    )
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
        "--delay",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="a broadcast delay on the public outputs (HLS, RTMP, recording) with a dump button; callers stay live",
    )
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
    serve.set_defaults(func=serve_command.serve)

    report = commands.add_parser("report", help="tables (and an HTML page with plots) from a --trace file")
    report.add_argument("trace", type=Path, help="a JSONL trace from render or serve --trace")
    report.add_argument("--html", type=Path, metavar="FILE", help="also write a self-contained page with plots")
    report.set_defaults(func=tools.report)

    bench = commands.add_parser(
        "bench", help="benchmark the standard scenarios against the seed-style baseline; `bench talk`: voice-to-voice"
    )
    bench.add_argument(
        "suite",
        nargs="?",
        choices=("show", "talk", "phone", "brain", "moderation", "tutor", "writer"),
        default="show",
        help="what to measure",
    )
    bench.add_argument(
        "--brains",
        default="knowledge,rules,smollm2-135m/knowledge-hybrid,smollm2-135m/hybrid",
        help="brain: which to ask, comma-separated: knowledge (the default with no flag), rules, or MODEL/KIND "
        "(MODEL: an embedded brain or a .gguf; KIND: transcript, chat, hybrid or knowledge-hybrid)",
    )
    bench.add_argument("--spoken", action="store_true", help="brain: say each question through the ears first")
    bench.add_argument(
        "--judges", default="", metavar="BRAINS", help="moderation: also embedded brains as judges (comma-separated)"
    )
    bench.add_argument(
        "--embedded-brain",
        default="",
        metavar="NAME",
        help="talk: also a run with replies from this embedded brain; phone: replies from it",
    )
    bench.add_argument("--utterances", type=int, default=8, help="talk, tutor: what the caller says per run")
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
    bench.add_argument(
        "--show", type=Path, default=None, metavar="FILE", help="tutor: the tutor show (default: shows/tutor.toml)"
    )
    bench.add_argument("--quick", action="store_true", help="short runs (what CI runs)")
    bench.add_argument("--json", type=Path, metavar="FILE", help="write the results as JSON")
    bench.add_argument("--scenario", action="append", help="only this scenario (repeatable)")
    bench.set_defaults(func=bench_command.bench)

    characters = commands.add_parser("characters", help="list character packs, or import an avatar")
    characters.set_defaults(func=tools.characters)
    character_commands = characters.add_subparsers(metavar="ACTION")
    importer = character_commands.add_parser("import", help="turn a PNGTuber Plus .save into a character pack")
    importer.add_argument("file", type=Path, help="the avatar file (.save)")
    importer.add_argument("--id", default="", help="the pack's name in --cast (default: the file's name)")
    importer.add_argument("--name", default="", help="the character's name on screen")
    importer.add_argument("--packs", type=Path, help="where packs go (default: ~/.local/share/talkshow/characters)")
    importer.add_argument("--replace", action="store_true", help="overwrite a pack of that name")
    importer.set_defaults(func=tools.import_character)

    voices = commands.add_parser("voices", help="list voices")
    voices.set_defaults(func=tools.voices)

    providers = commands.add_parser("providers", help="list every provider by kind, plug-ins included")
    providers.set_defaults(func=tools.providers)

    lipsync = commands.add_parser("lipsync", help="export mouth cues for an audio file")
    lipsync.add_argument("audio", type=Path)
    lipsync.add_argument("--text", help="what is said (enables forced alignment)")
    lipsync.add_argument("-f", "--format", choices=("json", "tsv"), default="json")
    lipsync.add_argument("-o", "--output", type=Path, help="write here instead of stdout")
    lipsync.set_defaults(func=tools.lipsync)

    mcp = commands.add_parser("mcp", help="an MCP server over stdio that steers a running studio (docs/cohost.md)")
    mcp.add_argument("--url", default="http://127.0.0.1:8000", help="the studio (talkshow serve) to steer")
    mcp.add_argument("--token-env", default="TALKSHOW_TOKEN", help="the environment variable with its token")
    mcp.set_defaults(func=mcp_stdio)
    return parser


def mcp_stdio(args: argparse.Namespace) -> int:
    """``talkshow mcp``: the MCP server on stdin/stdout for a desktop agent, calling the studio at ``--url``."""
    import asyncio
    import os

    from talkshow.mcp_server.stdio import serve_stdio

    asyncio.run(serve_stdio(args.url, os.environ.get(args.token_env, "")))
    return 0
