"""``talkshow serve --channels FILE``: the channel house, until Ctrl-C or until every channel has ended."""

from __future__ import annotations

import argparse
import asyncio
import signal

from talkshow.cli.common import console
from talkshow.core.errors import TalkshowError

__all__ = ["serve_channels"]

# serve's options that set up one channel: under --channels each belongs in a [[channel]] table, or not at all
ONE_CHANNEL_OPTIONS = (
    "show", "topic", "turns", "seed", "cast", "brain", "whip", "sfu_player", "twitch", "size", "rtmp", "output",
    "record", "delay", "hls_dir", "once", "duration", "trace", "db", "new_token", "audiosocket", "allow_host",
)  # fmt: skip


def serve_channels(args: argparse.Namespace) -> int:
    """Run the channels of ``args.channels``; the house page on ``--host``/``--port``."""
    import uvicorn

    from talkshow.channels import ChannelHouse, load_channels
    from talkshow.channels.app import House, house_app

    given = [name for name in ONE_CHANNEL_OPTIONS if getattr(args, name, None)]
    if given:
        raise TalkshowError(
            f"--channels takes each channel's settings from its file; --{given[0].replace('_', '-')} "
            "sets up one channel (docs/channels.md lists what each channel's table takes)"
        )
    spec = load_channels(args.channels, args.port)
    house: House
    if args.ray:
        from talkshow.channels.ray_house import RayChannelHouse

        house = RayChannelHouse(spec, args.ray)
    else:
        house = ChannelHouse(spec, args.host)
    done = asyncio.Event()
    app = house_app(house, done)
    server = uvicorn.Server(uvicorn.Config(app, host=args.host, port=args.port, log_level="warning"))

    async def run() -> None:
        async def stop_when_done() -> None:
            await done.wait()
            server.should_exit = True

        watcher = asyncio.create_task(stop_when_done())
        try:
            await server.serve()
        finally:
            watcher.cancel()

    for channel in house.channels if isinstance(house, ChannelHouse) else ():
        where = f"cores {list(channel.spec.cpus)}" if channel.spec.cpus else "any core"
        console.print(
            f"channel [bold]{channel.spec.name}[/]: {channel.base}/ on {where} (log: {channel.folder}/serve.log)"
        )
    if args.ray:
        console.print(f"channels on the Ray cluster at {args.ray}: each as the actor channel-NAME (namespace talkshow)")
    console.print(f"channels on [bold]http://{args.host}:{args.port}/[/]")
    # uvicorn stops gracefully on SIGINT/SIGTERM (the channels with it), then re-raises the signal
    # to the handler that was there before; a no-op one lets the house report and exit 0, as serve does.
    previous = {sig: signal.signal(sig, lambda *_: None) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        asyncio.run(run())
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    for state in house.status():
        console.print(f"{state['name']}: {state['state']} {state['reason']}".rstrip())
    return house.exit_code
