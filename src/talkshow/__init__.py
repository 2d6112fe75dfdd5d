"""talkshow: a Python engine for live AI cartoon shows.

The data flow is the layout: writer -> voice -> lip sync + acting -> stage -> broadcast,
with telemetry through every stage.
"""

from talkshow.config import ShowConfig, show_from_topic
from talkshow.core.clock import ShowClock
from talkshow.core.errors import TalkshowError
from talkshow.show_check import load_show

__all__ = ["ShowClock", "ShowConfig", "TalkshowError", "load_show", "show_from_topic"]
__version__ = "0.1.0"
