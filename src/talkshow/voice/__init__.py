"""Voice stage: line text to speech (PCM + phoneme timings), sentence by sentence.

An engine plugs in behind ``VoiceEngine`` (``voice/types.py``) and registers one line in
``VOICES`` (``talkshow.providers``), or an entry point in the group ``talkshow.voice``.
The embedded default is a Piper neural voice on onnxruntime; espeak-ng is always there as
an engine and the last resort. ``SpeechService`` (``voice/service.py``) is what the stages use.

This package file loads nothing: import what you need from its modules.
"""
