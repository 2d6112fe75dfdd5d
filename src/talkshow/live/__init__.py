"""Live mode: shows run continuously, rendered ahead of a paced clock, streamed out.

Import what you need from its modules (``talkshow.live.engine.LiveEngine``,
``talkshow.live.settings.LiveSettings``); this package file loads nothing, so naming a
module inside it never starts the engine's imports.
"""
