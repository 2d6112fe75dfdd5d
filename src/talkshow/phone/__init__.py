"""Phone calls into the show: talk mode's engine over the bridges telephony platforms use.

The data flow is the talk mode's, with a phone line in front: a bridge (Twilio Media
Streams over a WebSocket, ``media_stream``; Asterisk AudioSocket over TCP,
``audiosocket_server``) reads its wire and hands a ``PhoneCall`` the caller's audio, marks
and keys; the call feeds a ``TalkSession`` through ``InboundAudio`` and sends the show's
mix-minus back through ``PhoneSender``, paced in 20 ms frames. The ``Switchboard`` holds
the one line (shared with WebRTC callers), the queue, and the prompts. ``PhoneSettings`` is
the dial plan (``[phone]``). ``client`` speaks the platforms' side, for tests and benchmarks.

This package file loads nothing: import what you need from its modules.
"""
