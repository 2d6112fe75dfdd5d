"""Writer stage: a topic becomes lines (speaker, text, emotion).

``improv`` (offline default), ``script`` (a screenplay file) and ``openai`` (any
OpenAI-compatible endpoint), all wrapped so a failing writer falls back to improv.

This package file loads nothing: import what you need from its modules.
"""
