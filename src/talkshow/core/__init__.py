"""The core every package stands on, importing nothing else of talkshow.

- ``errors``: the one exception tree (``TalkshowError`` and its branches);
- ``clock``: the show clock (1600 samples a frame at 48 kHz and 30 fps);
- ``lines``, ``turn``, ``air``, ``recall``: the value types the stages hand each other
  (a line, a turn ready for air, what aired and what a cut took, what the show remembers);
- ``faces``: the engine's narrow faces (``OnAir``, ``ShowControl``) that talk mode, the phone,
  chat and the server use;
- ``registry``: the one generic typed registry every kind of provider is found through;
- ``part_state``: where a supervised part is in its life.

This file loads nothing: import the module you need.
"""
