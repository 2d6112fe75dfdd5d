"""Exceptions talkshow raises at its boundaries.

Every error names what was wrong, and for files where it was, so a user can fix it
without reading a traceback.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "AlignmentError",
    "BusyError",
    "CharacterCardError",
    "CharacterPackError",
    "ConnectionLostError",
    "InputError",
    "LineTooLongError",
    "NothingToSayError",
    "QueueFullError",
    "ServiceError",
    "ShowFileError",
    "TVSourceError",
    "TalkshowError",
    "UnknownCharacterError",
    "UnknownVoiceError",
    "VoiceError",
    "WriterError",
]


class TalkshowError(Exception):
    """Base class for every error talkshow raises on purpose."""

    def __reduce__(self) -> tuple[object, ...]:
        # An error crosses processes (a render in a pool's worker, a helper's child) by pickle, which rebuilds
        # it from its args; a subclass whose __init__ takes other arguments than its message could not be
        # rebuilt, and a process pool that cannot read a worker's result breaks. So: its class, its finished
        # message and its attributes, without calling __init__ again.
        return (_rebuilt, (type(self), str(self), dict(self.__dict__)))


def _rebuilt(kind: type[TalkshowError], message: str, attributes: dict[str, object]) -> TalkshowError:
    error = kind.__new__(kind)
    Exception.__init__(error, message)
    error.__dict__.update(attributes)
    return error


class ShowFileError(TalkshowError):
    """A show file (TOML) or a screenplay is malformed; names the file and line."""

    def __init__(self, path: Path | str, message: str, line: int | None = None) -> None:
        self.path = Path(path)
        self.line = line
        where = f"{self.path}:{line}" if line is not None else str(self.path)
        super().__init__(f"{where}: {message}")


class CharacterPackError(TalkshowError):
    """A character pack folder is missing files or has a malformed manifest."""

    def __init__(self, pack: Path | str, message: str) -> None:
        self.pack = Path(pack)
        super().__init__(f"character pack {self.pack}: {message}")


class CharacterCardError(TalkshowError):
    """A Character Card (a persona file, JSON or PNG) is malformed or hostile; names the file and what."""

    def __init__(self, path: Path | str, message: str) -> None:
        self.path = Path(path)
        super().__init__(f"character card {self.path}: {message}")


class UnknownCharacterError(TalkshowError):
    """A show names a character pack that does not exist."""

    def __init__(self, name: str, available: list[str]) -> None:
        self.name = name
        choices = ", ".join(sorted(available)) or "none"
        super().__init__(f"unknown character {name!r}; available: {choices}")


class VoiceError(TalkshowError):
    """A voice could not synthesize a line."""


class UnknownVoiceError(VoiceError):
    """A show names a voice that the engine does not have."""

    def __init__(self, engine: str, name: str, hint: str = "") -> None:
        self.engine = engine
        self.name = name
        extra = f"; {hint}" if hint else ""
        super().__init__(f"unknown {engine} voice {name!r}{extra} (see `talkshow voices`)")


class WriterError(TalkshowError):
    """A writer could not produce a usable line (endpoint down, garbage output...)."""


class ServiceError(TalkshowError):
    """Something talkshow talks to failed or went away: an endpoint, a platform, a child process, a peer.

    The part that met it says so and carries on (a fallback, a retry with backoff, a restart).
    """


class ConnectionLostError(ServiceError, ConnectionError):
    """A connection talkshow relied on is gone (reset, closed); also a ``ConnectionError``."""


class TVSourceError(TalkshowError):
    """The TV's video file is missing or cannot be decoded."""

    def __init__(self, source: str, message: str) -> None:
        self.source = source
        super().__init__(f"TV source {source!r}: {message}")


class AlignmentError(TalkshowError):
    """Forced alignment of audio against its text failed."""


class InputError(TalkshowError):
    """A request's content cannot be used; the message says what was wrong."""


class LineTooLongError(InputError):
    """A line would stay on air longer than any line may (it is not retried: it would be as long again)."""


class LineHeldError(InputError):
    """Moderation held the line: it does not air (retrying gives the same verdict)."""

    def __init__(self, message: str, reason: str, stage: str, unsure: bool = False, caller: bool = False) -> None:
        self.reason = reason
        self.stage = stage
        self.unsure = unsure  # a caller's words the check was not sure of: ask them again, do not tell them off
        self.caller = caller  # the caller's own words were held (else a line the show wrote)
        super().__init__(message)


class QueueFullError(InputError):
    """Too much waits for air already; ``retry_after_s`` says when there may be room."""

    def __init__(self, message: str, retry_after_s: float) -> None:
        self.retry_after_s = retry_after_s
        super().__init__(message)


class NothingToSayError(VoiceError, InputError):
    """The text has nothing a voice can speak (emoji only, symbols only); retrying cannot help."""


class BusyError(TalkshowError):
    """The one line is taken, or a viewer limit is reached; ``retry_after_s`` says when to try again."""

    def __init__(self, message: str, retry_after_s: float = 10.0) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s
