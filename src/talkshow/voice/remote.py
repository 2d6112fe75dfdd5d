"""What every HTTP speech provider shares: settings from options, errors mapped at the boundary,
sentence splitting, and phoneme times inside word spans for providers that time characters.

Voices run on worker threads (the preparer's, the studio's), so providers use a
blocking ``httpx.Client`` with a timeout; the service retries and falls back.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import numpy as np

from talkshow.core.errors import VoiceError
from talkshow.core.kinds.voice import PhonemeTiming, Speech
from talkshow.core.turn import WordTiming
from talkshow.sentences import split_sentences
from talkshow.voice.arpabet import PAUSE
from talkshow.voice.espeak_ipa import ipa_clauses
from talkshow.voice.ipa import ipa_to_arpabet

__all__ = [
    "ProviderError",
    "RemoteOptions",
    "check_response",
    "phonemes_in_words",
    "request_error",
    "sentence_stream",
]

_WORD = re.compile(r"[\w'’-]+")


class ProviderError(VoiceError):
    """A speech provider refused or failed; ``retryable`` says whether trying again may help."""

    def __init__(self, message: str, retryable: bool, retry_after_s: float = 0.0, status: int | None = None) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.retry_after_s = retry_after_s
        self.status = status


@dataclass(frozen=True)
class RemoteOptions:
    """Connection settings shared by HTTP providers (from a voice's ``options``)."""

    base_url: str
    api_key: str
    timeout_s: float

    @classmethod
    def from_options(cls, options: dict[str, Any], default_url: str, key_env: str) -> RemoteOptions:
        """Read ``base_url``, ``api_key_env`` (the key is never in a show file) and ``timeout_s``."""
        env = str(options.get("api_key_env", key_env))
        return cls(
            base_url=str(options.get("base_url", default_url)).rstrip("/"),
            api_key=os.environ.get(env, ""),
            timeout_s=float(options.get("timeout_s", 15.0)),
        )


def check_response(provider: str, response: httpx.Response) -> None:
    """Raise ProviderError for an error status, saying what it means and whether to retry."""
    status = response.status_code
    if status < 400:
        return
    detail = response.text[:200].replace("\n", " ")
    if status in (401, 403):
        raise ProviderError(f"{provider} refused the key ({status}): {detail}", retryable=False, status=status)
    if status == 429:
        try:
            after = float(response.headers.get("retry-after", "1"))
        except ValueError:
            after = 1.0
        raise ProviderError(f"{provider} rate limit (429): {detail}", True, after, status)
    if status >= 500:
        raise ProviderError(f"{provider} server error {status}: {detail}", retryable=True, status=status)
    raise ProviderError(f"{provider} rejected the request ({status}): {detail}", retryable=False, status=status)


def request_error(provider: str, exc: httpx.HTTPError) -> ProviderError:
    """A transport failure (timeout, refused connection) as a retryable ProviderError."""
    kind = "timed out" if isinstance(exc, httpx.TimeoutException) else "failed"
    return ProviderError(f"{provider} request {kind}: {type(exc).__name__}: {exc}", retryable=True)


def sentence_stream(text: str, rate: int, speak: Callable[[str], Speech]) -> Iterator[Speech]:
    """``speak`` each sentence of ``text`` (one request each), handing each on as it arrives.

    Whitespace between sentences stays in the chunks' texts, so they join back to ``text``.
    """
    for sentence in split_sentences(text):
        yield speak(sentence) if sentence.strip() else Speech(np.zeros(0, np.int16), rate, sentence)


def phonemes_in_words(
    text: str, starts: list[float], ends: list[float], language: str = "en-us"
) -> tuple[tuple[PhonemeTiming, ...], tuple[WordTiming, ...]]:
    """Phoneme and word times from per-character times (one pair per character of ``text``).

    Each word's phonemes come from espeak-ng's pronunciation of the word and share the
    word's span evenly; gaps between words longer than 60 ms are pauses.
    """
    if len(starts) != len(text) or len(ends) != len(text):
        raise VoiceError(f"alignment has {len(starts)} character times for {len(text)} characters")
    phonemes: list[PhonemeTiming] = []
    words: list[WordTiming] = []
    previous_end = 0.0
    for match in _WORD.finditer(text):
        begin, finish = starts[match.start()], ends[match.end() - 1]
        if finish <= begin:
            continue
        if begin - previous_end > 0.06:
            phonemes.append(PhonemeTiming(previous_end, begin, PAUSE))
        phones = [p for c in ipa_clauses(match.group(), language) for p in ipa_to_arpabet(c.ipa)] or [PAUSE]
        step = (finish - begin) / len(phones)
        phonemes += [PhonemeTiming(begin + i * step, begin + (i + 1) * step, p) for i, p in enumerate(phones)]
        words.append(WordTiming(begin, finish, match.start(), match.end()))
        previous_end = finish
    return tuple(phonemes), tuple(words)
