"""Live mode: shows run continuously, rendered ahead of a paced clock, streamed out."""

from talkshow.live.engine import LiveEngine, LiveSettings
from talkshow.live.frames import FrameQueue, QueuedFrame
from talkshow.live.pacer import PacerStats
from talkshow.live.programme import DEFAULT_TOPICS

__all__ = ["DEFAULT_TOPICS", "FrameQueue", "LiveEngine", "LiveSettings", "PacerStats", "QueuedFrame"]
