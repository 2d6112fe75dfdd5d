"""Moderation: every line that can air is checked first (generated, replies, chat, callers, the operator).

Stage 1 runs offline in well under a millisecond: the show's blocklist and allowlist,
a prompt-injection check on chat, and an offensive-language classifier shipped in a
pinned wheel (``classifier``). Stage 2 is a provider of kind ``moderator``: OpenAI's
endpoint (``openai_moderation``), a chat model as judge (``judge``), a user's ONNX
classifier (``onnx_classifier``), or a plug-in. A check that flags a line, fails, or is
too slow holds it: fail closed (``gate``).

This package file loads nothing: import what you need from its modules.
"""
