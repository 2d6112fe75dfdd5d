"""The show's sound to one phone caller: 20 ms wire frames, paced at real time, that know where they came from.

The encoder's PCM tap delivers each stream frame (1600 samples at 48 kHz) on this loop.
They are converted to 8 kHz wire frames that remember the stream samples they carry, and
a timer sends one every 20 ms, starting once a small buffer has gathered. The tap comes
in 33 ms steps with the encoder's jitter, so the buffer adapts: it starts at 40 ms and
grows a frame each time it runs dry, up to 100 ms, for the rest of the call. Sending at
real time, never ahead, keeps the platform's own buffer short, so a barge-in has little
to throw away. After a stall (the loop's or the encoder's) the tap's frames arrive in a
burst; a backlog that stays for a second is skipped, so the caller is back in step with
the show rather than a stall behind it for the rest of the call.

Every few frames a Media Streams ``mark`` names the stream sample sent so far; the
platform echoes it once the caller has heard that audio, so ``heard_until`` is where the
caller really is. AudioSocket has no marks; there it is what has been sent.

At a barge-in ``stop_reply`` runs the moment the reply is to stop: it drops the frames
waiting here and mutes everything from the show until ``cut_landed``; ``clear_platform``
sends ``clear`` (the platform drops what it holds; the marks it returns then were never
heard). From
then on only the frames still inside the encoder, which left the pacer before the cut,
are muted.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from talkshow.core.air import BARGE_KEEP_FRAMES
from talkshow.phone.audio import FRAME_MS, PhoneAudio
from talkshow.phone.wire import Wire

logger = logging.getLogger(__name__)

__all__ = ["SURPLUS_SLACK_FRAMES", "PhoneSender", "SenderStats"]

SHOW_SAMPLES_PER_WIRE_FRAME = 48_000 * FRAME_MS // 1000  # 960: the show samples one wire frame carries
PREBUFFER_FRAMES = 2  # 40 ms gathered before the first send (and after an underrun) ...
MAX_PREBUFFER_FRAMES = 5  # ... growing to 100 ms if the tap's jitter keeps emptying it
MAX_BUFFER_FRAMES = 25  # 0.5 s: more waiting than that and the oldest goes (the loop stalled)
MAX_GAP_FRAMES = 30  # a gap in the tap longer than a second starts afresh instead of filling silence
SURPLUS_WINDOW_FRAMES = 50  # 1 s of sends: the buffer's lowest level over it is its standing surplus ...
SURPLUS_SLACK_FRAMES = 2  # ... and more than this over the start level is skipped (a stall's backlog, not jitter)


@dataclass
class SenderStats:
    """What the sender did: frames sent, underruns, frames dropped or muted, marks."""

    frames_sent: int = 0
    underruns: int = 0  # the buffer ran dry (not counting the emptying at a barge-in)
    prebuffer_frames: int = PREBUFFER_FRAMES  # the buffer's start level now
    dropped: int = 0
    skipped: int = 0  # frames of a backlog skipped to bring the caller back in step with the show
    muted: int = 0
    marks_sent: int = 0
    marks_heard: int = 0
    clears: int = 0


class PhoneSender:
    """Paces one call's outbound audio (a task on the server's loop; ``run`` until the call ends)."""

    def __init__(
        self,
        wire: Wire,
        audio: PhoneAudio,
        samples_per_frame: int,
        current_frame: Callable[[], int],
        mark_every_frames: int = 5,
        on_sent: Callable[[int], None] = lambda sample: None,
    ) -> None:
        """``current_frame()``: the next stream frame the pacer sends (every lower one has left it).

        ``on_sent(sample)`` is told the first stream sample of each frame as it goes out.
        """
        self.wire = wire
        self.audio = audio
        self.samples_per_frame = samples_per_frame
        self.current_frame = current_frame
        self.mark_every = mark_every_frames
        self.on_sent = on_sent
        self.stats = SenderStats()
        self.heard_until: int | None = None  # stream sample the caller has heard up to (marks, or what was sent)
        self.sent_until: int | None = None
        self._frames: deque[tuple[bytes, int]] = deque()  # (wire bytes, first stream sample)
        self._next_index: int | None = None  # the stream frame expected next from the tap
        self._produced = 0  # 8 kHz samples made since ``_origin``
        self._origin = 0  # the stream sample the conversion started at
        self._mute_below = 0  # frames from before the last barge-in carry the cut reply: silenced
        self._muting = False  # a barge-in's cut has not landed yet: everything is silenced
        self._emptied = False  # the buffer was emptied on purpose (a barge-in): running dry next is no underrun
        self._marks: deque[str] = deque()  # marks sent and not yet echoed
        self._cleared: set[str] = set()  # marks the platform will echo without having played them
        self._ready = asyncio.Event()
        self._lowest = MAX_BUFFER_FRAMES  # the buffer's lowest level since the window began
        self._window_sends = 0
        self.closed = False

    # The encoder's tap, on this loop.
    def show_audio(self, index: int, samples: npt.NDArray[np.int16]) -> None:
        """One stream frame of the show's audio (mix-minus): converted and queued for its 20 ms slots."""
        if self.closed:
            return
        expected = self._next_index
        if expected is None or index - expected > MAX_GAP_FRAMES or index < expected:
            self._restart(index)
        elif index > expected:  # the encoder dropped frames: their time passes in silence, timing holds
            for _ in range(index - expected):
                self._queue(np.zeros(self.samples_per_frame, np.int16))
        self._next_index = index + 1
        if self._muting or index < self._mute_below:
            self.stats.muted += 1
            samples = np.zeros_like(samples)
        self._queue(samples)

    def _restart(self, index: int) -> None:
        self.audio.reset_outbound()
        self._origin = index * self.samples_per_frame
        self._produced = 0

    def _queue(self, samples: npt.NDArray[np.int16]) -> None:
        for frame in self.audio.encode(samples):
            first = self._origin + self._produced * self.audio.show_rate // self.audio.wire_rate
            self._produced += len(frame) // self.audio.bytes_per_sample
            self._frames.append((frame, first))
        while len(self._frames) > MAX_BUFFER_FRAMES:
            self._frames.popleft()
            self.stats.dropped += 1
            if self.stats.dropped == 1:
                logger.warning("phone audio fell 0.5 s behind (the loop stalled?); the oldest frames were dropped")
        if len(self._frames) >= self.stats.prebuffer_frames:
            self._ready.set()

    # Barge-in and marks, on this loop.
    def stop_reply(self) -> None:
        """The caller is speaking over the show: drop what waits here and mute until ``cut_landed``.

        Then ``clear_platform`` (awaited) drops what the platform holds.
        """
        self._frames.clear()
        self._ready.clear()
        self._next_index = None  # the conversion restarts at the next frame: no reply left in its filter
        self._muting = True
        self._emptied = True

    async def clear_platform(self) -> None:
        """Ask the platform to drop the audio it holds for the caller (where it can: Media Streams' clear)."""
        if self.wire.marks:
            self.stats.clears += 1
            self._cleared.update(self._marks)  # the platform returns these at once, unplayed
            self._marks.clear()
            await self.wire.send_clear()

    def cut_landed(self) -> None:
        """The show's cut is done: what the pacer sends from now on is after it; what it sent before is muted.

        So are the frames the cut kept in the queue: the first fades the reply out over 10 ms, which
        the broadcast needs (no click) but this caller, silent since ``stop_reply``, would hear as a blip.
        """
        self._mute_below = self.current_frame() + BARGE_KEEP_FRAMES
        self._muting = False

    def mark_played(self, name: str) -> None:
        """The platform says the caller has heard everything up to the mark ``name``."""
        if name in self._cleared:
            self._cleared.discard(name)
            return
        if name in self._marks:
            while self._marks and self._marks.popleft() != name:
                pass  # marks come back in order; any before it were heard too
        try:
            sample = int(name.removeprefix("s"))
        except ValueError:
            return  # not one of ours
        self.stats.marks_heard += 1
        self.heard_until = max(self.heard_until or 0, sample)

    # The timer.
    async def run(self) -> None:
        """Send one frame every 20 ms until ``close``; raises the wire's WireClosedError if the line goes."""
        loop = asyncio.get_running_loop()
        period = FRAME_MS / 1000
        due: float | None = None
        while not self.closed:
            if due is None:  # (re)buffering: wait for a few frames, then keep time from now
                await self._ready.wait()
                self._ready.clear()
                if self.closed:
                    return
                due = loop.time()
            if not self._frames:
                self._ran_dry()
                due = None
                continue
            frame, first = self._frames.popleft()
            await self._send(frame, first)
            self._skip_standing_backlog()
            due += period
            delay = due - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            elif delay < -0.2:  # the loop was held up: carry on from now rather than burst to catch up
                due = loop.time()

    def _skip_standing_backlog(self) -> None:
        """Once a second: if the buffer never fell near its start level, skip the backlog that held it up.

        After the loop or the encoder stalled, the tap's frames arrive in a burst. Sent at real time from
        then on, that burst would stay in the buffer, and the caller a stall behind the show, for the rest
        of the call. The lowest level over a second tells the backlog from the tap's 33 ms jitter, which
        empties the buffer to near its start level many times a second. Skipping it loses the audio the
        stall had already made the caller miss; the caller hears the show in step again.
        """
        self._lowest = min(self._lowest, len(self._frames))
        self._window_sends += 1
        if self._window_sends < SURPLUS_WINDOW_FRAMES:
            return
        surplus = self._lowest - self.stats.prebuffer_frames
        if surplus > SURPLUS_SLACK_FRAMES:
            for _ in range(surplus):
                self._frames.popleft()
            self.stats.skipped += surplus
            logger.info("phone audio was %d ms behind the show after a stall; skipped ahead", surplus * FRAME_MS)
        self._lowest, self._window_sends = MAX_BUFFER_FRAMES, 0

    def _ran_dry(self) -> None:
        """Nothing to send at a tick: buffer again, a frame deeper if it was the tap's jitter."""
        if self._emptied:
            self._emptied = False
            return
        self.stats.underruns += 1
        self.stats.prebuffer_frames = min(MAX_PREBUFFER_FRAMES, self.stats.prebuffer_frames + 1)

    async def _send(self, frame: bytes, first: int) -> None:
        await self.wire.send_audio(frame)
        end = first + SHOW_SAMPLES_PER_WIRE_FRAME
        self.sent_until = end
        if not self.wire.marks:
            self.heard_until = end  # no playback report: what went out is the best there is
        elif self.heard_until is None:
            self.heard_until = first  # nothing confirmed heard yet
        self.stats.frames_sent += 1
        self.on_sent(first)
        if self.wire.marks and self.stats.frames_sent % self.mark_every == 0:
            name = f"s{end}"
            self._marks.append(name)
            self.stats.marks_sent += 1
            await self.wire.send_mark(name)

    def close(self) -> None:
        """Stop sending (the call is over); ``run`` returns."""
        self.closed = True
        self._ready.set()
