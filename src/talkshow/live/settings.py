"""The live engine's settings: where the stream goes and how far ahead it renders (plain data)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from talkshow.broadcast.types import OutputContext, WhipTarget
from talkshow.core.errors import InputError
from talkshow.core.kinds.output import Output
from talkshow.live.programme import DEFAULT_TOPICS
from talkshow.providers import OUTPUTS

__all__ = ["LiveSettings", "OutputSpec", "build_outputs"]


@dataclass(frozen=True)
class LiveSettings:
    """Where the stream goes and how far ahead it renders."""

    hls_dir: Path
    topics: tuple[str, ...] = DEFAULT_TOPICS
    rtmp_urls: tuple[str, ...] = ()
    record: Path | None = None
    # The frame queue's capacity in show seconds. A frame composes in about a millisecond, so half a second
    # rides out any stall the process has; each second costs 93 MB of I420 at 1080p (measured: the show's
    # peak 637 MB at 1 s, 593 MB at 0.5 s, `talkshow bench --scenario show`, 0 late frames both).
    ahead_s: float = 0.5
    low_water_s: float = 0.25  # below this the renderer degrades the TV
    show_gap_s: float = 4.0  # idle time between shows
    repeat: bool = True  # loop the topic list forever
    frame_limit: int = 0  # stop after this many frames (benchmarks, tests); 0 = run until stopped
    paced: bool = True  # False: run faster than real time (accelerated drift and soak runs)
    realtime_clock: bool = True  # the pacer asks for SCHED_FIFO where the OS allows it (talkshow/threads.py)
    rtmp_backoff_s: tuple[float, float] = field(default=(1.0, 30.0))
    outputs: tuple[OutputSpec, ...] = ()  # more destinations, each built by its ``output`` provider
    extra_outputs: tuple[Output, ...] = ()  # more destinations for the same packets (tests, soak fault injection)
    delay_s: float = 0.0  # a broadcast delay on the public outputs (0: none); callers' own feeds stay live
    whip: tuple[WhipTarget, ...] = ()  # SFUs to publish the live feed to over WHIP (broadcast/whip.py)
    sfu_player: str = ""  # the SFU's player page, where "Just watch" sends viewers ("" : watch here)


@dataclass(frozen=True)
class OutputSpec:
    """One destination by provider: ``kind`` (a name in ``talkshow.providers.OUTPUTS``), its target and options."""

    kind: str
    target: str
    options: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def parse(cls, text: str) -> OutputSpec:
        """``KIND:TARGET`` (``--output``); InputError naming the kinds if ``KIND`` is not registered."""
        kind, colon, target = text.partition(":")
        if not colon or not target:
            raise InputError(f"--output takes KIND:TARGET (say mp4:show.mp4), got {text[:80]!r}")
        OUTPUTS.check(kind)
        return cls(kind, target)


def build_outputs(settings: LiveSettings, context: OutputContext) -> list[Output]:
    """Every output ``settings`` asks for (``rtmp_urls`` and ``record`` are the rtmp and mp4 providers), in order."""
    specs = [OutputSpec("rtmp", url, {"backoff_s": settings.rtmp_backoff_s}) for url in settings.rtmp_urls]
    if settings.record is not None:
        specs.append(OutputSpec("mp4", str(settings.record)))
    built: list[Output] = [
        OUTPUTS.load(spec.kind)(spec.target, spec.options, context) for spec in (*specs, *settings.outputs)
    ]
    return built
