"""The gate every line passes before it airs: words, then meaning (offline), then an optional stage 2; fail closed."""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import replace
from typing import Any

from talkshow.core.kinds.moderation import SOURCES, Moderator, Verdict
from talkshow.moderation.settings import ModerationSettings
from talkshow.moderation.wordlist import BUILTIN_BLOCKLIST, WordList, injection_verdict
from talkshow.telemetry.events import Telemetry

logger = logging.getLogger(__name__)

__all__ = [
    "EARS_UNSURE_BELOW",
    "MAX_REVIEW_CHARS",
    "MEANING_CLEARS_BELOW",
    "WORDS_AGREE_FROM",
    "WORDS_SURE_FROM",
    "ModerationGate",
]

MAX_REVIEW_CHARS = 2000  # longer than any line that airs; a longer one is held, not read
STAGE2_WORKERS = 4  # stage-2 checks at once; a slow endpoint holds lines, it never queues them without end
# A caller's words the ears were this unsure of (the least sure word's probability) may be a mishearing:
# the check by meaning alone does not hold them, unless the word classifier leans to offensive too.
EARS_UNSURE_BELOW = 0.5
WORDS_AGREE_FROM = 0.5
# The word classifier's holds between its threshold (0.8) and this are marginal: it scores word by word, and "What
# do monkeys eat?" reaches 0.86 on "monkeys" and "eat" alone. Such a hold stands unless the check by meaning is
# sure the line is benign (P(harmful) under MEANING_CLEARS_BELOW); a caller's is only unsure: asked again.
WORDS_SURE_FROM = 0.9
MEANING_CLEARS_BELOW = 0.05


class ModerationGate:
    """Judges a line from any source; thread-safe. Every verdict is an event, and held lines say why.

    The check by meaning and a stage-2 check run on workers: one that raises, or has not
    answered within ``timeout_s``, holds the line:
    nothing airs that was not judged. ``approve`` lets one held text through once (the
    operator's decision in the studio is the check).
    """

    def __init__(
        self,
        settings: ModerationSettings,
        telemetry: Telemetry,
        classifier: Moderator | None = None,
        semantic: Moderator | None = None,
        meaning: Moderator | None = None,
    ) -> None:
        self.settings = settings
        self.telemetry = telemetry
        builtin = BUILTIN_BLOCKLIST if settings.builtin_blocklist else ()
        self._words = WordList((*builtin, *settings.blocklist), settings.allowlist)
        self._classifier = classifier
        # Checks that may be slow or fail (a model, a server): each runs on a worker with the timeout.
        self._meaning = meaning
        self._deep = [check for check in (meaning, semantic) if check is not None]
        self._pool = ThreadPoolExecutor(STAGE2_WORKERS, "moderation") if self._deep else None
        self._lock = threading.Lock()
        self._approved: Counter[str] = Counter()
        self.counts: Counter[tuple[str, bool]] = Counter()  # (source, allowed) -> lines

    @property
    def stages(self) -> list[str]:
        """The checks a line passes, in order."""
        names = [self._words.name] + ([self._classifier.name] if self._classifier else [])
        return names + [check.name for check in self._deep]

    def approve(self, text: str) -> None:
        """Let ``text`` air once without a check: the operator approved it."""
        with self._lock:
            self._approved[_key(text)] += 1

    def review(self, text: str, source: str, who: str = "", confidence: float = 1.0) -> Verdict:
        """Judge ``text`` from ``source``; blocking for at most ``timeout_s`` plus stage 1's milliseconds.

        A caller's words are heard, not typed: ``confidence`` is how sure the ears were. Held by the check by
        meaning alone, words the ears were unsure of air (unless the word classifier leans to offensive
        too); any other hold of words the ears were unsure of, a verdict the check is not sure of, or a check
        that failed, comes back ``unsure``: the caller is asked to say it again, not told off. Every other
        source's text is exact, and fails closed.
        """
        if source not in SOURCES:
            raise ValueError(f"unknown line source {source!r}; one of {', '.join(SOURCES)}")
        started = time.perf_counter()
        verdict = self._judge(text, source)
        if source == "caller":
            verdict = self._as_heard(verdict, text, confidence)
        verdict = replace(
            verdict, unsure=verdict.held and verdict.unsure and source == "caller",
            ms=(time.perf_counter() - started) * 1000,
        )  # fmt: skip
        with self._lock:
            self.counts[(source, verdict.allowed)] += 1
        fields: dict[str, Any] = {"source": source, "allowed": verdict.allowed, "stage": verdict.stage}
        self.telemetry.emit("line_moderated", **fields, ms=round(verdict.ms, 3))
        if verdict.held:
            logger.info("held a %s line (%s): %s", source, verdict.stage, verdict.reason)
            self.telemetry.emit(
                "line_held", **fields, reason=verdict.reason, text=text[:500], who=who[:100], unsure=verdict.unsure
            )
        return verdict

    def _as_heard(self, verdict: Verdict, text: str, confidence: float) -> Verdict:
        """A caller's verdict, given that the words may be misheard (see ``review``)."""
        if verdict.held and not verdict.unsure and self._held_for_one_harmless_word(verdict, text):
            # One swear word in a line that means no harm is the commonest mishearing ("set off the alarm" heard as
            # "shit off", with the ears sure): not aired, and the caller is asked to say it again, not told off.
            return replace(verdict, reason=f"{verdict.reason}; harmless by meaning", unsure=True)
        if verdict.allowed or confidence >= EARS_UNSURE_BELOW:
            return verdict  # heard clearly: the verdict stands (the check by meaning marks its own doubt)
        by_meaning = self._meaning is not None and verdict.stage == self._meaning.name and verdict.score is not None
        words = self._classifier.check(text).score if self._classifier is not None else None
        if by_meaning and (words is None or words < WORDS_AGREE_FROM):
            return Verdict(True, f"heard unsure ({confidence:.2f}); {verdict.reason}", verdict.stage)
        # Held, but the ears were unsure of the words ("set off the alarm" heard as "shit off"): not aired,
        # and the caller is asked to say it again, not told off for what they may not have said.
        return replace(verdict, reason=f"heard unsure ({confidence:.2f}); {verdict.reason}", unsure=True)

    def _held_for_one_harmless_word(self, verdict: Verdict, text: str) -> bool:
        """Whether ``verdict`` is the word classifier's, for one word alone (the line without it passes), and the
        check by meaning is sure the line means no harm (one that fails or times out is not sure): the shape of
        one misheard word, not of abuse ("This show sucks ass" is held without either word)."""
        if self._classifier is None or self._meaning is None or verdict.stage != self._classifier.name:
            return False
        words = text.split()
        if not any(self._classifier.check(" ".join(words[:at] + words[at + 1 :])).allowed for at in range(len(words))):
            return False
        meaning = self._bounded_verdict(self._meaning, text)
        return meaning.allowed and meaning.score is not None and meaning.score < MEANING_CLEARS_BELOW

    def _judge(self, text: str, source: str) -> Verdict:
        if not text.strip():
            return Verdict(True, stage="empty")
        if len(text) > MAX_REVIEW_CHARS:
            return Verdict(False, f"too long to review ({len(text)} characters)", "length")
        with self._lock:
            if self._approved[_key(text)] > 0:
                self._approved[_key(text)] -= 1
                return Verdict(True, "approved by the operator", "operator")
        if source == "chat" and (injected := injection_verdict(text)) is not None:
            return injected
        verdict = self._words.check(text)
        if verdict.held:
            return verdict
        if self._classifier is not None:
            verdict = self._classifier.check(self._words.without_allowed(text))
            if verdict.held:
                standing = self._words_second_opinion(verdict, text)
                if standing is not None:
                    return standing
        for check in self._deep:
            verdict = self._bounded_verdict(check, text)
            if verdict.held:
                return verdict
        return verdict

    def _words_second_opinion(self, words: Verdict, text: str) -> Verdict | None:
        """A hold by the word classifier, or None where it was marginal and the check by meaning is sure the line
        is benign (one that fails or times out clears nothing); a marginal hold that stands is unsure."""
        if words.score is None or words.score >= WORDS_SURE_FROM or self._meaning is None:
            return words
        meaning = self._bounded_verdict(self._meaning, text)
        if meaning.allowed and meaning.score is not None and meaning.score < MEANING_CLEARS_BELOW:
            return None
        return replace(words, unsure=True)

    def _bounded_verdict(self, check: Moderator, text: str) -> Verdict:
        assert self._pool is not None
        name = check.name
        try:
            future: Future[Verdict] = self._pool.submit(check.check, text)
        except RuntimeError:  # the gate is closing
            return Verdict(False, "moderation is shutting down", name, unsure=True)
        try:
            return future.result(timeout=self.settings.timeout_s)
        except FutureTimeout:
            future.cancel()
            self.telemetry.emit("moderation_error", moderator=name, error="timeout")
            return Verdict(False, f"{name} did not answer within {self.settings.timeout_s:g} s", name, unsure=True)
        except Exception as exc:  # any failure of the check holds the line: fail closed
            logger.warning("moderation by %s failed: %s", name, exc)
            self.telemetry.emit("moderation_error", moderator=name, error=str(exc)[:300])
            return Verdict(False, f"{name} could not judge the line: {exc}", name, unsure=True)

    def close(self) -> None:
        """Stop stage 2's workers and close its connections."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
        for check in [self._classifier, *self._deep]:
            if check is not None:
                check.close()

    def __enter__(self) -> ModerationGate:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _key(text: str) -> str:
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()
