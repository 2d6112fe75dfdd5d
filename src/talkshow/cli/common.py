"""What the commands share: the console, and a show's config from a file or a topic with the flags applied."""

from __future__ import annotations

import argparse

from rich.console import Console

from talkshow.chat.settings import ChatSettings
from talkshow.config import ShowConfig, show_from_topic
from talkshow.core.errors import TalkshowError
from talkshow.phone.settings import PhoneSettings
from talkshow.show_check import load_show

__all__ = ["console", "show_config", "with_audiosocket", "with_turns_and_seed", "with_twitch_channel"]

console = Console(stderr=True)


def show_config(args: argparse.Namespace) -> ShowConfig:
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
    return with_turns_and_seed(config, args)


def with_turns_and_seed(config: ShowConfig, args: argparse.Namespace) -> ShowConfig:
    """Apply ``--turns``, ``--seed`` and ``--cast`` (shared by render and serve)."""
    if getattr(args, "cast", None):
        from talkshow.characters.cast import cast_from_names

        config = config.with_overrides(cast=cast_from_names(args.cast, config.base_dir))
    if args.turns is not None:
        if args.turns < 1:
            raise TalkshowError(f"--turns must be at least 1, got {args.turns}")
        config = config.with_overrides(turns=args.turns)
    if args.seed is not None:
        config = config.with_overrides(seed=args.seed)
    return config


def with_audiosocket(config: ShowConfig, address: str) -> ShowConfig:
    """``--audiosocket``: the phone settings with the AudioSocket listener at ``address`` (checked)."""
    from dataclasses import replace

    from talkshow.phone.settings import parse_phone_table

    checked = parse_phone_table({"audiosocket": address}, lambda message, key: TalkshowError(f"--{message}"))
    return config.with_sections(replace(config.section(PhoneSettings), audiosocket=checked.audiosocket))


def with_twitch_channel(config: ShowConfig, channel: str) -> ShowConfig:
    """``--twitch CHANNEL``: read that channel's chat anonymously (``[chat.twitch-irc]``; no login needed)."""
    from dataclasses import replace

    login = channel.strip().lstrip("#").lower()
    if not (0 < len(login) <= 25 and login.replace("_", "").isalnum() and login.isascii()):
        raise TalkshowError(f"--twitch takes a channel's login name (letters, digits and _), not {channel!r}")
    chat = config.section(ChatSettings)
    sources = {**chat.sources, "twitch-irc": {**chat.sources.get("twitch-irc", {}), "channel": login}}
    return config.with_sections(replace(chat, sources=sources))


def with_size(config: ShowConfig, size: str) -> ShowConfig:
    """Apply ``--size WxH`` (see ``talkshow.config.parse_video_size``)."""
    from dataclasses import replace

    from talkshow.config import parse_video_size

    try:
        width, height = parse_video_size(size)
    except ValueError as exc:
        raise TalkshowError(f"--{exc}") from exc
    return config.with_overrides(video=replace(config.video, width=width, height=height))
