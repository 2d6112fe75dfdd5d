"""espeak-ng phoneme mnemonics to ARPAbet, the common currency of lip sync.

espeak's English phonemes are ASCII mnemonics (``'aI``, ``@L``, ``tS``...) with stress
marks in front. Longest-prefix matching handles the many vowel variants.
"""

from __future__ import annotations

__all__ = ["PAUSE", "espeak_to_arpabet"]

PAUSE = "SIL"

_TABLE: dict[str, tuple[str, ...]] = {
    # vowels and diphthongs
    "a": ("AE",),
    "aa": ("AA",),
    "a#": ("AH",),
    "a2": ("AH",),
    "A:": ("AA",),
    "A@": ("AA", "R"),
    "A#": ("AA",),
    "A": ("AA",),
    "@": ("AH",),
    "@2": ("AH",),
    "@5": ("AH",),
    "@L": ("AH", "L"),
    "3:": ("ER",),
    "3": ("ER",),
    "e": ("EH",),
    "e@": ("EH", "R"),
    "eI": ("EY",),
    "E": ("EH",),
    "i": ("IY",),
    "i:": ("IY",),
    "I": ("IH",),
    "I2": ("IH",),
    "I#": ("IH",),
    "i@": ("IY", "AH"),
    "i@3": ("IY", "ER"),
    "0": ("AA",),
    "O:": ("AO",),
    "O": ("AO",),
    "O@": ("AO", "R"),
    "OI": ("OY",),
    "o@": ("AO", "R"),
    "oU": ("OW",),
    "o": ("OW",),
    "u:": ("UW",),
    "u": ("UW",),
    "U": ("UH",),
    "U@": ("UH", "R"),
    "V": ("AH",),
    "aI": ("AY",),
    "aI@": ("AY", "ER"),
    "aI3": ("AY", "ER"),
    "aU": ("AW",),
    "aU@": ("AW", "ER"),
    # consonants
    "p": ("P",),
    "b": ("B",),
    "t": ("T",),
    "t#": ("T",),
    "d": ("D",),
    "k": ("K",),
    "g": ("G",),
    "f": ("F",),
    "v": ("V",),
    "T": ("TH",),
    "D": ("DH",),
    "s": ("S",),
    "z": ("Z",),
    "S": ("SH",),
    "Z": ("ZH",),
    "tS": ("CH",),
    "dZ": ("JH",),
    "h": ("HH",),
    "m": ("M",),
    "n": ("N",),
    "n-": ("N",),
    "N": ("NG",),
    "l": ("L",),
    "l/": ("L",),
    "L": ("L",),
    "r": ("R",),
    "r-": ("R",),
    "w": ("W",),
    "j": ("Y",),
    "x": ("HH",),
    "?": (),
    # pauses
    "_": (PAUSE,),
    "_:": (PAUSE,),
    "_!": (PAUSE,),
    "_^_": (PAUSE,),
}
_STRESS = "',=%"
_LONGEST = max(len(k) for k in _TABLE)


def espeak_to_arpabet(mnemonic: str) -> tuple[str, ...]:
    """ARPAbet phones for one espeak phoneme mnemonic (empty for glottal stops)."""
    token = mnemonic.strip().lstrip(_STRESS)
    if not token:
        return ()
    for size in range(min(_LONGEST, len(token)), 0, -1):
        hit = _TABLE.get(token[:size])
        if hit is not None:
            return hit
    # Unknown mnemonic: a vowel letter means an open mouth is the safer guess.
    return ("AH",) if any(c in "aeiouAEIOU@3" for c in token) else ("T",)
