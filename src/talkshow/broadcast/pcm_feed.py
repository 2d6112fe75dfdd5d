"""The show's audio as plain PCM, frame by frame, for callers whose line is not WebRTC (a phone bridge).

A phone line carries G.711 at 8 kHz, not the broadcast's AAC or the peers' Opus, so a
phone caller cannot share an encode; what it shares is this tap of the encoder's PCM,
the same samples every output's audio is made from, on the same clock. Each frame goes
to the subscriber's asyncio loop with ``call_soon_threadsafe``: the encoder thread never
waits for a caller. A caller gets the mix-minus audio (the show without their own voice).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["PcmFeed", "PcmSubscription"]

FrameSink = Callable[[int, npt.NDArray[np.int16]], None]  # (stream frame index, 48 kHz samples)


@dataclass(eq=False)
class PcmSubscription:
    """One listener of the feed: its loop and what to call there with each frame."""

    loop: asyncio.AbstractEventLoop
    sink: FrameSink
    closed: bool = False

    def _deliver(self, index: int, samples: npt.NDArray[np.int16]) -> None:
        if not self.closed:
            self.sink(index, samples)


class PcmFeed:
    """An encoder PCM tap that hands each frame's audio to subscribers on their own loops."""

    name = "pcm-feed"

    def __init__(self) -> None:
        self._subscriptions: list[PcmSubscription] = []
        self._lock = threading.Lock()
        self.frames = 0

    def subscribe(self, loop: asyncio.AbstractEventLoop, sink: FrameSink) -> PcmSubscription:
        """Call ``sink(index, samples)`` on ``loop`` for every frame from now on."""
        subscription = PcmSubscription(loop, sink)
        with self._lock:
            self._subscriptions.append(subscription)
        return subscription

    def unsubscribe(self, subscription: PcmSubscription) -> None:
        """Stop delivering to ``subscription`` (frames already scheduled are dropped too)."""
        subscription.closed = True
        with self._lock:
            if subscription in self._subscriptions:
                self._subscriptions.remove(subscription)

    @property
    def subscribers(self) -> int:
        """Listeners subscribed now."""
        with self._lock:
            return len(self._subscriptions)

    def pcm(self, samples: npt.NDArray[np.int16], frame_index: int, clean: npt.NDArray[np.int16] | None = None) -> None:
        """One frame of show audio (encoder thread); a caller hears ``clean``, the show without their voice."""
        with self._lock:
            targets = list(self._subscriptions)
        if not targets:
            return
        self.frames += 1
        audio = samples if clean is None else clean
        for subscription in targets:
            try:
                subscription.loop.call_soon_threadsafe(subscription._deliver, frame_index, audio)
            except RuntimeError:  # its loop has closed: the caller is gone
                self.unsubscribe(subscription)
