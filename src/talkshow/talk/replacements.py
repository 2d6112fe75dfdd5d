"""What a character says instead when a reply cannot go on: no dead air, and nothing of a held line repeated."""

from __future__ import annotations

import itertools
import logging

from talkshow.core.errors import LineHeldError
from talkshow.talk.reply_state import Reply
from talkshow.writer.answers import DEFLECTIONS, FALLBACK_LINES, RETRACTIONS, SAY_AGAIN

logger = logging.getLogger(__name__)

__all__ = ["Replacements"]


class Replacements:
    """Picks the line that airs after a reply failed, in turn from fixed lines that are true whatever was asked."""

    def __init__(self, reply_timeout_s: float) -> None:
        self.reply_timeout_s = reply_timeout_s
        self._fallbacks = itertools.cycle(FALLBACK_LINES)
        self._deflections = itertools.cycle(DEFLECTIONS)
        self._say_again = itertools.cycle(SAY_AGAIN)
        self._retractions = itertools.cycle(RETRACTIONS)

    def after(self, reply: Reply, sentences_aired: int, error: Exception) -> str | None:
        """The line to air after ``error`` stopped ``reply`` (None: nothing; what aired stands).

        Moderation holding the caller's words: a deflection; but words it was not sure of
        (they may be misheard) get a request to say them again, never a telling-off.
        Holding a sentence of the character's own reply: the character takes it back, with
        no word against the caller (a reply that echoed a misheard line is not their fault).
        The writer failing or too slow: a fallback line, if nothing but the acknowledgement
        had aired yet.
        """
        if reply.cancelled:
            return None
        if isinstance(error, LineHeldError):
            logger.info("reply %d held by moderation after %d sentences: %s", reply.exchange, sentences_aired, error)
            reply.stamps["held"] = 1.0
            if error.unsure:
                reply.stamps["asked_again"] = 1.0
                return next(self._say_again)
            return next(self._deflections) if error.caller else next(self._retractions)
        why = f"no reply within {self.reply_timeout_s:g} s" if isinstance(error, TimeoutError) else error
        if sentences_aired > bool(reply.ack):
            logger.warning("reply %d broke off after %d sentences: %s", reply.exchange, sentences_aired, why)
            return None
        logger.warning("reply writer failed (%s); a fallback line airs", why)
        reply.stamps["fallback"] = 1.0
        return next(self._fallbacks)
