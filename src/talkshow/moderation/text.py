"""Untrusted text made safe to show, and folded so that a check cannot be dodged with disguises."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["MAX_MARKS_PER_LETTER", "clean_untrusted", "fold"]

MAX_MARKS_PER_LETTER = 1  # one accent stays (café); zalgo's dozens of stacked marks go
_SPACES = re.compile(r"\s+")
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "@": "a", "5": "s", "$": "s", "7": "t"})
_REPEATS = re.compile(r"(\w)\1{2,}")  # "fuuuuck" -> "fuck"
_SPACED_LETTERS = re.compile(r"\b(?:\w[ .\-_*]){2,}\w\b")  # "k.i.l.l" or "k i l l" -> "kill"


def clean_untrusted(text: str, limit: int) -> str:
    """``text`` from outside, fit to show: NFKC, no control or format characters, no mark stacks, one line.

    What it removes is what breaks a caption or a terminal (control codes, bidi overrides,
    zero-width joiners used to split words, zalgo); the words themselves stay. Cut to
    ``limit`` characters, at a word boundary when there is one near.
    """
    text = unicodedata.normalize("NFKC", text)
    kept: list[str] = []
    marks = 0
    for char in text:
        category = unicodedata.category(char)
        if category in ("Cc", "Cf", "Cs", "Co", "Cn"):
            kept.append(" " if char in "\t\n\r\x0b\x0c" else "")
            continue
        if category.startswith("M"):
            marks += 1
            if marks > MAX_MARKS_PER_LETTER:
                continue
        else:
            marks = 0
        kept.append(char)
    cleaned = _SPACES.sub(" ", "".join(kept)).strip()
    if len(cleaned) > limit:
        cut = cleaned[:limit]
        space = cut.rfind(" ")
        cleaned = (cut[:space] if space > limit * 0.6 else cut).rstrip() + "…"
    return cleaned


def fold(text: str) -> str:
    """``text`` as a check compares it: lower case, no accents, leetspeak read, stretched and spaced words joined."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    # Marks (accents, zalgo) and format characters (zero-width spaces and joiners that split a word) go.
    plain = "".join(c for c in decomposed if unicodedata.category(c)[0] != "M" and unicodedata.category(c) != "Cf")
    plain = plain.translate(_LEET)
    plain = _SPACED_LETTERS.sub(lambda m: re.sub(r"[ .\-_*]", "", m.group(0)), plain)
    plain = _REPEATS.sub(r"\1", plain)
    return _SPACES.sub(" ", plain).strip()
