"""Voice stage: line text to speech (PCM + phoneme timings), sentence by sentence.

Providers plug in behind :class:`VoiceEngine` and register one line in
``talkshow.voice.registry``. The embedded default is a Piper neural voice on
onnxruntime; espeak-ng is always there as an engine and the last resort.


This package file loads nothing: import what you need from its modules.
"""
