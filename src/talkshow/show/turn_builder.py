"""Builds a PreparedTurn from a line (voiced here) or from audio that arrived with it.

Used by the turn preparer for written lines and by the studio's ``/api/say`` for a
line or clip pushed from outside; both run off the frame loop.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator
from dataclasses import replace

import numpy as np
import numpy.typing as npt

from talkshow.acting.performance import plan_turn
from talkshow.config import ShowConfig
from talkshow.core.errors import LineHeldError, LineTooLongError
from talkshow.core.kinds.moderation import LineGate
from talkshow.core.kinds.voice import Speech
from talkshow.core.kinds.writer import Line
from talkshow.core.turn import MouthCue, PreparedTurn, WordTiming
from talkshow.lipsync.lip_sync import LipSync
from talkshow.stage.builder import Stage
from talkshow.telemetry.events import Telemetry
from talkshow.voice.service import SpeechService
from talkshow.voice.textclean import clean_for_speech

__all__ = ["MAX_LINE_SECONDS", "PreparedTurn", "TurnBuilder"]

MAX_LINE_SECONDS = 45.0  # a spoken line longer than this is a monologue nobody asked for (400 CJK chars: 145 s)


# What a builder's caller calls its lines -> what moderation calls their source.
LINE_SOURCES = {"writer": "writer", "say": "operator", "talk": "reply", "chat": "reply"}


class TurnBuilder:
    """Voice (or take), lip-sync, plan and caption one line."""

    def __init__(
        self,
        config: ShowConfig,
        stage: Stage,
        speech: SpeechService,
        lipsync: LipSync,
        telemetry: Telemetry,
        gate: LineGate,
        show_id: int | None = None,
    ) -> None:
        """``gate`` judges every line before it is voiced: nothing this builder makes is unchecked."""
        self.config = config
        self.gate = gate
        self.show_id = show_id
        self.stage = stage
        self.speech = speech
        self.lipsync = lipsync
        self.telemetry = telemetry

    def from_line(self, index: int, line: Line, written_ms: float, source: str = "writer") -> PreparedTurn:
        """Voice ``line`` with its speaker's voice, then prepare it."""
        member = self.config.member(line.speaker)
        self._review(line, source)
        started = time.perf_counter()
        speech = self.speech.speak(member.voice, line.text, turn=index, speaker=line.speaker)
        tts_ms = (time.perf_counter() - started) * 1000
        if speech.duration > MAX_LINE_SECONDS:
            raise LineTooLongError(
                f"the line would run {speech.duration:.1f} s spoken; lines are limited to {MAX_LINE_SECONDS:g} s"
            )
        return self._finish(index, line, speech, {"write_ms": written_ms, "tts_ms": tts_ms}, started, source)

    def stream_line(
        self, index: int, line: Line, source: str = "say", wanted: Callable[[], bool] = lambda: True
    ) -> Generator[PreparedTurn, None, None]:
        """``line`` as parts, one per sentence, each ready as soon as its audio is.

        Every part but the last is ``continued``: the director airs the next one with no
        pause, so the line sounds whole while its first sentence is already on air.
        ``wanted()`` is asked as each sentence's audio comes: once it says no (a caller hung
        up, a removal), the line ends there, and what was voiced is neither prepared nor
        announced.
        """
        member = self.config.member(line.speaker)
        self._review(line, source)
        started = time.perf_counter()
        spoken = clean_for_speech(line.text)
        consumed, seconds = 0, 0.0
        for part, speech in enumerate(self.speech.stream(member.voice, line.text, turn=index, speaker=line.speaker)):
            if not wanted():
                return
            consumed += len(speech.text)
            seconds += speech.duration
            # Judged on the first sentence's pace, before anything airs; then on what was really voiced.
            projected = seconds * len(spoken) / max(consumed, 1)
            if projected > MAX_LINE_SECONDS * 1.25 or seconds > MAX_LINE_SECONDS:
                raise LineTooLongError(
                    f"the line would run about {projected:.0f} s spoken; lines are limited to {MAX_LINE_SECONDS:g} s"
                )
            tts_ms = (time.perf_counter() - started) * 1000
            yield self._finish(
                index,
                line,
                speech,
                {"write_ms": 0.0, "tts_ms": tts_ms},
                time.perf_counter(),
                source,
                part=part,
                continued=consumed < len(spoken),
            )

    def _review(self, line: Line, source: str) -> None:
        """Moderation first: a held line raises ``LineHeldError`` before any of it is voiced."""
        verdict = self.gate.review(line.text, LINE_SOURCES.get(source, source), line.speaker)
        if verdict.held:
            raise LineHeldError(f"moderation held the line ({verdict.stage}): {verdict.reason}", verdict.reason,
                                verdict.stage)  # fmt: skip

    def rest_of(self, turn: PreparedTurn, index: int, sample: int, char: int) -> PreparedTurn:
        """What is left of ``turn`` from ``sample`` (its text from ``char``): a paused reply resumes with it."""
        shift = sample / turn.sample_rate
        text = (turn.spoken_text or turn.line.text)[char:]
        words = tuple(
            WordTiming(w.start - shift, w.end - shift, w.char_start - char, w.char_end - char)
            for w in turn.words
            if w.char_start >= char
        )
        cues = tuple(MouthCue(max(0.0, c.start - shift), c.end - shift, c.shape) for c in turn.cues if c.end > shift)
        audio = turn.audio[sample:]
        listeners = {m.id: m.temperament for m in self.config.cast if m.id != turn.line.speaker}
        duration = len(audio) / turn.sample_rate
        plan = plan_turn(
            turn.line.speaker, text, turn.line.emotion, cues, words, duration, self.config.video.fps, listeners
        )
        return replace(
            turn,
            index=index,
            audio=audio,
            cues=cues,
            plan=plan,
            words=words,
            spoken_text=text,
            ready_at=time.perf_counter(),
        )

    def from_audio(self, index: int, line: Line, samples: npt.NDArray[np.int16]) -> PreparedTurn:
        """Prepare ``samples`` (already at the show rate) as ``line``; its text may be empty."""
        if line.text:  # a clip's caption is on screen: it is judged like any line
            self._review(line, "say")
        started = time.perf_counter()
        speech = Speech(samples, self.speech.sample_rate, line.text)
        return self._finish(index, line, speech, {"write_ms": 0.0, "tts_ms": 0.0}, started, "say")

    def _finish(
        self,
        index: int,
        line: Line,
        speech: Speech,
        timings: dict[str, float],
        started: float,
        source: str,
        part: int = 0,
        continued: bool = False,
    ) -> PreparedTurn:
        t1 = time.perf_counter()
        made, method = self.lipsync.cues_by(speech, (speech.text if part or continued else line.text) or None)
        cues = tuple(made)
        t2 = time.perf_counter()
        self.telemetry.emit("lipsync_ready", turn=index, cues=len(cues), method=method, ms=round((t2 - t1) * 1000, 3))
        listeners = {m.id: m.temperament for m in self.config.cast if m.id != line.speaker}
        plan = plan_turn(
            line.speaker,
            speech.text,
            line.emotion,
            cues,
            speech.words,
            speech.duration,
            self.config.video.fps,
            listeners,
        )
        shown = speech.text.strip() if part or continued else line.text  # a part captions its own sentence
        caption = self.stage.caption(line.speaker, shown, key=f"{source}-{index}-{part}")
        timings = {**timings, "lipsync_ms": (t2 - t1) * 1000, "prep_ms": (time.perf_counter() - started) * 1000}
        self.telemetry.emit(
            "turn_ready",
            show=self.show_id,
            turn=index,
            speaker=line.speaker,
            audio_s=round(speech.duration, 3),
            source=source,
            text=line.text,
            **{k: round(v, 3) for k, v in timings.items()},
        )
        return PreparedTurn(
            index,
            line,
            speech.samples,
            cues,
            plan,
            caption,
            timings,
            source=source,
            show_id=self.show_id,
            continued=continued,
            words=speech.words,
            spoken_text=speech.text,
            sample_rate=speech.sample_rate,
        )
