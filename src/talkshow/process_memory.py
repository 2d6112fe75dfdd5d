"""Process memory settings the command line applies at start (never imported for effect by library code)."""

from __future__ import annotations

import ctypes
import ctypes.util
import logging

logger = logging.getLogger(__name__)

__all__ = ["limit_malloc_arenas"]

_M_ARENA_MAX = -8  # glibc's mallopt parameter number


def limit_malloc_arenas(arenas: int = 2) -> bool:
    """Cap glibc's per-thread malloc arenas; True if applied (glibc only).

    The voice, renderer, encoder and preparer threads each grow their own arena by
    default, and freed memory in one cannot serve another. Measured on a 12-turn 1080p
    live show with the neural voice: peak RSS 614 MB by default, 552-571 MB with 2 arenas,
    with no late frame either way.
    """
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    try:
        libc = ctypes.CDLL(name)
        return bool(libc.mallopt(_M_ARENA_MAX, arenas))
    except (OSError, AttributeError):  # not glibc (musl, macOS): nothing to tune
        logger.debug("mallopt is not available; malloc arenas left as they are")
        return False
