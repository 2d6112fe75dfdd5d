"""Speech to text in a child process, for engines that hold the GIL while they decode.

pocketsphinx decodes inside one C call without releasing the GIL: measured in a live
call, opening an utterance (its pre-roll) and finishing it made 2-3 frames 40-110 ms
late each time. In a process of its own it cannot stall the frame loop. Audio goes
over a pipe as it arrives (no waiting); only ``finish`` and ``transcribe`` wait for the
answer. A child that dies is restarted on the next utterance, and that utterance fails
with a clear error.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

import numpy as np
import numpy.typing as npt

from talkshow.child_process import ChildGoneError, ChildProcess, ChildStartError, messages
from talkshow.core.kinds.hearing import HeardWord, SpeechToText, Transcript, TranscriptionError

__all__ = ["PendingTranscript", "ProcessSTT"]

ANSWER_TIMEOUT_S = 15.0


class ProcessSTT:
    """A ``StreamingSpeechToText`` whose engine (built by ``factory``, a picklable callable) runs in a child."""

    def __init__(self, factory: Callable[[], SpeechToText], name: str = "") -> None:
        self.factory = factory
        self.name = name or getattr(factory, "name", "stt")
        self._lock = threading.Lock()  # one utterance at a time, like the engines it wraps
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
            return self._ask(("transcribe", np.ascontiguousarray(samples, np.int16).tobytes(), sample_rate))

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
            self.child.send(message)
        except ChildGoneError as exc:
            raise TranscriptionError(str(exc)) from exc

    def _ask(self, message: tuple[Any, ...]) -> Transcript:
        started = time.perf_counter()
        self._send(message)
        return self._answer(started)

    def _answer(self, started: float) -> Transcript:
        try:
            kind, value = self.child.receive(ANSWER_TIMEOUT_S)
        except ChildStartError as exc:
            raise TranscriptionError(str(exc)) from exc
        except ChildGoneError as exc:  # died or hung: the next utterance gets a new child
            raise TranscriptionError(str(exc), retryable=True) from exc
        if kind == "error":
            raise TranscriptionError(str(value))
        text, words, readings = value
        heard = tuple(HeardWord(str(w), float(c)) for w, c in words)
        ms = (time.perf_counter() - started) * 1000
        return Transcript(str(text), self.name, ms, heard, tuple(str(r) for r in readings))


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
        try:
            self._owner._send(("finish",))
        except BaseException:
            self._owner._lock.release()
            raise
        return PendingTranscript(self._owner)


class PendingTranscript:
    """An utterance's text being decoded in the child: poll ``ready`` without waiting; ``result`` waits."""

    def __init__(self, owner: ProcessSTT) -> None:
        self._owner = owner
        self._started = time.perf_counter()
        self._done = False

    def ready(self) -> bool:
        """Whether ``result`` would return at once."""
        return self._done or self._owner.child.answer_ready()

    def result(self) -> Transcript:
        """The text (waiting for it); the child is free for the next utterance after this."""
        if self._done:
            raise TranscriptionError("this transcript was already taken")
        self._done = True
        try:
            return self._owner._answer(self._started)
        finally:
            self._owner._lock.release()


def _serve(conn: Connection, engine: Any) -> None:
    """The child: answer messages with the engine until ``quit`` or the parent goes."""
    stream: Any = None
    failed = ""  # why the utterance in progress broke, told at its finish
    for message in messages(conn):
        kind = message[0]
        try:
            if kind == "open":
                failed = ""
                stream = engine.open_stream()
            elif kind == "feed" and stream is not None:
                stream.feed(np.frombuffer(message[1], np.int16))
            elif kind == "finish":
                heard = _plain(stream.finish()) if stream is not None else ("", [], [])
                stream = None
                conn.send(("error", failed) if failed else ("text", heard))
            elif kind == "transcribe":
                conn.send(("text", _plain(engine.transcribe(np.frombuffer(message[1], np.int16), message[2]))))
        except Exception as exc:  # reported to the parent as this utterance's error
            stream = None
            failed = f"{type(exc).__name__}: {exc}"
            if kind in ("finish", "transcribe"):
                conn.send(("error", failed))


def _plain(transcript: Transcript) -> tuple[str, list[tuple[str, float]], list[str]]:
    """A transcript as plain data for the pipe: its text, each word with its confidence, the other readings."""
    return transcript.text, [(w.text, w.confidence) for w in transcript.heard_words], list(transcript.alternatives)
