"""Characters: loadable packs of layered art, and the bundled cast's generator."""

from talkshow.characters.pack import (
    BROW_POSES,
    EYE_STATES,
    CharacterPack,
    Layer,
    bundled_packs_dir,
    find_pack,
    list_packs,
    load_pack,
)

__all__ = [
    "BROW_POSES",
    "EYE_STATES",
    "CharacterPack",
    "Layer",
    "bundled_packs_dir",
    "find_pack",
    "list_packs",
    "load_pack",
]
