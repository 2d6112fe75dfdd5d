"""The one show clock: video frames and audio samples both derive from it.

Audio is counted in whole samples per frame, so A/V sync is exact by construction:
frame ``n`` always carries samples ``[n * spf, (n + 1) * spf)``.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ShowClock"]


@dataclass(frozen=True)
class ShowClock:
    """Maps frame numbers to show time and to audio sample ranges."""

    fps: int = 30
    sample_rate: int = 48_000

    def __post_init__(self) -> None:
        if self.fps <= 0 or self.sample_rate <= 0:
            raise ValueError(f"fps and sample_rate must be positive, got {self.fps}, {self.sample_rate}")
        if self.sample_rate % self.fps:
            # A fractional sample count per frame would make the audio drift against video.
            raise ValueError(f"sample_rate {self.sample_rate} is not a whole multiple of fps {self.fps}")

    @property
    def samples_per_frame(self) -> int:
        """Audio samples carried by each video frame (1600 at 48 kHz, 30 fps)."""
        return self.sample_rate // self.fps

    @property
    def frame_seconds(self) -> float:
        """Duration of one frame in seconds."""
        return 1.0 / self.fps

    def frame_at(self, seconds: float) -> int:
        """The frame on screen at ``seconds`` of show time."""
        return int(seconds * self.fps + 1e-9)

    def frames_for(self, seconds: float) -> int:
        """Whole frames needed to cover ``seconds`` (rounded up)."""
        frames = seconds * self.fps
        whole = int(frames)
        return whole if frames - whole < 1e-9 else whole + 1

    def seconds_at(self, frame: int) -> float:
        """Show time at the start of ``frame``."""
        return frame / self.fps
