"""Phone calls into the show: talk mode's engine over the bridges telephony platforms use.

The data flow is the talk mode's, with a phone line in front: a bridge (Twilio Media
Streams over a WebSocket, ``media_stream``; Asterisk AudioSocket over TCP,
``audiosocket_server``) reads its wire and hands a ``PhoneCall`` the caller's audio, marks
and keys; the call feeds a ``TalkSession`` through ``InboundAudio`` and sends the show's
mix-minus back through ``PhoneSender``, paced in 20 ms frames. The ``Switchboard`` holds
the one line (shared with WebRTC callers), the queue, and the prompts. ``PhoneSettings`` is
the dial plan (``[phone]``). ``client`` speaks the platforms' side, for tests and benchmarks.
"""

from typing import TYPE_CHECKING

from talkshow._lazy import lazy_exports

if TYPE_CHECKING:  # the names below are imported on first use (a settings module stays light)
    from talkshow.phone.audio import FRAME_MS, MediaFormatError, PhoneAudio
    from talkshow.phone.audiosocket import AudioSocketMessage, read_message
    from talkshow.phone.settings import PhoneSettings, caller_label, mask_number
    from talkshow.phone.twilio import StreamEvent, clear_message, mark_message, media_message, parse_message

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "FRAME_MS": "audio",
        "MediaFormatError": "audio",
        "PhoneAudio": "audio",
        "AudioSocketMessage": "audiosocket",
        "read_message": "audiosocket",
        "PhoneSettings": "settings",
        "caller_label": "settings",
        "mask_number": "settings",
        "StreamEvent": "twilio",
        "clear_message": "twilio",
        "mark_message": "twilio",
        "media_message": "twilio",
        "parse_message": "twilio",
    },
)

__all__ = [
    "FRAME_MS",
    "AudioSocketMessage",
    "MediaFormatError",
    "PhoneAudio",
    "PhoneSettings",
    "StreamEvent",
    "caller_label",
    "clear_message",
    "mark_message",
    "mask_number",
    "media_message",
    "parse_message",
    "read_message",
]
