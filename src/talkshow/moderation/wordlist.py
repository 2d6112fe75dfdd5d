"""Stage 1, part one: the show's own blocklist and allowlist, and the chat-only prompt-injection check."""

from __future__ import annotations

import re
import time
from collections.abc import Iterable

from talkshow.core.kinds.moderation import Verdict
from talkshow.moderation.text import fold

__all__ = ["BUILTIN_BLOCKLIST", "INJECTION_PATTERNS", "WordList", "injection_verdict"]

# Text from chat that talks to the model instead of the show. It never airs and never reaches a prompt.
INJECTION_PATTERNS = (
    r"\bignore (?:all |any |the |your )?(?:previous|prior|above|earlier) (?:instructions|prompts?|rules)\b",
    r"\b(?:system|developer) prompt\b",
    r"\byou are now (?:a |an |in )?\w+",
    r"\bdisregard (?:all |your |the )?(?:instructions|rules|guidelines)\b",
    r"\b(?:jailbreak|dan mode|developer mode)\b",
    r"<\|?(?:im_start|im_end|system|endoftext)\|?>",
)
_INJECTION = re.compile("|".join(INJECTION_PATTERNS))

# Held on every show unless it says ``builtin_blocklist = false``: what the classifier misses because
# it is said without swearing (threats, self-harm urging, calm hate, sexual requests).
BUILTIN_BLOCKLIST = (
    # self-harm urging
    "kill yourself", "kys", "hang yourself", "neck yourself", "unalive yourself", "end your life",
    "ended your life", "end it all", "slit your wrists",
    # threats
    "i will kill you", "going to kill you", "gonna kill you", "i will hurt you", "i know where you live",
    "shoot him", "shoot her", "shoot them", "shoot you", "deserve to die", "deserves to die", "should die",
    # hate said calmly
    "gas them", "gas the", "heil hitler", "sieg heil", "master race", "white power", "race war",
    "subhuman", "vermin",
    # sexual
    "send nudes", "show us your tits", "show your tits", "nudes",
)  # fmt: skip


def _pattern(term: str) -> str:
    """A list entry as a regex on folded text: whole words; a trailing ``*`` matches any ending."""
    words = fold(term.rstrip("*")).split()
    body = r"\s*".join(re.escape(word) for word in words)  # "kill yourself" also catches "killyourself"
    return rf"\b{body}" + (r"\w*" if term.endswith("*") else r"\b")


class WordList:
    """Per-show terms: a blocked term holds the line; an allowed term is taken out before any check sees it.

    The allowlist is for words the classifier misreads in this show (a character called
    Dick, a town called Scunthorpe); it never lets a blocked term through.
    """

    name = "wordlist"

    def __init__(self, blocked: Iterable[str] = (), allowed: Iterable[str] = ()) -> None:
        blocked = [t for t in blocked if t.strip()]
        allowed = [t for t in allowed if t.strip()]
        self._blocked = {term: re.compile(_pattern(term)) for term in blocked}
        self._allowed = re.compile("|".join(_pattern(t) for t in allowed)) if allowed else None

    def without_allowed(self, text: str) -> str:
        """``text`` folded, with allowed terms removed (what the classifier is given)."""
        folded = fold(text)
        return self._allowed.sub(" ", folded) if self._allowed else folded

    def check(self, text: str) -> Verdict:
        """Held if a blocked term is in ``text`` (after folding disguises)."""
        started = time.perf_counter()
        folded = fold(text)
        for term, pattern in self._blocked.items():
            if pattern.search(folded):
                return Verdict(False, f"blocked term {term!r}", self.name, ms=(time.perf_counter() - started) * 1000)
        return Verdict(True, stage=self.name, ms=(time.perf_counter() - started) * 1000)

    def close(self) -> None:
        """Nothing to release."""


def injection_verdict(text: str) -> Verdict | None:
    """A held verdict if ``text`` is written to steer the model rather than the show; else None."""
    match = _INJECTION.search(fold(text))
    if match is None:
        return None
    return Verdict(False, f"prompt injection ({match.group(0)!r})", "injection")
