"""Make caption text speakable: drop emoji and markup, keep the words.

Captions keep the original text; only what the TTS engine hears is cleaned.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["clean_for_speech"]

_MARKDOWN_LINK = re.compile(r"\[([^\]]+)\]\([^)]+\)")
_URL = re.compile(r"https?://\S+")
_TAG = re.compile(r"<[^>]{1,200}>")
_EMPHASIS = re.compile(r"[*_~`#|]+")
_STAGE_DIRECTION = re.compile(r"\((?:[a-z ]{1,30})\)|\[(?:[a-z ]{1,30})\]", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.!?;:])")
_DROP_CATEGORIES = {"So", "Sk", "Cs", "Co", "Cn", "Cc", "Cf", "Mn"}


def clean_for_speech(text: str) -> str:
    """Text with emoji, markup, URLs and stage directions removed."""
    text = _MARKDOWN_LINK.sub(r"\1", text)
    text = _URL.sub(" link ", text)
    text = _TAG.sub(" ", text)
    text = _STAGE_DIRECTION.sub(" ", text)
    text = _EMPHASIS.sub(" ", text)
    text = unicodedata.normalize("NFKC", text)
    kept = []
    for char in text:
        if char in "\n\t":
            kept.append(" ")
        elif unicodedata.category(char) not in _DROP_CATEGORIES:
            kept.append(char)
    return _SPACE_BEFORE_PUNCT.sub(r"\1", _SPACES.sub(" ", "".join(kept))).strip()
