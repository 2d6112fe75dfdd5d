"""One talker's ears on a thread: audio in from any thread; barge-ins and finished utterances out.

The transport hands over audio as it arrives (48 kHz, any chunk size) without ever
waiting: chunks go into a bounded queue, and if the ears fall more than the queue
behind, the oldest audio is dropped and counted. The thread resamples to 16 kHz
(libswresample), runs the VAD and turn detector, and streams speech into the STT
while the person is still talking, so the text is ready soon after they stop.

Every event carries both the sample position in the talker's stream (exact) and the
wall-clock time that sample arrived, so a trace can say where each millisecond went.
"""

from __future__ import annotations

import logging
import queue
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import TYPE_CHECKING, NamedTuple

import av
import numpy as np
import numpy.typing as npt

from talkshow.core.kinds.hearing import SpeechToText, Transcript, TranscriptionStream
from talkshow.ears.turn_end import TurnDetector, TurnJudge, TurnSettings, VoiceActivity
from talkshow.supervisor import Policy, Worker

if TYPE_CHECKING:
    from talkshow.ears.process_stt import PendingTranscript

logger = logging.getLogger(__name__)

__all__ = ["EarsEvent", "Listener", "Utterance"]

EARS_RATE = 16_000
QUEUE_CHUNKS = 400  # about 8 s of 20 ms chunks: more behind than that, and the oldest audio goes
POLL_S = 0.01  # while a transcript is decoded elsewhere, how often to look for it if no audio comes
PRE_ROLL_S = 1.0  # audio kept from before a turn is confirmed, so the STT hears its first word


@dataclass(frozen=True)
class Utterance:
    """What the person said in one turn, and when (samples at 16 kHz in their stream; perf_counter times)."""

    text: str
    start_sample: int
    end_sample: int
    speech_start_at: float  # when the first voiced sample arrived
    speech_end_at: float  # when the last voiced sample arrived
    decided_at: float  # when the turn end was decided
    transcript: Transcript | None
    reason: str = "silence"  # or max_length
    error: str = ""  # the STT failed: the text is empty and this says why
    text_ready_at: float = 0.0  # when the text was ready (before ``decided_at`` if made at the pause)

    @property
    def seconds(self) -> float:
        """How long the person spoke."""
        return (self.end_sample - self.start_sample) / EARS_RATE


class _Pending(NamedTuple):
    text: PendingTranscript
    start: tuple[int, float]  # the turn's first sample and its arrival
    end_sample: int  # where the pause began
    asked_at: float


@dataclass(frozen=True)
class EarsEvent:
    """What the ears noticed, in order.

    ``voice_onset``/``voice_dropped``: a possible interruption, or not. ``speech_start``: a
    turn. ``tentative``: the turn went quiet, here is its text if it ends there; ``resumed``:
    it did not. ``judged``: the turn model's verdict at that pause (``details``: probability,
    ms). ``turn_ended``: the turn is over but its text is still being decoded (a reply may
    acknowledge the caller meanwhile). ``utterance``: the turn ended, with its text.
    """

    kind: str
    sample: int
    at: float
    utterance: Utterance | None = None
    details: dict[str, float] = field(default_factory=dict)


class Listener:
    """Runs VAD, turn detection and STT for one talker on its own thread (a context manager)."""

    def __init__(
        self,
        vad: VoiceActivity,
        stt: SpeechToText,
        on_event: Callable[[EarsEvent], None],
        settings: TurnSettings | None = None,
        input_rate: int = 48_000,
        judge: TurnJudge | None = None,
    ) -> None:
        self.vad = vad
        self.stt = stt
        self.judge = judge
        self.on_event = on_event
        self.detector = TurnDetector(vad, settings)
        self.input_rate = input_rate
        self.dropped_chunks = 0
        self.error: BaseException | None = None
        self._resampler = av.AudioResampler(format="s16", layout="mono", rate=EARS_RATE)
        self._queue: queue.Queue[tuple[npt.NDArray[np.int16], float] | None] = queue.Queue(QUEUE_CHUNKS)
        self._samples = 0  # 16 kHz samples processed so far
        self._arrivals: deque[tuple[int, float]] = deque(maxlen=2000)  # (sample after chunk, arrival time)
        self._recent: deque[npt.NDArray[np.int16]] = deque()
        self._recent_samples = 0
        self._utterance: list[npt.NDArray[np.int16]] = []
        self._stream: TranscriptionStream | None = None
        self._start: tuple[int, float] | None = None
        self._tentative: Utterance | None = None  # the turn transcribed at its pause, if it ends there
        self._pending: _Pending | None = None  # the turn's text, being decoded in a child since its pause
        # Its failure is the session's to report (an ``failed`` event), so the worker does not restart it.
        self._worker = Worker("ears", lambda stop: self._run(), policy=Policy.FALLBACK)
        self._worker.start()

    def __enter__(self) -> Listener:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def feed(self, samples: npt.NDArray[np.int16], arrived_at: float | None = None) -> None:
        """Mono int16 audio at ``input_rate`` from the transport; never blocks (drops the oldest if behind)."""
        item = (samples, time.perf_counter() if arrived_at is None else arrived_at)
        while True:
            try:
                self._queue.put_nowait(item)
                return
            except queue.Full:
                try:
                    self._queue.get_nowait()
                    self.dropped_chunks += 1
                except queue.Empty:
                    pass

    def close(self) -> None:
        """Stop listening; an utterance in progress is dropped."""
        try:
            self._queue.put_nowait(None)
        except queue.Full:
            self._queue.get_nowait()
            self._queue.put_nowait(None)
        self._worker.stop(timeout=5)

    def _run(self) -> None:
        try:
            while True:
                try:
                    item = self._queue.get(timeout=POLL_S if self._pending is not None else None)
                except queue.Empty:  # no audio came: only the pending text to look for
                    self._take_text_if_ready()
                    continue
                if item is None:
                    break
                self._process(*item)
                self._take_text_if_ready()
        except Exception as exc:  # the talker's ears fail alone: the session reports it
            logger.exception("ears failed")
            self.error = exc
            self.on_event(EarsEvent("failed", self._samples, time.perf_counter(), details={}))
        finally:
            self._release_stream()

    def _process(self, samples: npt.NDArray[np.int16], arrived_at: float) -> None:
        chunk = self._resample(samples)
        if not len(chunk):
            return
        self._samples += len(chunk)
        self._arrivals.append((self._samples, arrived_at))
        self._remember(chunk)
        if self._start is not None:
            self._hear(chunk)
        for event in self.detector.feed(chunk):
            if event.kind == "speech_start":
                self._begin(event.sample)
            elif event.kind == "speech_pause":
                self._guess_end(event.sample)
                if self._sounds_finished():
                    end = self.detector.end_now(event.sample, "turn_model")
                    self._finish(end.sample, end.reason)
                    break  # the rest of this chunk's events belonged to the turn just ended
            elif event.kind == "speech_resumed":
                self._resume(event.sample)
            elif event.kind == "speech_end":
                self._finish(event.sample, event.reason)
            else:  # voice_onset / voice_dropped: a possible interruption, told at once
                self.on_event(EarsEvent(event.kind, event.sample, self.arrival_of(event.sample)))

    def _begin(self, sample: int) -> None:
        self._start = (sample, self.arrival_of(sample))
        self._utterance = []
        self._tentative = None
        self._open_stream()
        # The turn was confirmed some way into the speech: hear it from its first voiced sample.
        backlog = np.concatenate(list(self._recent)) if self._recent else np.zeros(0, np.int16)
        keep = self._samples - sample
        self._hear(backlog[-keep:] if 0 < keep <= len(backlog) else backlog)
        self.on_event(EarsEvent("speech_start", sample, self._start[1]))

    def _open_stream(self) -> None:
        open_stream: Callable[[], TranscriptionStream] | None = getattr(self.stt, "open_stream", None)
        if open_stream is not None:  # a StreamingSpeechToText: decode while the person speaks
            self._stream = open_stream()

    def _hear(self, chunk: npt.NDArray[np.int16]) -> None:
        self._utterance.append(chunk)  # kept whole: a turn that goes on after a pause is decoded again
        if self._stream is not None:
            self._stream.feed(chunk)

    def _guess_end(self, sample: int) -> None:
        """The speaker went quiet: transcribe now, so a reply can be made while we wait to be sure.

        A stream decoded in a child (``finish_later``) is not waited for: the silence goes on being
        heard, and the turn can end, while the text is made; ``tentative`` follows when it is ready.
        """
        finish_later: Callable[[], PendingTranscript] | None = getattr(self._stream, "finish_later", None)
        if finish_later is None:
            self._tentative = self._utterance_until(sample)
            self.on_event(EarsEvent("tentative", sample, time.perf_counter(), self._tentative))
            return
        self._stream = None
        start, asked_at = self._start or (sample, time.perf_counter()), time.perf_counter()
        try:
            self._pending = _Pending(finish_later(), start, sample, asked_at)
        except Exception as exc:  # the STT failing is the talker's problem to hear about, not the stream's
            logger.warning("speech to text failed: %s", exc)
            self._tentative = self._make_utterance(None, str(exc) or type(exc).__name__, start, sample, asked_at)
            self.on_event(EarsEvent("tentative", sample, time.perf_counter(), self._tentative))

    def _take_text_if_ready(self) -> None:
        if self._pending is not None and self._pending.text.ready():
            self._tentative = self._take_pending()
            self.on_event(EarsEvent("tentative", self._tentative.end_sample, time.perf_counter(), self._tentative))

    def _take_pending(self) -> Utterance:
        """The pending text as the turn's Utterance (waiting for it if need be)."""
        pending, self._pending = self._pending, None
        assert pending is not None
        transcript, error = None, ""
        try:
            transcript = pending.text.result()
        except Exception as exc:
            logger.warning("speech to text failed: %s", exc)
            error = str(exc) or type(exc).__name__
        return self._make_utterance(transcript, error, pending.start, pending.end_sample, pending.asked_at)

    def _sounds_finished(self) -> bool:
        """Ask the turn model, if there is one; an unfinished-sounding turn gets longer to go on."""
        if self.judge is None or (self._tentative is None and self._pending is None):
            return False
        audio = np.concatenate(self._utterance) if self._utterance else np.zeros(0, np.int16)
        try:
            probability = self.judge.complete(audio)
        except Exception:  # the model failing leaves the silence rule in charge
            logger.warning("the turn model failed; ending turns on silence", exc_info=True)
            return False
        details = {"probability": round(probability, 3), "ms": round(self.judge.last_ms, 1)}
        paused_at = self._tentative.end_sample if self._tentative else self._pending.end_sample if self._pending else 0
        self.on_event(EarsEvent("judged", paused_at, time.perf_counter(), details=details))
        if probability >= self.detector.settings.complete_threshold:
            return True
        self.detector.wait_longer(self.detector.settings.incomplete_silence_ms)
        return False

    def _resume(self, sample: int) -> None:
        """They went on: the guess is void; decode the whole turn again, from its start."""
        if self._pending is not None:
            self._take_pending()  # the child must finish it before it can take the turn again
        self._tentative = None
        self._open_stream()
        if self._stream is not None:
            for chunk in self._utterance:
                self._stream.feed(chunk)
        self.on_event(EarsEvent("resumed", sample, self.arrival_of(sample)))

    def _finish(self, sample: int, reason: str) -> None:
        decided_at = time.perf_counter()
        text_was_ready = False
        if self._pending is not None:
            text_was_ready = self._pending.text.ready()
            if not text_was_ready:  # over, but its text is still being made: say so, then wait
                times = {"speech_start": self._pending.start[1], "speech_end": self.arrival_of(sample)}
                self.on_event(EarsEvent("turn_ended", sample, decided_at, details=times))
            self._tentative = self._take_pending()
        guess, self._tentative = self._tentative, None
        utterance = guess if guess is not None else self._utterance_until(sample)
        utterance = replace(utterance, end_sample=sample, decided_at=decided_at, reason=reason)
        if text_was_ready:  # it was collected just now, but was there when the turn end was decided
            utterance = replace(utterance, text_ready_at=min(utterance.text_ready_at, decided_at))
        self._start = None
        self._utterance = []
        self.on_event(EarsEvent("utterance", sample, time.perf_counter(), utterance))

    def _utterance_until(self, sample: int) -> Utterance:
        """The turn so far as an Utterance ending at ``sample``; the STT stream is finished."""
        decided_at = time.perf_counter()
        start = self._start or (sample, decided_at)
        transcript: Transcript | None = None
        error = ""
        try:
            if self._stream is not None:
                transcript = self._stream.finish()
            else:
                audio = np.concatenate(self._utterance) if self._utterance else np.zeros(0, np.int16)
                transcript = self.stt.transcribe(audio, EARS_RATE)
        except Exception as exc:  # the STT failing is the talker's problem to hear about, not the stream's
            logger.warning("speech to text failed: %s", exc)
            error = str(exc) or type(exc).__name__
        finally:
            self._stream = None
        return self._make_utterance(transcript, error, start, sample, decided_at)

    def _make_utterance(
        self, transcript: Transcript | None, error: str, start: tuple[int, float], sample: int, decided_at: float
    ) -> Utterance:
        return Utterance(
            text=transcript.text if transcript else "",
            start_sample=start[0],
            end_sample=sample,
            speech_start_at=start[1],
            speech_end_at=self.arrival_of(sample),
            decided_at=decided_at,
            transcript=transcript,
            error=error,
            text_ready_at=time.perf_counter(),
        )

    def arrival_of(self, sample: int) -> float:
        """When ``sample`` of the 16 kHz stream arrived (from the chunk that carried it)."""
        for end, arrived in self._arrivals:
            if end >= sample:
                return arrived - (end - sample) / EARS_RATE
        return time.perf_counter()

    def _remember(self, chunk: npt.NDArray[np.int16]) -> None:
        self._recent.append(chunk)
        self._recent_samples += len(chunk)
        while self._recent and self._recent_samples - len(self._recent[0]) >= PRE_ROLL_S * EARS_RATE:
            self._recent_samples -= len(self._recent.popleft())

    def _resample(self, samples: npt.NDArray[np.int16]) -> npt.NDArray[np.int16]:
        if self.input_rate == EARS_RATE:
            return samples
        frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = self.input_rate
        frame.time_base = Fraction(1, self.input_rate)
        out = [f.to_ndarray().reshape(-1) for f in self._resampler.resample(frame)]
        return np.concatenate(out).astype(np.int16) if out else np.zeros(0, np.int16)

    def _release_stream(self) -> None:
        if self._pending is not None:
            self._take_pending()  # nobody waits for it, but the child is freed
        stream, self._stream = self._stream, None
        if stream is not None:
            try:
                stream.finish()
            except Exception:  # closing an abandoned utterance: nothing depends on its text
                logger.debug("closing an unfinished STT stream failed", exc_info=True)
