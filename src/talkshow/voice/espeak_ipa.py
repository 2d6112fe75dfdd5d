"""Text to IPA with the project's own libespeak-ng: the phonemes neural voices are fed.

Piper and Kokoro models were trained on espeak-ng's IPA. ``espeak_TextToPhonemes``
returns one clause per call and moves the text pointer past it; the clause's closing
punctuation is read back from the text it consumed, because the model was trained
with it (a question sounds like one).
"""

from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass

from talkshow.core.errors import UnknownVoiceError
from talkshow.voice.espeak import shared_library

__all__ = ["IpaClause", "ipa_clauses", "sentences"]

_CHARS_UTF8 = 1
_PHONEMES_IPA = 0x02
_TERMINATORS = ".,?!;:"
_SENTENCE_END = ".?!"
_CLOSING = re.compile(r"([.,?!;:])[\"'’”)\]]*\s*\S?$")
_WORD = re.compile(r"[\w'’-]+")


@dataclass(frozen=True)
class IpaClause:
    """One clause: its IPA words, the punctuation that closed it, and its span in the text."""

    ipa: str
    terminator: str
    char_start: int
    char_end: int

    @property
    def ends_sentence(self) -> bool:
        """True when the clause closes a sentence (. ? !), where a voice may breathe and stream."""
        return self.terminator in _SENTENCE_END


def ipa_clauses(text: str, language: str = "en-us") -> list[IpaClause]:
    """The IPA of ``text`` clause by clause, as espeak-ng speaks it in ``language``."""
    lib = shared_library()
    encoded = text.encode("utf-8")
    buffer = ctypes.create_string_buffer(encoded)
    base = ctypes.addressof(buffer)
    pointer = ctypes.c_void_p(base)
    clauses: list[IpaClause] = []
    with lib.lock:
        if lib.lib.espeak_SetVoiceByName(language.encode()) != 0:
            raise UnknownVoiceError("espeak", language, "espeak-ng cannot phonemize this language")
        lib.lib.espeak_TextToPhonemes.restype = ctypes.c_char_p
        while pointer.value is not None and pointer.value - base < len(encoded):
            before = pointer.value - base
            raw: bytes | None = lib.lib.espeak_TextToPhonemes(ctypes.byref(pointer), _CHARS_UTF8, _PHONEMES_IPA)
            after = len(encoded) if pointer.value is None else pointer.value - base
            if after <= before:  # no progress: never loop forever on odd input
                break
            offset = len(encoded[:before].decode("utf-8", "replace"))
            consumed = encoded[before:after].decode("utf-8", "replace")
            ipa = (raw or b"").decode("utf-8", "replace").strip()
            # espeak reads one character past the clause; the punctuation sits just before it.
            closing = _CLOSING.search(consumed)
            if closing is not None:
                terminator, char_end = closing.group(1), offset + closing.start(1) + 1
            else:
                terminator, char_end = "", offset + len(consumed.rstrip())
            char_start = clauses[-1].char_end if clauses else 0
            if ipa:
                clauses.append(IpaClause(ipa, terminator, char_start, max(char_end, char_start)))
    return clauses


def sentences(clauses: list[IpaClause]) -> list[list[IpaClause]]:
    """Clauses grouped into sentences: the unit a neural voice synthesizes and streams."""
    groups: list[list[IpaClause]] = []
    current: list[IpaClause] = []
    for clause in clauses:
        current.append(clause)
        if clause.ends_sentence:
            groups.append(current)
            current = []
    if current:
        groups.append(current)
    return groups


def word_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Character spans of the words in ``text[start:end]``."""
    return [(start + m.start(), start + m.end()) for m in _WORD.finditer(text[start:end])]
