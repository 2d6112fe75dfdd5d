"""Where a character may break into the line on air: the end of its sentence, if that is near.

A chat answer should not wait out a long line (a question was answered 5.7 s after it came,
median, when it waited). The line on air is read from the air log (the frame that just went
out) and its word timings: the host cuts at the end of the sentence being said if it ends
within ``MAX_SENTENCE_WAIT_S``, else at the end of the word being said.
"""

from __future__ import annotations

from typing import Protocol

from talkshow.core.air import AirLog

__all__ = ["MAX_SENTENCE_WAIT_S", "SHOW_TURNS_BELOW", "seconds_to_break"]

MAX_SENTENCE_WAIT_S = 2.0
SHOW_TURNS_BELOW = 100_000  # pushed lines are numbered from here: only a show line is broken into


class Logged(Protocol):
    """All this needs of the show (``OnAir`` has it): what each recent stream frame carried."""

    @property
    def air_log(self) -> AirLog:
        """Stream frame -> the turn it carried."""


def seconds_to_break(clock: Logged, fps: int) -> float | None:
    """Seconds from now to a good place to cut the show line on air; None if nothing needs cutting.

    Nothing needs cutting between lines (a pushed line airs within frames) or while a pushed
    line (another answer, the studio's) is on air: it ends first.
    """
    latest = clock.air_log.latest()
    if latest is None:
        return None
    _, turn, offset = latest
    if turn is None or turn.index >= SHOW_TURNS_BELOW or not turn.words:
        return None
    now_s = offset / fps
    text = turn.spoken_text or turn.line.text
    upcoming = [w for w in turn.words if w.end > now_s]
    if not upcoming:
        return None
    for word in upcoming:
        if word.end - now_s > MAX_SENTENCE_WAIT_S:
            break
        if _ends_sentence(text, word.char_end):
            return word.end - now_s
    return upcoming[0].end - now_s


def _ends_sentence(text: str, char_end: int) -> bool:
    tail = text[char_end : char_end + 2]
    return text[char_end - 1 : char_end] in ".!?" or tail[:1] in (".", "!", "?")
