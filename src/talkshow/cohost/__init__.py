"""Co-host mode: a character beside a streamer on the streamer's own stream (``[cohost]`` in a show file)."""

from talkshow.cohost.settings import SECTION, CohostSettings

__all__ = ["SECTION", "CohostSettings"]
