"""Phone calls into the show ([8-phone]): the wire formats of the two common bridges, and their audio.

So far the protocol layer only, each part tested on its own: Twilio Media Streams' JSON
messages (:mod:`talkshow.phone.twilio`), Asterisk AudioSocket's framing
(:mod:`talkshow.phone.audiosocket`), and the G.711 and 8 kHz <-> 48 kHz audio conversions
(:mod:`talkshow.phone.audio`). The transports that put a call on the talk engine come next.
"""

from talkshow.phone.audio import FRAME_MS, PhoneAudio
from talkshow.phone.audiosocket import AudioSocketMessage, read_message
from talkshow.phone.twilio import StreamEvent, clear_message, mark_message, media_message, parse_message

__all__ = [
    "FRAME_MS",
    "AudioSocketMessage",
    "PhoneAudio",
    "StreamEvent",
    "clear_message",
    "mark_message",
    "media_message",
    "parse_message",
    "read_message",
]
