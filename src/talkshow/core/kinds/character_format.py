"""The character-format kind: a reader of a streamer's avatar file (PNGTuber Plus ``.save``, a plug-in's).

``talkshow characters import`` picks the reader whose ``suffixes`` match the file and turns
what it read into a layered character pack. The avatar it returns is the characters
package's own value type, named here for type checkers only.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from talkshow.characters.pngtuber import ImportedAvatar

__all__ = ["CharacterFormat"]


class CharacterFormat(Protocol):
    """Reads one avatar format; the registry entry is its class, built with no arguments."""

    name: str  # for messages: "PNGTuber Plus"
    suffixes: tuple[str, ...]  # the file endings it reads, lower case, with the dot

    def read(self, path: Path) -> ImportedAvatar:
        """Read and check ``path`` (untrusted); raises CharacterPackError naming what is wrong."""
        ...
