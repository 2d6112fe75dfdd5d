"""WebRTC: the show to viewers and the talker, and the talker's microphone back (aiortc). Import the module you need."""
