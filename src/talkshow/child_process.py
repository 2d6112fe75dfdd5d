"""A helper process for C code that holds the GIL: one engine in a child, asked over a pipe.

pocketsphinx decodes inside C calls that never release the GIL; in the live process a
single call (building a decoder, or the back-trace of a long alignment) stalls the pacer
for 100 ms or more. In a child of its own it cannot. The child is started with ``spawn``
(the parent has threads and a running stream: forking it would copy their locks), builds
its engine with a picklable factory, says ``ready``, then answers messages until ``quit``
or until the parent goes. A child that dies or hangs is replaced at the next message; the
message that found it gone fails with ``ChildGoneError``, which each user maps to its own
error at its boundary.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import signal
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from typing import Any

from talkshow.core.errors import ServiceError
from talkshow.process_memory import return_free_memory

logger = logging.getLogger(__name__)

__all__ = ["ChildGoneError", "ChildProcess", "ChildStartError", "ChildTimeoutError", "messages"]

START_TIMEOUT_S = 60.0  # importing numpy and loading a model on 2 busy cores

Serve = Callable[[Connection, Any], None]


class ChildGoneError(ServiceError):
    """The child died, or its pipe broke; it is started again for the next message."""


class ChildStartError(ChildGoneError):
    """The child could not build its engine (the message says why) or did not start in time."""


class ChildTimeoutError(ChildGoneError):
    """The child gave no answer in time; it was stopped and is started again for the next message."""


class ChildProcess:
    """``serve(conn, factory())`` in a child process; ``send`` never waits for it, ``ask`` waits for one answer.

    Not thread-safe: a user that shares one across threads holds its own lock around each exchange.
    """

    def __init__(self, serve: Serve, factory: Any, name: str, start: bool = True) -> None:
        """``serve`` and ``factory`` must be picklable (module-level); ``start=False`` waits for the first message."""
        self.serve = serve
        self.factory = factory
        self.name = name
        self._conn: Connection | None = None
        self._process: Any = None
        if start:
            self._start()

    def __enter__(self) -> ChildProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def pid(self) -> int | None:
        """The running child's process id (None when none runs)."""
        return self._process.pid if self._process is not None else None

    @property
    def running(self) -> bool:
        """Whether a child is running now (one that died is replaced only at the next message)."""
        return self._process is not None and self._process.is_alive()

    def send(self, message: tuple[Any, ...]) -> None:
        """Hand the child a message (starting a new child if the last one is gone)."""
        if self._conn is None or not self.running:
            self.close()
            self._start()
        assert self._conn is not None
        try:
            self._conn.send(message)
        except OSError as exc:
            self.close()
            raise ChildGoneError(f"the {self.name} process is gone: {exc}") from exc

    def ask(self, message: tuple[Any, ...], timeout_s: float) -> Any:
        """Send ``message`` and wait up to ``timeout_s`` for the child's answer."""
        self.send(message)
        return self.receive(timeout_s)

    def answer_ready(self, timeout_s: float = 0.0) -> bool:
        """Whether an answer (or the child's end) is waiting to be received, or comes within ``timeout_s``:
        ``receive`` will not wait. A child that does not answer in that time is not taken for hung."""
        try:
            return self._conn is None or self._conn.poll(timeout_s)
        except OSError:
            return True  # a broken pipe: receive says so at once

    def receive(self, timeout_s: float) -> Any:
        """Wait up to ``timeout_s`` for the answer to a message already sent."""
        if self._conn is None:
            raise ChildGoneError(f"the {self.name} process is gone")
        if not self._conn.poll(timeout_s):
            self.close()  # a hung child is replaced next time
            raise ChildTimeoutError(f"the {self.name} process gave no answer within {timeout_s:g} s")
        try:
            return self._conn.recv()
        except (EOFError, OSError) as exc:
            self.close()
            raise ChildGoneError(f"the {self.name} process died") from exc

    def close(self) -> None:
        """Stop the child (it is asked to quit, then killed if it has not within 5 s)."""
        conn, process = self._conn, self._process
        self._conn = self._process = None
        if conn is not None:
            with contextlib.suppress(OSError):
                conn.send(("quit",))
            conn.close()
        if process is not None:
            process.join(timeout=5)
            if process.is_alive():
                process.kill()
                process.join()

    def _start(self) -> None:
        context = multiprocessing.get_context("spawn")
        parent, child = context.Pipe()
        process = context.Process(target=_run, args=(self.serve, child, self.factory), name=self.name, daemon=True)
        process.start()
        child.close()
        ready = parent.poll(START_TIMEOUT_S) and parent.recv()
        if ready != "ready":
            process.kill()
            process.join()
            parent.close()
            raise ChildStartError(f"the {self.name} process did not start: {ready or 'timeout'}")
        logger.debug("%s process %d started", self.name, process.pid)
        self._conn, self._process = parent, process


def _run(serve: Serve, conn: Connection, factory: Any) -> None:
    """The child: build the engine, say ``ready`` (or why not), then let ``serve`` answer until ``quit``."""
    # Ctrl-C reaches the whole process group; the parent ends its children itself (``quit``, or its pipe
    # closing when it dies), so here it would only print a KeyboardInterrupt traceback on every stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        engine = factory()
    except Exception as exc:
        conn.send(f"{type(exc).__name__}: {exc}")
        return
    # The model loader's scratch is freed but still resident: Whisper base's child, 147 -> 120 MB anonymous
    # after loading, 179 -> 169 after eight utterances, and no slower. (The show's fixed 1 MB mmap threshold
    # was tried here too: 30 MB less, but each decode 40% slower, 0.20 -> 0.285 s, every buffer a fresh mmap.)
    return_free_memory()
    conn.send("ready")
    serve(conn, engine)


def messages(conn: Connection) -> Iterator[tuple[Any, ...]]:
    """The parent's messages, one by one, until ``quit`` or the parent is gone (for a child's ``serve``)."""
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message[0] == "quit":
            return
        yield message
