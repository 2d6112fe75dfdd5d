"""Where a sentence ends, one rule for everything that cuts text into sentences.

A sentence ends at ``.``, ``!``, ``?`` or ``…`` (with closing quotes or brackets after it) followed
by white space. A streamed reply is voiced a sentence at a time as soon as each ends
(``SentenceSplitter``); an HTTP voice asks for one sentence per request (``split_sentences``).
"""

from __future__ import annotations

import re

__all__ = ["SENTENCE_END", "SentenceSplitter", "split_sentences"]

SENTENCE_END = re.compile(r"[.!?…]+[\"')\]]*(?=\s)")


class SentenceSplitter:
    """Cuts streamed text into sentences as soon as each one's end has arrived."""

    def __init__(self) -> None:
        self._buffer = ""

    def feed(self, delta: str) -> list[str]:
        """Sentences completed by ``delta`` (a sentence ends at . ! ? … followed by a space)."""
        self._buffer += delta
        sentences, start = [], 0
        for end in SENTENCE_END.finditer(self._buffer):
            sentences.append(self._buffer[start : end.end()].strip())
            start = end.end()
        self._buffer = self._buffer[start:]
        return [s for s in sentences if s]

    def rest(self) -> str:
        """What is left after the last complete sentence."""
        rest, self._buffer = self._buffer.strip(), ""
        return rest


def split_sentences(text: str) -> list[str]:
    """``text`` cut after each sentence's end; the pieces (white space kept) join back to ``text``."""
    pieces, start = [], 0
    for end in SENTENCE_END.finditer(text):
        pieces.append(text[start : end.end()])
        start = end.end()
    if start < len(text):
        pieces.append(text[start:])
    return pieces or [text]
