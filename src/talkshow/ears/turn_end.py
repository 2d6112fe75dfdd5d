"""Turns from voice activity: when a person starts speaking, and when they have finished.

Start: the probability crosses ``start_threshold`` and speech adds up to
``min_speech_ms`` before a silence of ``end_silence_ms``; so an "uh-huh" or a cough is
not a turn, and the start is placed, sample-accurately, at the first voiced frame. End:
``end_silence_ms`` below ``end_threshold`` (hysteresis between the two thresholds), or
``max_utterance_s`` of speech, so an hour-long monologue is still cut into turns.

Within a turn, ``speech_pause`` says the speaker has gone quiet for ``pause_ms`` (the
turn is probably over: work on the reply may start) and ``speech_resumed`` that they went
on after all. Before a turn is confirmed, ``voice_onset`` says that voice has begun (``onset_ms`` of
it) and ``voice_dropped`` that it came to nothing: a talk session pauses a reply on the
first and resumes it on the second, so a caller's "uh-huh" costs the character a
moment's pause, not its line, and a real interruption silences it within ~150 ms.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from talkshow.ears.settings import TurnSettings

__all__ = ["TurnDetector", "TurnEvent", "TurnJudge", "TurnSettings", "VoiceActivity"]


class VoiceActivity(Protocol):
    """A streaming VAD: one speech probability per fixed frame."""

    sample_rate: int
    frame_samples: int

    def probabilities(self, samples: npt.NDArray[np.int16]) -> list[float]:
        """Probabilities for the complete frames in (what is left of) the stream."""

    def reset(self) -> None:
        """Start a new stream."""


class TurnJudge(Protocol):
    """A turn model: from how a turn sounds, the probability that the speaker has finished."""

    last_ms: float  # how long the last judgement took

    def complete(self, samples: npt.NDArray[np.int16]) -> float:
        """0-1 for the turn so far (16 kHz mono int16)."""


@dataclass(frozen=True)
class TurnEvent:
    """``voice_onset``, ``voice_dropped``, ``speech_start`` or ``speech_end`` at ``sample`` (in the input stream)."""

    kind: str
    sample: int
    reason: str = ""

    def seconds(self, sample_rate: int) -> float:
        """The event's time in the stream."""
        return self.sample / sample_rate


class TurnDetector:
    """Feeds audio through a VAD and reports turn starts and ends."""

    def __init__(self, vad: VoiceActivity, settings: TurnSettings | None = None) -> None:
        self.vad = vad
        self.settings = settings or TurnSettings()
        frame_ms = 1000 * vad.frame_samples / vad.sample_rate
        self._min_speech = max(1, round(self.settings.min_speech_ms / frame_ms))
        self._onset = max(1, min(self._min_speech, round(self.settings.onset_ms / frame_ms)))
        self._onset_told = False
        self._frame_ms = frame_ms
        self._end_silence = max(1, round(self.settings.end_silence_ms / frame_ms))
        self._end_silence_now = self._end_silence  # this turn's (a turn model may lengthen it)
        self._pause = max(1, min(self._end_silence - 1, round(self.settings.pause_ms / frame_ms)))
        self._pause_told = False
        self._max_frames = round(self.settings.max_utterance_s * 1000 / frame_ms)
        self._frame = 0  # frames decided so far
        self.speaking = False
        self._candidate: int | None = None  # first voiced frame of a possible turn
        self._voiced = 0
        self._silent = 0

    def feed(self, samples: npt.NDArray[np.int16]) -> list[TurnEvent]:
        """Events decided by ``samples`` (16 kHz mono int16 for Silero), in order."""
        events: list[TurnEvent] = []
        size = self.vad.frame_samples
        s = self.settings
        for probability in self.vad.probabilities(samples):
            frame = self._frame
            self._frame += 1
            if not self.speaking:
                if probability >= s.start_threshold:
                    if self._candidate is None:
                        self._candidate, self._voiced = frame, 0
                    self._voiced += 1
                    self._silent = 0
                elif self._candidate is not None:
                    self._silent += 1
                    if self._silent >= self._end_silence:  # too little speech: a backchannel, not a turn
                        if self._onset_told:
                            events.append(TurnEvent("voice_dropped", self._candidate * size, "too short"))
                        self._candidate, self._onset_told = None, False
                if self._candidate is not None and not self._onset_told and self._voiced >= self._onset:
                    self._onset_told = True
                    events.append(TurnEvent("voice_onset", self._candidate * size))
                if self._candidate is not None and self._voiced >= self._min_speech:
                    self.speaking, self._silent = True, 0
                    events.append(TurnEvent("speech_start", self._candidate * size))
                continue
            assert self._candidate is not None
            self._silent = self._silent + 1 if probability < s.end_threshold else 0
            if self._silent == 0 and self._pause_told:  # the speaker went on after all
                self._pause_told = False
                events.append(TurnEvent("speech_resumed", frame * size))
            elif self._silent == self._pause and self._silent < self._end_silence_now:
                self._pause_told = True
                events.append(TurnEvent("speech_pause", (frame + 1 - self._silent) * size))
            if self._silent >= self._end_silence_now:
                events.append(TurnEvent("speech_end", (frame + 1 - self._silent) * size, "silence"))
                self._end()
            elif frame + 1 - self._candidate >= self._max_frames:
                events.append(TurnEvent("speech_end", (frame + 1) * size, "max_length"))
                self._end()
        return events

    def end_now(self, sample: int, reason: str) -> TurnEvent:
        """The turn is over at ``sample`` after all (a turn model heard it finish): its ``speech_end``."""
        self._end()
        return TurnEvent("speech_end", sample, reason)

    def wait_longer(self, end_silence_ms: float) -> None:
        """This turn sounds unfinished: until it ends, it takes ``end_silence_ms`` of silence to end it."""
        self._end_silence_now = max(self._end_silence, round(end_silence_ms / self._frame_ms))

    def _end(self) -> None:
        self._end_silence_now = self._end_silence
        self.speaking = False
        self._onset_told = self._pause_told = False
        self._candidate = None
        self._voiced = self._silent = 0
