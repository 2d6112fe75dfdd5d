"""How the ears decide turns (``[talk]``'s turn keys): plain data, so reading a show file loads no audio code."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["TurnSettings"]


@dataclass(frozen=True)
class TurnSettings:
    """Thresholds for deciding turns."""

    start_threshold: float = 0.5
    end_threshold: float = 0.35
    # A quarter second of speech, plus the ~100 ms Silero's probability stays up after a sound
    # ends (measured: a 180 ms "mm" read as 288 ms of speech).
    min_speech_ms: float = 350.0
    onset_ms: float = 64.0  # voiced time that counts as a possible interruption (two Silero frames)
    end_silence_ms: float = 600.0
    # A turn that goes quiet this long is probably over: the STT finishes and a reply is made
    # on speculation, aired only if the silence reaches end_silence_ms (``speech_pause``).
    pause_ms: float = 160.0
    max_utterance_s: float = 30.0
    # With a turn model: at the pause, "finished" (>= complete_threshold) ends the turn there;
    # "not finished" gives the speaker incomplete_silence_ms to go on.
    complete_threshold: float = 0.5
    incomplete_silence_ms: float = 1500.0
