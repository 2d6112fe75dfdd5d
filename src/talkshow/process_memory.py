"""Process memory settings: the command line's at start, and a model child's after loading (never on import)."""

from __future__ import annotations

import ctypes
import ctypes.util
import logging

logger = logging.getLogger(__name__)

__all__ = ["limit_malloc_arenas", "return_free_memory"]

_M_ARENA_MAX = -8  # glibc's mallopt parameter numbers
_M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 1 << 20  # allocations of 1 MB and more get pages of their own, returned when freed


def limit_malloc_arenas(arenas: int = 2) -> bool:
    """Cap glibc's per-thread malloc arenas and fix its mmap threshold; True if applied (glibc only).

    The voice, renderer, encoder and preparer threads each grow their own arena by
    default, and freed memory in one cannot serve another. Measured on a 12-turn 1080p
    live show with the neural voice: peak RSS 614 MB by default, 552-571 MB with 2 arenas,
    with no late frame either way.

    glibc raises its mmap threshold each time a big block is freed (up to 32 MB), so a voice's
    activations for a long sentence, an image decoded for a card, then live in the heap and
    stay resident after they are freed. A fixed 1 MB threshold gives them pages of their own,
    returned when freed. Measured (`benchmarks/memory_parts.py --station`, 1080p, 90 s from a
    cold speech cache): peak RSS 740 -> 637 MB.
    """
    libc = _libc()
    if libc is None:
        return False
    try:
        threshold = bool(libc.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD))
        return bool(libc.mallopt(_M_ARENA_MAX, arenas)) and threshold
    except (OSError, AttributeError):  # not glibc (musl, macOS): nothing to tune
        logger.debug("mallopt is not available; malloc arenas left as they are")
        return False


def return_free_memory() -> bool:
    """Give the heap's free pages back to the system (glibc's ``malloc_trim``); True if any went back.

    For a process that has just loaded a model: the loader's scratch buffers are freed but stay
    resident in the heap until trimmed. Measured on the ears' child (Whisper base, int8): 147 ->
    120 MB anonymous memory after loading.
    """
    libc = _libc()
    if libc is None:
        return False
    try:
        return bool(libc.malloc_trim(0))
    except AttributeError:  # not glibc
        return False


def _libc() -> ctypes.CDLL | None:
    """The C library, or None where it cannot be found or loaded."""
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        return ctypes.CDLL(name)
    except OSError:
        return None
