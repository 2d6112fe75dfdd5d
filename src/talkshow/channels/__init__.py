"""Several channels from one command: each a ``talkshow serve`` child of its own, let in by measured headroom.

``talkshow serve --channels channels.toml`` starts the house: it admits each channel (see
``admission``), starts it as a child process with its own clock, encoder, outputs and
database, pinned to its own cores while there are enough, restarts it with backoff when it
falls, and serves a page of every channel's state with a link to its studio.
"""

from talkshow.channels.admission import Verdict, decide
from talkshow.channels.channel import Channel, ChannelState
from talkshow.channels.house import ChannelHouse
from talkshow.channels.spec import ChannelSpec, HouseSpec, load_channels

__all__ = ["Channel", "ChannelHouse", "ChannelSpec", "ChannelState", "HouseSpec", "Verdict", "decide", "load_channels"]
