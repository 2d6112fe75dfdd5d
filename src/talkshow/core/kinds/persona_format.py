"""The persona-format kind: a reader of a file that says who a character is (a Character Card, a plug-in's).

A show file's ``[[cast]]`` entry names one with ``card = "FILE"``; the reader whose
``suffixes`` match turns it into a ``Persona``, which fills the cast member's name,
persona, greeting and example lines. Bring your own character is then avatar + voice + persona.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from talkshow.core.cast import Persona

__all__ = ["PersonaFormat"]


class PersonaFormat(Protocol):
    """Reads one persona format; the registry entry is its class, built with no arguments."""

    name: str  # for messages: "Character Card"
    suffixes: tuple[str, ...]  # the file endings it reads, lower case, with the dot

    def read(self, path: Path) -> Persona:
        """Read and check ``path`` (untrusted); raises CharacterCardError naming what is wrong."""
        ...
