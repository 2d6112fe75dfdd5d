"""The learner remembered across lessons: their mistakes come back, their words are counted, each lesson reported."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from talkshow.core.cast import CastMember, VoiceSettings
from talkshow.core.kinds.writer import ReplyRequest
from talkshow.tutor.learners import LearnerBook
from talkshow.tutor.reply import TutorReply, shared_checker
from talkshow.tutor.report_chart import lesson_chart
from talkshow.tutor.settings import TutorSettings

# times nothing: make test runs it beside the solo tier, on the CPU those two workers leave idle
pytestmark = pytest.mark.beside

THEO = CastMember("theo", "theo", "Theo", "A warm English tutor.", VoiceSettings())


def lesson(book: Path, learner: str, said: list[tuple[str, float]]) -> TutorReply:
    """One call: ``said`` (text, seconds spoken), each answered, then the call ends."""
    tutor = TutorReply(TutorSettings(learners=str(book)), shared_checker(), seed=1, learner=learner)

    async def run() -> None:
        for text, seconds in said:
            request = ReplyRequest(THEO, "English", text, heard_seconds=seconds)
            _ = [chunk async for chunk in tutor.reply(request)]
        await tutor.aclose()

    asyncio.run(run())
    return tutor


def test_a_lesson_is_reported_with_its_mistakes_words_and_pace(tmp_path: Path) -> None:
    book = tmp_path / "learners.sqlite3"
    tutor = lesson(book, "Ana", [("Yesterday I go to the market and buyed three apple.", 4.0),
                                 ("I like the market very much.", 2.0)])  # fmt: skip
    with LearnerBook(book) as learners:
        report = learners.report(tutor.lesson.lesson_id)
    assert report is not None
    assert report["learner"] == "Ana" and report["ended_at"] is not None
    assert report["mistakes_by_kind"] == {"tense": 2, "plural": 1}
    assert report["taught"] == ["apples", "bought", "went"]
    assert {"market", "yesterday", "apples"} <= set(report["new_words"])
    assert report["speaking_seconds"] == 6.0
    assert report["words_per_minute"] == round((10 + 6) / (6 / 60), 1)
    assert [len(t["mistakes"]) for t in report["turns"]] == [3, 0]
    chart = lesson_chart(report)
    assert chart.count('class="mistake"') == 3 and chart.count('class="words"') == 2


def test_a_recurring_mistake_comes_back_at_the_start_of_the_next_lesson(tmp_path: Path) -> None:
    book = tmp_path / "learners.sqlite3"
    lesson(book, "Ana", [("I have two cat.", 1.5), ("My brother has three dog.", 2.0)])  # plural, twice
    lesson(book, "Ben", [("Yesterday I go home.", 1.5)])  # someone else's mistakes are not Ana's
    second = lesson(book, "Ana", [("I visited my grandmother last weekend.", 2.5)])
    chunks = second.lesson.snapshot()[-1]["chunks"]
    assert chunks[0]["kind"] == "say" and "'dogs', not 'dog'" in chunks[0]["text"], chunks
    assert chunks[-1]["text"] == "How many brothers and sisters do you have?", "a question that practises plurals"
    with LearnerBook(book) as learners:
        assert learners.habits("Ana") == {"plural": 2}
        report = learners.report(second.lesson.lesson_id)
    assert report is not None and "market" not in report["new_words"]
    assert "grandmother" in report["new_words"]


def test_words_used_in_an_earlier_lesson_are_not_new_again(tmp_path: Path) -> None:
    book = tmp_path / "learners.sqlite3"
    lesson(book, "Ana", [("I cooked pasta with tomatoes.", 2.0)])
    again = lesson(book, "Ana", [("I cooked pasta with mushrooms.", 2.0)])
    with LearnerBook(book) as learners:
        report = learners.report(again.lesson.lesson_id)
    assert report is not None and report["new_words"] == ["mushrooms"]


def test_every_turn_is_on_disk_before_the_reply_is_voiced(tmp_path: Path) -> None:
    book = tmp_path / "learners.sqlite3"
    tutor = TutorReply(TutorSettings(learners=str(book)), shared_checker(), seed=1, learner="Ana")

    async def first_chunk() -> str:
        stream = tutor.reply(ReplyRequest(THEO, "English", "She don't like tea.", heard_seconds=1.0))
        text = await anext(stream)
        await stream.aclose()
        return text

    assert asyncio.run(first_chunk())
    with sqlite3.connect(book) as db:  # another connection: committed, though the call never ended
        assert db.execute("SELECT kind, wrong, right FROM mistakes").fetchall() == [("agreement", "don't", "doesn't")]


def test_the_report_types_each_error_with_errant_shows_the_trend_and_exports_csv(tmp_path: Path) -> None:
    import csv
    import io

    from talkshow.tutor.report_errors import CSV_COLUMNS, errors_by_type, report_csv

    book = tmp_path / "learners.sqlite3"
    lesson(book, "Ana", [("My house is more big than your house.", 3.0), ("I have three cat.", 2.0)])
    second = lesson(book, "Ana", [("She don't like coffee.", 2.0), ("=1+1 is two.", 2.0), ("I like tea.", 1.5)])
    with LearnerBook(book) as learners:
        report = learners.report(second.lesson.lesson_id)
    assert report is not None
    assert [t["lesson"] for t in report["trend"]] == [second.lesson.lesson_id - 1, second.lesson.lesson_id]
    assert report["trend"][0]["mistakes_per_100_words"] > report["trend"][1]["mistakes_per_100_words"] > 0
    typed = errors_by_type(report)
    assert typed["by_type"] == {"R:VERB:SVA": 1}, typed
    error = typed["errors"][0]
    assert (error["wrong"], error["right"], error["said"]) == ("do", "does", "She don't like coffee.")
    assert error["rule"], "the tutor's own explanation goes with the ERRANT type"
    rows = list(csv.reader(io.StringIO(report_csv({**report, **typed}))))
    assert tuple(rows[0]) == CSV_COLUMNS and len(rows) == 4, rows
    assert rows[1][3] == "R:VERB:SVA" and rows[2][1] == "'=1+1 is two.", "a learner's '=' is text, not a formula"
