"""The frame queue between renderer and pacer: bounded, pooled, and cuttable."""

from __future__ import annotations

import numpy as np

from talkshow.live.frames import FrameQueue, QueuedFrame


def _fill(queue: FrameQueue, idle_flags: list[bool]) -> None:
    for index, idle in enumerate(idle_flags):
        buffer = queue.acquire(timeout=0.1)
        assert buffer is not None
        buffer[:] = index
        queue.put(QueuedFrame(index, buffer, np.zeros(1600, np.int16), idle, 0.5))


def test_queue_is_bounded_and_never_blocks_the_consumer() -> None:
    queue = FrameQueue(capacity=3, frame_size=64)
    _fill(queue, [False, False, False])
    assert queue.acquire(timeout=0.05) is None, "a full queue makes the renderer wait, not grow"
    first = queue.pop()
    assert first is not None and first.show_frame == 0 and int(first.i420[0]) == 0
    assert queue.acquire(timeout=0.05) is not None, "room again after a pop"
    empty = FrameQueue(capacity=2, frame_size=8)
    assert empty.pop() is None, "the pacer gets None at once when nothing is ready"


def test_cut_drops_only_idle_frames_at_the_tail_and_recycles_their_buffers() -> None:
    queue = FrameQueue(capacity=6, frame_size=16)
    _fill(queue, [False, True, False, True, True, True])
    assert queue.cut_idle() == [3, 4, 5]
    assert queue.depth == 3
    popped = [queue.pop() for _ in range(3)]
    assert [f.show_frame for f in popped if f is not None] == [0, 1, 2]
    for frame in popped:
        assert frame is not None
        queue.release(frame.i420)  # as the pacer does once a frame is on air
    buffers = [queue.acquire(timeout=0.05) for _ in range(6)]
    assert all(b is not None for b in buffers), "cut buffers went back to the pool"
