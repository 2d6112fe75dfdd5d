"""On-disk speech cache keyed by engine, voice settings, text and sample rate."""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from pathlib import Path

import numpy as np

from talkshow.core.kinds.voice import PhonemeTiming, Speech
from talkshow.core.turn import WordTiming

logger = logging.getLogger(__name__)

__all__ = ["SpeechCache", "default_cache_dir"]

_FORMAT = "1"


def default_cache_dir() -> Path:
    """``$TALKSHOW_CACHE_DIR`` or ``~/.cache/talkshow``."""
    env = os.environ.get("TALKSHOW_CACHE_DIR")
    return Path(env) if env else Path.home() / ".cache" / "talkshow"


class SpeechCache:
    """Stores synthesized speech as ``.npz`` files; safe against concurrent writers."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder / "speech"

    def key(self, voice_key: str, engine_version: str, text: str, sample_rate: int) -> str:
        """The cache key for one line in one voice."""
        raw = "\x1f".join([_FORMAT, voice_key, engine_version, str(sample_rate), text])
        return hashlib.sha256(raw.encode()).hexdigest()

    def get(self, key: str) -> Speech | None:
        """Cached speech for ``key``, or None (also for an unreadable entry)."""
        path = self.folder / f"{key[:2]}/{key}.npz"
        if not path.exists():
            return None
        try:
            with np.load(path, allow_pickle=False) as data:
                phon = data["phonemes"]
                words = data["words"]
                return Speech(
                    samples=data["samples"].astype(np.int16),
                    sample_rate=int(data["rate"]),
                    text=str(data["text"]),
                    phonemes=tuple(
                        PhonemeTiming(float(s), float(e), str(p))
                        for s, e, p in zip(data["ph_start"], data["ph_end"], phon, strict=True)
                    ),
                    words=tuple(WordTiming(float(a), float(b), int(c), int(d)) for a, b, c, d in words),
                )
        except (OSError, ValueError, KeyError) as exc:
            logger.warning("ignoring unreadable speech cache entry %s: %s", path, exc)
            return None

    def put(self, key: str, speech: Speech) -> None:
        """Store ``speech`` under ``key`` (atomically, by rename)."""
        path = self.folder / f"{key[:2]}/{key}.npz"
        path.parent.mkdir(parents=True, exist_ok=True)
        words = np.array([[w.start, w.end, w.char_start, w.char_end] for w in speech.words], dtype=np.float64).reshape(
            -1, 4
        )
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                np.savez(
                    handle,
                    samples=speech.samples,
                    rate=np.int64(speech.sample_rate),
                    text=np.str_(speech.text),
                    ph_start=np.array([p.start for p in speech.phonemes], dtype=np.float64),
                    ph_end=np.array([p.end for p in speech.phonemes], dtype=np.float64),
                    phonemes=np.array([p.phone for p in speech.phonemes], dtype=np.str_),
                    words=words,
                )
            os.replace(tmp, path)
        except OSError as exc:
            logger.warning("could not write speech cache %s: %s", path, exc)
            Path(tmp).unlink(missing_ok=True)
