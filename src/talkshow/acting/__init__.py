"""Acting stage: a line plus its speech become a performance (poses per frame)."""

from talkshow.acting.types import NEUTRAL_POSE, Pose

__all__ = ["NEUTRAL_POSE", "Pose"]
