"""Speech to text in a child process, for engines that hold the GIL while they decode.

pocketsphinx decodes inside one C call without releasing the GIL: measured in a live
call, opening an utterance (its pre-roll) and finishing it made 2-3 frames 40-110 ms
late each time. In a process of its own it cannot stall the frame loop. Audio goes
over a pipe as it arrives (no waiting); only ``finish`` and ``transcribe`` wait for the
answer. A child that dies is restarted on the next utterance, and that utterance fails
with a clear error.

Each utterance has a serial number, which the child's answers carry: its text (or error), and, if a writer
asks for them, its other readings (``Readings``), which an engine such as Whisper makes only then, so no turn
pays for readings nobody wants. Whoever reads the pipe keeps what it reads for whoever asks: the text for the
listener, the readings for the writer (the next utterance's text may come first).
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

import numpy as np
import numpy.typing as npt

from talkshow.child_process import ChildGoneError, ChildProcess, ChildStartError, messages
from talkshow.core.kinds.hearing import HeardWord, Readings, SpeechToText, Transcript, TranscriptionError

__all__ = ["PendingTranscript", "ProcessSTT"]

logger = logging.getLogger(__name__)

ANSWER_TIMEOUT_S = 15.0
MAX_KEPT = 8  # answers read before anyone asked for them; readings nobody asked for go after this many


class ProcessSTT:
    """A ``StreamingSpeechToText`` whose engine (built by ``factory``, a picklable callable) runs in a child."""

    def __init__(self, factory: Callable[[], SpeechToText], name: str = "") -> None:
        self.factory = factory
        self.name = name or getattr(factory, "name", "stt")
        self._lock = threading.Lock()  # one utterance at a time, like the engines it wraps
        self._out = threading.Lock()  # one writer to the pipe at a time: the listener's audio, a writer's request
        self._pipe = threading.Lock()  # one reader of the child's answers at a time
        self._serial = 0  # the last utterance's number (under ``_lock``)
        self._kept: dict[tuple[str, int], Any] = {}  # (kind, serial) -> an answer read before it was asked for
        self._asked: set[int] = set()  # the utterances whose readings were asked for (under ``_out``)
        try:
            self.child = ChildProcess(_serve, factory, f"{self.name} speech-to-text")
        except ChildStartError as exc:
            raise TranscriptionError(str(exc)) from exc

    def __enter__(self) -> ProcessSTT:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def transcribe(self, samples: npt.NDArray[np.int16], sample_rate: int) -> Transcript:
        """The text of a whole utterance, decoded in the child."""
        with self._lock:
            serial = self._next_serial()
            started = time.perf_counter()
            self._send(("transcribe", np.ascontiguousarray(samples, np.int16).tobytes(), sample_rate, serial))
            return self._answer(started, serial)

    def open_stream(self) -> _ChildStream:
        """Start an utterance in the child; feed it 16 kHz audio as it arrives."""
        self._lock.acquire()
        try:
            self._send(("open",))
        except BaseException:
            self._lock.release()
            raise
        return _ChildStream(self)

    def close(self) -> None:
        """Stop the child."""
        self.child.close()

    def _send(self, message: tuple[Any, ...]) -> None:
        try:
            with self._out:
                self.child.send(message)
        except ChildGoneError as exc:
            raise TranscriptionError(str(exc)) from exc

    def _next_serial(self) -> int:
        self._serial += 1
        return self._serial

    def _answer(self, started: float, serial: int) -> Transcript:
        try:
            found = self._take(serial, ("text", "error"), ANSWER_TIMEOUT_S, patient=True)
        except ChildStartError as exc:
            raise TranscriptionError(str(exc)) from exc
        except ChildGoneError as exc:  # died or hung: the next utterance gets a new child
            raise TranscriptionError(str(exc), retryable=True) from exc
        assert found is not None  # a patient wait answers or raises
        kind, value = found
        if kind == "error":
            raise TranscriptionError(str(value))
        text, words = value
        heard = tuple(HeardWord(str(w), float(c)) for w, c in words)
        ms = (time.perf_counter() - started) * 1000
        return Transcript(str(text), self.name, ms, heard, Readings(later=functools.partial(self._readings, serial)))

    def _readings(self, serial: int, timeout_s: float) -> tuple[str, ...]:
        """Utterance ``serial``'s other readings, asked for now (once), if the child sends them within
        ``timeout_s``; else none. Only the last utterance's can be made: an older one has none."""
        try:
            with self._out:
                asked = serial in self._asked
                self._asked = {earlier for earlier in self._asked if earlier > serial - MAX_KEPT} | {serial}
                if not asked and self.child.running:  # a child gone is started by the next utterance, not here
                    self.child.send(("readings", serial))
            found = self._take(serial, ("readings",), timeout_s, patient=False)
        except ChildGoneError:  # readings are a help, not a need; the next utterance reports a dead child
            return ()
        return tuple(str(r) for r in found[1]) if found is not None else ()

    def _take(self, serial: int, kinds: tuple[str, ...], timeout_s: float, patient: bool) -> tuple[str, Any] | None:
        """The child's answer of one of ``kinds`` for utterance ``serial``, keeping the others read on the way.
        ``patient``: a child that has not answered by ``timeout_s`` is hung (replaced, raised); else None then."""
        deadline = time.monotonic() + timeout_s
        if not self._pipe.acquire(timeout=timeout_s if timeout_s > 0 else 0.001):
            if patient:
                raise ChildGoneError(f"the {self.name} speech-to-text answers were not read within {timeout_s:g} s")
            return None
        try:
            while True:
                for kind in kinds:
                    if (kind, serial) in self._kept:  # readings stay for whoever asks again, till ``MAX_KEPT``
                        value = self._kept[(kind, serial)] if kind == "readings" else self._kept.pop((kind, serial))
                        return kind, value
                remaining = max(0.0, deadline - time.monotonic())
                if not patient and not self.child.answer_ready(remaining):
                    return None
                self._keep(self.child.receive(remaining))
        finally:
            self._pipe.release()

    def _keep(self, message: tuple[str, int, Any]) -> None:
        kind, serial, value = message
        self._kept[(kind, serial)] = value
        while len(self._kept) > MAX_KEPT:
            del self._kept[min(self._kept, key=lambda key: key[1])]

    def _answered(self, serial: int) -> bool:
        """Whether utterance ``serial``'s text (or error) has come, reading what waits without waiting."""
        if not self._pipe.acquire(blocking=False):
            return False  # someone is reading: ask again
        try:
            while ("text", serial) not in self._kept and ("error", serial) not in self._kept:
                if not self.child.answer_ready():
                    return False
                self._keep(self.child.receive(0.0))
            return True
        except ChildGoneError:
            return True  # ``result`` raises it
        finally:
            self._pipe.release()


class _ChildStream:
    """One utterance in the child: ``feed`` never waits; ``finish`` does."""

    def __init__(self, owner: ProcessSTT) -> None:
        self._owner = owner
        self._open = True

    def feed(self, samples: npt.NDArray[np.int16]) -> str:
        """Send audio to the child (partial text is not fetched: that would mean waiting)."""
        if self._open:
            self._owner._send(("feed", np.ascontiguousarray(samples, np.int16).tobytes()))
        return ""

    def finish(self) -> Transcript:
        """End the utterance and wait for its text."""
        return self.finish_later().result()

    def finish_later(self) -> PendingTranscript:
        """End the utterance; its text is decoded while the caller goes on (``ready``, then ``result``)."""
        if not self._open:
            raise TranscriptionError("this utterance is already finished")
        self._open = False
        serial = self._owner._next_serial()
        try:
            self._owner._send(("finish", serial))
        except BaseException:
            self._owner._lock.release()
            raise
        return PendingTranscript(self._owner, serial)


class PendingTranscript:
    """An utterance's text being decoded in the child: poll ``ready`` without waiting; ``result`` waits."""

    def __init__(self, owner: ProcessSTT, serial: int) -> None:
        self._owner = owner
        self._serial = serial
        self._started = time.perf_counter()
        self._done = False

    def ready(self) -> bool:
        """Whether ``result`` would return at once."""
        return self._done or self._owner._answered(self._serial)

    def result(self) -> Transcript:
        """The text (waiting for it); the child is free for the next utterance after this."""
        if self._done:
            raise TranscriptionError("this transcript was already taken")
        self._done = True
        try:
            return self._owner._answer(self._started, self._serial)
        finally:
            self._owner._lock.release()


def _serve(conn: Connection, engine: Any) -> None:
    """The child: answer messages with the engine until ``quit`` or the parent goes. An utterance's answer is its
    text (or error); its other readings are made only if the parent asks (``readings``), for the last one."""
    stream: Any = None
    failed = ""  # why the utterance in progress broke, told at its finish
    take_readings = getattr(engine, "take_readings", tuple)
    last = 0  # the last utterance's serial: the engine keeps what makes its readings until the next one
    for message in messages(conn):
        kind = message[0]
        try:
            if kind == "open":
                failed = ""
                stream = engine.open_stream()
            elif kind == "feed" and stream is not None:
                stream.feed(np.frombuffer(message[1], np.int16))
            elif kind == "finish":
                last = message[1]
                heard = _plain(stream.finish()) if stream is not None else ("", [])
                stream = None
                conn.send(("error", last, failed) if failed else ("text", last, heard))
            elif kind == "transcribe":
                last = message[3]
                conn.send(("text", last, _plain(engine.transcribe(np.frombuffer(message[1], np.int16), message[2]))))
            elif kind == "readings":  # may come while the next utterance is being fed: it leaves that one be
                conn.send(("readings", message[1], _readings(take_readings) if message[1] == last else []))
        except Exception as exc:  # reported to the parent as this utterance's error
            stream = None
            failed = f"{type(exc).__name__}: {exc}"
            if kind in ("finish", "transcribe"):
                conn.send(("error", last, failed))


def _readings(take_readings: Any) -> list[str]:
    """The engine's other readings of its last utterance; none if making them fails (they are a help, not a need)."""
    try:
        return [str(reading) for reading in take_readings()]
    except Exception:  # any engine's failure: the text already went, and it stands
        logger.warning("the other readings could not be made", exc_info=True)
        return []


def _plain(transcript: Transcript) -> tuple[str, list[tuple[str, float]]]:
    """A transcript as plain data for the pipe: its text, and each word with its confidence."""
    return transcript.text, [(w.text, w.confidence) for w in transcript.heard_words]
