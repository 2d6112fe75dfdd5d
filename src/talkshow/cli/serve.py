"""``talkshow serve``: the live studio, with its station, until Ctrl-C or the end of the stream."""

from __future__ import annotations

import argparse
from pathlib import Path

from talkshow.broadcast.types import WhipTarget
from talkshow.cli.common import console, with_audiosocket, with_size, with_turns_and_seed, with_twitch_channel
from talkshow.config import show_from_topic
from talkshow.core.errors import TalkshowError
from talkshow.show_check import load_show

__all__ = ["serve"]


def serve(args: argparse.Namespace) -> int:
    """One channel here (the usual), or with ``--channels`` a house of them, each its own process."""
    if args.channels is not None:
        from talkshow.cli.channels import serve_channels

        return serve_channels(args)
    if args.ray:
        raise TalkshowError("--ray runs the channels of a channels file: give --channels FILE too")
    if args.exit_with_parent:
        from talkshow.parent_watch import exit_with_parent

        exit_with_parent(args.exit_with_parent)
    import os
    import shutil
    import tempfile

    from talkshow.brain import with_brain
    from talkshow.live.programme import DEFAULT_TOPICS
    from talkshow.live.settings import LiveSettings, OutputSpec
    from talkshow.server.app import create_app, find_hlsjs, run_server
    from talkshow.server.security import LOOPBACK_NAMES, TokenGate, is_loopback, prepare_token
    from talkshow.station.station import open_station
    from talkshow.studio.studio import default_db_path
    from talkshow.telemetry.events import JsonlSink, Telemetry

    topics = tuple(t.strip() for t in args.topic or ())
    if any(not t for t in topics):
        raise TalkshowError("--topic is empty: give each show something to talk about")
    if args.show is not None:
        config = load_show(args.show)
        topics = topics or (config.topic,)
    else:
        config = show_from_topic((topics or DEFAULT_TOPICS)[0], turns=12, seed=0)
    config = with_turns_and_seed(config, args)
    if args.brain:
        config = with_brain(config, args.brain)
    if args.audiosocket:
        config = with_audiosocket(config, args.audiosocket)
    if args.twitch:
        config = with_twitch_channel(config, args.twitch)
    if args.size:
        config = with_size(config, args.size)
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
        delay_s=args.delay,
        whip=whip_targets(args.whip, args.delay),
        sfu_player=sfu_player(args.sfu_player),
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


def whip_targets(specs: list[str], delay_s: float) -> tuple[WhipTarget, ...]:
    """``--whip`` targets (checked); refused with a broadcast delay, which WHIP's live feed would skip past."""
    if specs and delay_s > 0:
        raise TalkshowError("--whip publishes the live feed, which a broadcast delay cannot hold back: drop --delay")
    from talkshow.broadcast.whip import whip_target

    return tuple(whip_target(spec) for spec in specs)


def sfu_player(url: str) -> str:
    """``--sfu-player`` checked: an http(s) URL, or "" for none."""
    from talkshow.core.errors import InputError

    url = url.strip()
    if url and not url.startswith(("http://", "https://")):
        raise InputError(f"--sfu-player takes the http(s) URL of the SFU's player page, not {url[:80]!r}")
    return url
