"""The Rhubarb mouth-shape set and the ARPAbet phone to shape mapping.

A: closed (P, B, M)          B: slightly open, teeth (most consonants, EE)
C: open (EH, AE)             D: wide open (AA)
E: slightly rounded (AO, ER) F: puckered (UW, OW, W)
G: teeth on lip (F, V)       H: tongue up (L)
X: rest (silence)
"""

from __future__ import annotations

__all__ = ["REST", "SHAPES", "shape_for_phone"]

SHAPES = ("A", "B", "C", "D", "E", "F", "G", "H", "X")
REST = "X"

_PHONE_SHAPES = {
    "AA": "D",
    "AE": "C",
    "AH": "C",
    "AO": "E",
    "AW": "D",
    "AY": "D",
    "EH": "C",
    "ER": "E",
    "EY": "C",
    "IH": "B",
    "IY": "B",
    "OW": "E",
    "OY": "E",
    "UH": "F",
    "UW": "F",
    "B": "A",
    "M": "A",
    "P": "A",
    "F": "G",
    "V": "G",
    "L": "H",
    "W": "F",
    "R": "E",
    "CH": "B",
    "JH": "B",
    "SH": "B",
    "ZH": "B",
    "Y": "B",
    "D": "B",
    "T": "B",
    "N": "B",
    "S": "B",
    "Z": "B",
    "TH": "B",
    "DH": "B",
    "K": "B",
    "G": "B",
    "NG": "B",
    "HH": "C",
    "SIL": "X",
}


def shape_for_phone(phone: str) -> str:
    """Rhubarb shape for an ARPAbet phone (stress digits ignored)."""
    base = phone.rstrip("012").upper()
    return _PHONE_SHAPES.get(base, "B")
