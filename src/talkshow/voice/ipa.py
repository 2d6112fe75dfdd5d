"""IPA (as espeak-ng writes it for neural voices) to ARPAbet, the common currency of lip sync.

A neural voice times every IPA symbol it was fed. Symbols that are not sounds of
their own (stress, length, ties, the pads between ids) lend their time to the sound
before them; punctuation and word gaps are pauses.
"""

from __future__ import annotations

from talkshow.voice.arpabet import PAUSE

_SILENT_IDS = frozenset(["_", "^", "$"])  # Piper's pad, start and end: they take the time of their neighbours

__all__ = ["MODIFIERS", "ipa_to_arpabet", "timed_phones"]

# Two-symbol sounds first: longest match wins.
_TABLE: dict[str, tuple[str, ...]] = {
    "aɪ": ("AY",), "aʊ": ("AW",), "eɪ": ("EY",), "oʊ": ("OW",), "ɔɪ": ("OY",), "əʊ": ("OW",),
    "tʃ": ("CH",), "dʒ": ("JH",), "ɪə": ("IH", "AH"), "ʊə": ("UH", "AH"), "eə": ("EH", "AH"),
    "a": ("AA",), "ɑ": ("AA",), "ɒ": ("AA",), "æ": ("AE",), "ʌ": ("AH",), "ə": ("AH",), "ɐ": ("AH",),
    "ɔ": ("AO",), "ɛ": ("EH",), "e": ("EH",), "ɜ": ("ER",), "ɚ": ("ER",), "ɝ": ("ER",), "ɪ": ("IH",),
    "ᵻ": ("IH",), "ɨ": ("IH",), "i": ("IY",), "o": ("OW",), "ʊ": ("UH",), "u": ("UW",), "ʉ": ("UW",),
    "y": ("UW",), "ø": ("UW",), "œ": ("EH",),
    "b": ("B",), "d": ("D",), "ð": ("DH",), "f": ("F",), "ɡ": ("G",), "g": ("G",), "h": ("HH",),
    "j": ("Y",), "k": ("K",), "l": ("L",), "ɫ": ("L",), "m": ("M",), "n": ("N",), "ŋ": ("NG",),
    "p": ("P",), "ɹ": ("R",), "r": ("R",), "ɾ": ("D",), "s": ("S",), "ʃ": ("SH",), "t": ("T",),
    "θ": ("TH",), "v": ("V",), "w": ("W",), "ʍ": ("W",), "z": ("Z",), "ʒ": ("ZH",), "x": ("HH",),
    "ʔ": (PAUSE,), "ç": ("HH",), "β": ("B",), "ɣ": ("G",), "ʁ": ("R",), "ʀ": ("R",), "ɲ": ("N",),
}  # fmt: skip
# No sound of their own: stress, length, diacritics, Piper's pad/start/end ids, and the gap
# between words (fluent speech does not pause there; the mouth keeps moving).
MODIFIERS = frozenset(["ˈ", "ˌ", "ː", "ˑ", "\u0329", "\u032f", "\u032a", "\u0303", "\u0327", "ʰ", "ʲ", "˞", "ˤ", " "])
_PAUSES = frozenset([".", ",", "?", "!", ";", ":", "-", "…", "—", "(", ")", '"', "'", "#", "↓", "_", "^", "$"])


def ipa_to_arpabet(ipa: str) -> list[str]:
    """ARPAbet for an IPA string (modifiers dropped, unknown symbols skipped)."""
    return [phone for _, phones in _segments(list(ipa)) for phone in phones]


def timed_phones(symbols: list[str], samples: list[float]) -> list[tuple[str, float, float]]:
    """``(phone, start, end)`` in samples for symbols that each took ``samples[i]`` samples.

    A sound of two symbols (``aɪ``) spans both; a modifier's time joins the sound before
    it (or a pause at the start); a sound of two phones (``ɪə``) splits its time evenly.
    """
    starts = [0.0]
    for length in samples:
        starts.append(starts[-1] + length)
    timed: list[tuple[str, float, float]] = []
    for (first, last), phones in _segments(symbols):
        begin, end = starts[first], starts[last + 1]
        if not phones:  # a modifier: lengthen what came before
            if timed:
                phone, start, _ = timed[-1]
                timed[-1] = (phone, start, end)
            else:
                timed.append((PAUSE, begin, end))
            continue
        step = (end - begin) / len(phones)
        for part, phone in enumerate(phones):
            entry = (phone, begin + part * step, begin + (part + 1) * step)
            if phone == PAUSE and timed and timed[-1][0] == PAUSE:
                timed[-1] = (PAUSE, timed[-1][1], entry[2])
            else:
                timed.append(entry)
    return timed


def _segments(symbols: list[str]) -> list[tuple[tuple[int, int], tuple[str, ...]]]:
    """Symbols grouped into sounds: ((first index, last index), ARPAbet phones)."""
    out: list[tuple[tuple[int, int], tuple[str, ...]]] = []
    index = 0
    while index < len(symbols):
        pair = "".join(symbols[index : index + 2])
        if len(symbols) > index + 1 and pair in _TABLE:
            out.append(((index, index + 1), _TABLE[pair]))
            index += 2
            continue
        symbol = symbols[index]
        if symbol in _TABLE:
            out.append(((index, index), _TABLE[symbol]))
        elif symbol in _PAUSES and symbol not in _SILENT_IDS:
            out.append(((index, index), (PAUSE,)))
        else:  # stress, length, an unknown letter: no sound of its own
            out.append(((index, index), ()))
        index += 1
    return out
