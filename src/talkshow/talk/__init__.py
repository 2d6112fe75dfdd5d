"""Talk mode: a person talks to a character, and the call becomes the show.

transport (``talkshow.webrtc``, ``talkshow.phone``) -> ears (``talkshow.ears``: VAD, turns,
STT) -> ``conversation`` (the writer's conversation mode, voiced sentence by sentence, aired
through the live cut path) -> broadcast. ``desk`` holds the one line, whatever carries the
call; ``session`` ties one call together and traces it; ``providers`` builds the configured
STT and reply writer.

This package file loads nothing: import what you need from its modules.
"""
