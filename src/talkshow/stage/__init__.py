"""Stage: performances to raw I420 frames.

The set is drawn and lit once; character states are prepared at load; each frame
redraws only the regions whose draw items changed.
"""

from talkshow.stage.builder import Stage, build_stage
from talkshow.stage.captions import render_caption
from talkshow.stage.compositor import Caption, Compositor, FrameState
from talkshow.stage.frame import FrameBuffer, Rect, Sprite
from talkshow.stage.scene import Layout
from talkshow.stage.tv import GeneratedChannel, TVSource, VideoFileTV, open_tv

__all__ = [
    "Caption",
    "Compositor",
    "FrameBuffer",
    "FrameState",
    "GeneratedChannel",
    "Layout",
    "Rect",
    "Sprite",
    "Stage",
    "TVSource",
    "VideoFileTV",
    "build_stage",
    "open_tv",
    "render_caption",
]
