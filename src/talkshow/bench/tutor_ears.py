"""The learner set through the ears: heard as said, errors that survive hearing, and ERRANT on what was heard.

Every sentence of a learner-set half (``assets/tutor/learner_set_*.toml``) is said by espeak-ng in
voices no character has, at 130 to 175 words a minute, 20 dB over white noise, and heard by each
ears setting compared. For each setting:

- **heard as said**: the sentences whose words came back exactly (case and punctuation aside);
- **errors surviving hearing**: of the gold ERRANT edits, those whose words the ears left as the
  learner said them (no edit from what was said to what was heard touches their span);
- **ERRANT through the ears**: the checker runs on what was heard, and its correction is scored
  against the gold correction of what was *said*, span level: a mishearing the tutor "corrects"
  is a false edit, an error the ears smoothed away is a miss.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping
from typing import Any

from talkshow.bench.serving import stats
from talkshow.bench.talk import SET_CALLERS, caller_speech
from talkshow.knowledge.numbers import number_words
from talkshow.talk.settings import TalkSettings
from talkshow.tutor.checker import GrammarChecker
from talkshow.tutor.errant_score import GecScore, Half, edits, learner_set

__all__ = ["LEARNER_VOICES", "learner_set_through_the_ears", "spelled"]

# espeak voices no character has (the cast speak Piper's joe, and espeak en-us+m2 as a fallback), at the issue's
# 130-175 words a minute.
LEARNER_VOICES = SET_CALLERS


def _plain(text: str) -> str:
    return " ".join("".join(c for c in spelled(text).lower().replace("’", "'") if c.isalnum() or c in " '").split())


def spelled(text: str) -> str:
    """``text`` with its numbers in words, as the learner said them ("since 2018" -> "since two thousand and
    eighteen", "in 1990" -> "in nineteen ninety"): the ears write digits, the learner set words."""

    def say(match: re.Match[str]) -> str:
        value = int(match[0])
        if 1100 <= value <= 1999 and value % 100:
            return f"{number_words(value // 100)} {number_words(value % 100)}"
        return number_words(value)

    return re.sub(r"\b\d{1,6}\b", say, text)


def _survived(gold: list[tuple[int, int, str, str]], hearing: list[tuple[int, int, str, str]]) -> int:
    """How many gold edits no hearing edit touches (an insertion at a span's edge counts as touching)."""
    return sum(1 for g in gold if not any(h[0] <= g[1] and g[0] <= h[1] for h in hearing))


def _hear_all(
    name: str, options: Mapping[str, Any], clips: list[Any], pairs: list[Any], annotator: Any, checker: GrammarChecker
) -> dict[str, Any]:
    from talkshow.talk.providers import make_stt

    stt = make_stt(TalkSettings(stt_options=dict(options)))
    score, exact, survived, gold_total, ms = GecScore(), 0, 0, 0, []
    examples: list[dict[str, str]] = []
    try:
        for pair, clip in zip(pairs, clips, strict=True):
            heard = stt.transcribe(clip.samples, 48_000)
            heard_text = spelled(heard.text)
            ms.append(heard.ms)
            exact += _plain(heard.text) == _plain(pair.text)
            gold = edits(annotator, pair.text, pair.corrected)
            gold_total += len(gold)
            survived += _survived(gold, edits(annotator, pair.text, heard_text or "-"))
            check = checker.check(heard_text, heard.heard_words, 0.5)
            score.add(gold, edits(annotator, pair.text, check.corrected_if_heard_right or "-"), pair.text)
            if _plain(heard.text) != _plain(pair.text) and len(examples) < 8:
                examples.append({"said": pair.text, "heard": heard.text})
    finally:
        close = getattr(stt, "close", None)
        if callable(close):
            close()
    sentences = len(pairs)
    return {
        "ears": name,
        "heard_as_said": f"{exact} of {sentences} ({exact / sentences:.0%})",
        "heard_as_said_share": round(exact / sentences, 3),
        "errors_surviving_hearing": f"{survived} of {gold_total} ({survived / max(gold_total, 1):.0%})",
        "errant_through_the_ears": {k: v for k, v in score.as_dict().items() if k != "by_type"},
        "stt_ms": stats(ms),
        "misheard_examples": examples,
    }


def learner_set_through_the_ears(
    ears: Mapping[str, Mapping[str, Any]], half: Half = "test", snr_db: float = 20.0, say: Callable[[str], None] = print
) -> list[dict[str, Any]]:
    """``half`` of the learner set spoken once and heard by every named ears setting (``stt_options``)."""
    from talkshow.tutor.grammar_model import load_annotator

    pairs = learner_set(half)
    started = time.perf_counter()
    clips = [
        caller_speech(p.text, LEARNER_VOICES[i % len(LEARNER_VOICES)], snr_db, seed=i) for i, p in enumerate(pairs)
    ]
    say(f"  {len(clips)} learner sentences said in {time.perf_counter() - started:.0f} s")
    annotator, checker = load_annotator(), GrammarChecker()
    out = []
    for name, options in ears.items():
        started = time.perf_counter()
        out.append(_hear_all(name, options, clips, pairs, annotator, checker))
        say(f"  {name}: heard as said {out[-1]['heard_as_said']} ({time.perf_counter() - started:.0f} s)")
    return out
