"""The tutor's own lines pass moderation as every generated line does (failing closed); few of them may be held.

A held sentence of Theo's is not aired: a correction held is a correction the learner never hears. Measured on the
dev half of the learner set at B1 and C1 (every sentence of every chunk the offline tutor composes): 29 of 1562 held
(1.9%) on 2026-11-26, 47 before the tutor's correction forms were among moderation's benign examples; the test half
(never tuned on) 33 of 1542 (2.1%, from 43). On 2026-11-28, with the dev half grown to 862 sentences: dev 163 of
7686 said (2.1%; 90 of 2201 distinct sentences), test 34 of 1562 (2.2%); after six examples of self-harm said
sideways were added, dev 163 (unchanged), test 40 (2.6%). The budget below leaves a margin for a new model or example.
"""

from __future__ import annotations

import random
from collections import Counter

import pytest

from support.budgets import CONTENT_CHECK_TIMEOUT_S
from talkshow.moderation.build import build_gate
from talkshow.moderation.settings import ModerationSettings
from talkshow.sentences import split_sentences
from talkshow.telemetry.events import Telemetry
from talkshow.tutor.checker import GrammarChecker
from talkshow.tutor.compose import compose_reply
from talkshow.tutor.errant_score import learner_set

# times nothing: make test runs it beside the solo tier, on the CPU those two workers leave idle
pytestmark = pytest.mark.beside

MAX_HELD_SHARE = 0.03
FIXES = ("Just one thing: 'are', not 'is'.", "Just one thing: 'finished', not 'finish'.")


def test_the_tutors_corrections_are_rarely_held_and_a_correction_of_is_never() -> None:
    checker = GrammarChecker()
    checked = [checker.check(pair.text) for pair in learner_set("dev")]
    said = Counter(
        sentence
        for check in checked
        for level in ("B1", "C1")
        for chunk in compose_reply(check, level, set(), random.Random(1))
        for sentence in split_sentences(chunk.text)
    )
    # the gate's verdict on a text is the same each time, so each distinct sentence is reviewed once and counted
    # as often as Theo would say it
    with build_gate(ModerationSettings(timeout_s=CONTENT_CHECK_TIMEOUT_S), Telemetry()) as gate:
        held = {s: n for s, n in said.items() if gate.review(s, "reply", "theo").held}
        fixes = [gate.review(line, "reply", "theo") for line in FIXES]
    assert said.total() > 1000
    assert sum(held.values()) / said.total() <= MAX_HELD_SHARE, held
    assert not any(verdict.held for verdict in fixes), fixes
