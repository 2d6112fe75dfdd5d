"""Ears (talk mode): incoming audio -> voice activity -> turns -> speech to text -> writer.

Silero voice activity on onnxruntime; a silence-based turn detector with start and end
thresholds, a minimum speech length (backchannels do not count) and a bounded utterance
length, which an opt-in turn model (Smart Turn v3, :class:`TurnJudge`) can end sooner or
hold open; and speech to text behind :class:`SpeechToText` (Whisper base on CTranslate2, embedded,
the default; pocketsphinx, bundled, the light fallback; any OpenAI-compatible transcription endpoint).

This package file loads nothing: import what you need from its modules.
"""
