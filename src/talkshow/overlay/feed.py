"""The frames as they go on air, for overlay pages: each one's poses, who speaks, what, and its audio.

The pacer calls ``OverlayFeed.aired`` once per stream frame, on the clock's thread. With no
overlay open that is one length check; with some, the frame is handed to each subscriber's
asyncio loop with ``call_soon_threadsafe``: the clock never waits for a page, and nothing is
drawn or encoded here. The audio is the frame's own (the cast's voices, never a caller's or a
streamer's: a co-host's overlay must not echo the streamer back into their own stream).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from talkshow.acting.types import Pose

__all__ = ["AiredFrame", "OverlayFeed", "OverlaySubscription"]


@dataclass(frozen=True)
class AiredFrame:
    """One stream frame as it went on air (``speaker`` is "" while nobody speaks)."""

    index: int
    seconds: float  # show time, which the layered avatars' wobble and drag follow
    poses: Mapping[str, Pose]
    speaker: str
    text: str
    audio: npt.NDArray[np.int16]  # 1600 samples at 48 kHz, read-only


FrameSink = Callable[[AiredFrame], None]


@dataclass(eq=False)
class OverlaySubscription:
    """One listener of the feed: its loop and what to call there with each frame."""

    loop: asyncio.AbstractEventLoop
    sink: FrameSink
    closed: bool = False

    def _deliver(self, frame: AiredFrame) -> None:
        if not self.closed:
            self.sink(frame)


class OverlayFeed:
    """A pacer tap that hands each aired frame to subscribers on their own loops."""

    def __init__(self) -> None:
        self._subscriptions: list[OverlaySubscription] = []
        self._lock = threading.Lock()

    def subscribe(self, loop: asyncio.AbstractEventLoop, sink: FrameSink) -> OverlaySubscription:
        """Call ``sink(frame)`` on ``loop`` for every frame from now on."""
        subscription = OverlaySubscription(loop, sink)
        with self._lock:
            self._subscriptions = [*self._subscriptions, subscription]
        return subscription

    def unsubscribe(self, subscription: OverlaySubscription) -> None:
        """Stop delivering to ``subscription`` (frames already scheduled are dropped too)."""
        subscription.closed = True
        with self._lock:
            self._subscriptions = [s for s in self._subscriptions if s is not subscription]

    @property
    def subscribers(self) -> int:
        """Listeners subscribed now."""
        return len(self._subscriptions)

    def aired(self, frame: AiredFrame) -> None:
        """One frame went out (the pacer's thread): pass it on, never wait."""
        targets = self._subscriptions  # copied on write: no lock on the clock's thread
        for subscription in targets:
            try:
                subscription.loop.call_soon_threadsafe(subscription._deliver, frame)
            except RuntimeError:  # its loop has closed: the page is gone
                self.unsubscribe(subscription)
