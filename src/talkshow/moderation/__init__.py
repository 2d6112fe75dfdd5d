"""Moderation: every line that can air is checked first (generated, replies, chat, callers, the operator).

Stage 1 runs offline in well under a millisecond: the show's blocklist and allowlist,
a prompt-injection check on chat, and an offensive-language classifier shipped in a
pinned wheel (``classifier``). Stage 2 is a provider of kind ``moderator``: OpenAI's
endpoint (``openai_moderation``), a chat model as judge (``judge``), a user's ONNX
classifier (``onnx_classifier``), or a plug-in. A check that flags a line, fails, or is
too slow holds it: fail closed (``gate``).
"""

from typing import TYPE_CHECKING

from talkshow._lazy import lazy_exports

if TYPE_CHECKING:  # imported on first use: the settings module stays light
    from talkshow.moderation.build import build_gate
    from talkshow.moderation.gate import ModerationGate
    from talkshow.moderation.settings import ModerationSettings
    from talkshow.moderation.text import clean_untrusted, fold
    from talkshow.moderation.types import SOURCES, LineGate, Moderator, Verdict

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "build_gate": "build",
        "ModerationGate": "gate",
        "ModerationSettings": "settings",
        "clean_untrusted": "text",
        "fold": "text",
        "SOURCES": "types",
        "LineGate": "types",
        "Moderator": "types",
        "Verdict": "types",
    },
)

__all__ = [
    "SOURCES",
    "LineGate",
    "ModerationGate",
    "ModerationSettings",
    "Moderator",
    "Verdict",
    "build_gate",
    "clean_untrusted",
    "fold",
]
