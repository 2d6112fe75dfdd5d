"""Prepares turns ahead of the frame loop: write, voice, lip sync, act, caption.

Runs on its own thread with its own asyncio loop (the writer is I/O); finished
turns wait in a bounded queue, so line N+1 is ready while line N plays.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import threading
import time
from collections import deque
from collections.abc import AsyncGenerator

from talkshow.config import ShowConfig
from talkshow.core.errors import InputError, TalkshowError
from talkshow.core.kinds.moderation import LineGate
from talkshow.core.kinds.writer import Line, WriteRequest
from talkshow.core.recall import Recollection
from talkshow.core.turn import PreparedTurn
from talkshow.lipsync.lip_sync import LipSync
from talkshow.moderation.build import build_gate
from talkshow.moderation.gate import ModerationGate
from talkshow.moderation.settings import ModerationSettings
from talkshow.show.turn_builder import TurnBuilder
from talkshow.stage.builder import Stage
from talkshow.supervisor import Policy, Supervisor, Worker
from talkshow.telemetry.events import Telemetry
from talkshow.voice.service import SpeechService
from talkshow.writer.breaker import WriterBreaker
from talkshow.writer.build import make_writer

logger = logging.getLogger(__name__)

__all__ = ["PreparedTurn", "TurnPreparer"]


_END = object()


class TurnPreparer:
    """Background producer of PreparedTurns, bounded to ``lookahead`` turns."""

    def __init__(
        self,
        config: ShowConfig,
        stage: Stage,
        speech: SpeechService,
        lipsync: LipSync,
        telemetry: Telemetry,
        lookahead: int = 3,
        prepare_timeout_s: float = 20.0,
        attempts: int = 3,
        show_id: int | None = None,
        skip_lines: int = 0,
        supervisor: Supervisor | None = None,
        breaker: WriterBreaker | None = None,
        gate: LineGate | None = None,
        memories: tuple[Recollection, ...] = (),
    ) -> None:
        """``config.voicing_parallel`` lines are voiced at once (the next is written meanwhile); they air in order.

        ``gate`` moderates every line; without one, the preparer builds the show's own and closes it.
        """
        self.config = config
        self.voicing_parallel = max(1, config.voicing_parallel)
        self.show_id = show_id
        self.memories = memories
        self.skip_lines = skip_lines  # already aired before a restart (live resumes a show)
        self.telemetry = telemetry
        self.prepare_timeout_s = prepare_timeout_s
        self.attempts = attempts
        self._own_gate: ModerationGate | None = None
        if gate is None:
            gate = self._own_gate = build_gate(config.section(ModerationSettings), telemetry)
        self.builder = TurnBuilder(config, stage, speech, lipsync, telemetry, gate, show_id)
        self.writer = make_writer(config.writer, config.base_dir, telemetry, breaker, air_ahead_s=self._air_ahead_s)
        self._queue: queue.Queue[object] = queue.Queue(maxsize=lookahead)
        self._stop = threading.Event()
        self.error: BaseException | None = None
        # Its fallbacks are inside (the writer falls back to improv, a line is retried then
        # skipped); if the thread fails anyway, the show ends as failed and the next one starts.
        self._worker = Worker("turn-preparer", self._run, supervisor, Policy.FALLBACK, background=True)

    def start(self) -> None:
        """Begin writing and preparing turns."""
        self._worker.start()

    def __enter__(self) -> TurnPreparer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self, wait: bool = True) -> None:
        """Stop producing (turns already queued are dropped); ``wait`` for the thread to end."""
        self._stop.set()
        while True:
            try:
                self._queue.get_nowait()
            except queue.Empty:
                break
        self._worker.stop(timeout=5 if wait else None)
        if self._own_gate is not None and not self._worker.alive:
            self._own_gate.close()

    def next_turn(self, timeout: float | None) -> PreparedTurn | None:
        """The next prepared turn; None at the end of the show or on timeout."""
        try:
            item = self._queue.get(timeout=timeout) if timeout != 0 else self._queue.get_nowait()
        except queue.Empty:
            return None
        if item is _END:
            self._queue.put(_END)  # stay at the end for later callers
            return None
        assert isinstance(item, PreparedTurn)
        return item

    @property
    def finished(self) -> bool:
        """True once the writer is done and every turn was taken."""
        return self._worker.done.is_set() and self._queue.qsize() <= 1 and self._peek_end()

    def _peek_end(self) -> bool:
        with self._queue.mutex:
            return bool(self._queue.queue) and self._queue.queue[0] is _END

    def _air_ahead_s(self) -> float:
        """Seconds of prepared speech waiting, plus the pause before the next line: the writer's time."""
        with self._queue.mutex:
            samples = sum(len(t.audio) for t in self._queue.queue if isinstance(t, PreparedTurn))
        return samples / self.builder.speech.sample_rate + self.config.pause

    def _run(self, _stop: threading.Event) -> None:
        try:
            self.builder.stage.show_topic(
                self.config.topic or self.config.title
            )  # the banner and ticker name this show
            asyncio.run(self._produce_until_stopped())
        except Exception as exc:  # reported to the render loop, which ends the show cleanly
            self.error = exc
            raise
        finally:
            self._offer(_END)

    def _offer(self, item: object) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.2)
                return True
            except queue.Full:
                continue
        return False

    async def _produce_until_stopped(self) -> None:
        """Produce turns; ``stop`` cancels the work in this task, so the writer's HTTP stream closes here."""
        producing = asyncio.current_task()
        assert producing is not None

        async def watch_stop() -> None:
            while not self._stop.is_set():
                await asyncio.sleep(0.1)
            producing.cancel()

        watcher = asyncio.create_task(watch_stop())
        try:
            async with contextlib.aclosing(self.writer.lines(self._request())) as lines:
                await self._produce(lines)
        except asyncio.CancelledError:
            if not self._stop.is_set():
                raise
        finally:
            watcher.cancel()

    def _request(self) -> WriteRequest:
        config = self.config
        return WriteRequest(config.topic, config.cast, config.turns, config.seed, memories=self.memories)

    async def _produce(self, lines: AsyncGenerator[Line, None]) -> None:
        """Write lines and voice up to ``voicing_parallel`` at once; offer them strictly in order."""
        config = self.config
        voicing: deque[asyncio.Task[PreparedTurn | None]] = deque()
        index = 0
        try:
            while not self._stop.is_set():
                if self.skip_lines <= index < config.turns:
                    self.telemetry.emit("line_writing", show=self.show_id, turn=index)
                started = time.perf_counter()
                try:
                    line = await anext(lines)
                except StopAsyncIteration:
                    break
                if index < self.skip_lines:  # aired before a restart; the writer replays them to keep its thread
                    index += 1
                    continue
                written_ms = (time.perf_counter() - started) * 1000
                self.telemetry.emit(
                    "line_written",
                    show=self.show_id,
                    turn=index,
                    speaker=line.speaker,
                    chars=len(line.text),
                    emotion=line.emotion,
                    ms=round(written_ms, 3),
                    text=line.text,
                )
                voicing.append(asyncio.create_task(self._prepare_with_retries(index, line, written_ms)))
                index += 1  # a skipped line keeps its number: the transcript shows it as failed
                if len(voicing) >= self.voicing_parallel and not await self._offer_oldest(voicing):
                    return
            while voicing:
                if not await self._offer_oldest(voicing):
                    return
        finally:
            for task in voicing:
                task.cancel()

    async def _offer_oldest(self, voicing: deque[asyncio.Task[PreparedTurn | None]]) -> bool:
        """Wait for the oldest line in voicing and queue it; False when the preparer should stop."""
        turn = await voicing.popleft()
        if turn is None:
            return not self._stop.is_set()
        return self._offer(turn) and not self._stop.is_set()

    async def _prepare_with_retries(self, index: int, line: Line, written_ms: float) -> PreparedTurn | None:
        """An accepted line is retried, not lost; after the last attempt it is skipped and said so."""
        error = ""
        # A voicing that times out goes on in its thread: the next attempt waits for that same call
        # (one thread per line) rather than start another behind a TTS call that hangs.
        voicing: asyncio.Future[PreparedTurn] | None = None
        for attempt in range(1, self.attempts + 1):
            try:
                if voicing is None:
                    voicing = asyncio.ensure_future(asyncio.to_thread(self._prepare, index, line, written_ms))
                async with asyncio.timeout(self.prepare_timeout_s):
                    return await asyncio.shield(voicing)
            except TimeoutError:  # the call goes on: the next attempt waits for it
                error = f"voicing took longer than {self.prepare_timeout_s:g} s"
            except TalkshowError as exc:
                voicing, error = None, str(exc)  # it failed: the next attempt voices the line afresh
                if isinstance(exc, InputError):  # the line itself is unusable: another try gives the same
                    break
            except Exception as exc:  # a bug or an unmapped failure: still retried, then skipped, never lost
                logger.exception("preparing turn %d failed unexpectedly", index)
                voicing, error = None, f"{type(exc).__name__}: {exc}"
            self.telemetry.emit(
                "turn_error", show=self.show_id, turn=index, attempt=attempt, error=error, speaker=line.speaker
            )
            if self._stop.is_set():
                return None
        logger.warning("turn %d (%s: %r) skipped: %s", index, line.speaker, line.text[:80], error)
        self.telemetry.emit(
            "turn_skipped", show=self.show_id, turn=index, speaker=line.speaker, text=line.text, error=error
        )
        return None

    def _prepare(self, index: int, line: Line, written_ms: float) -> PreparedTurn:
        return self.builder.from_line(index, line, written_ms)
