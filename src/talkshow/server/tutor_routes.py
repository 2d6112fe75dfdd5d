"""The tutor on the page: the lesson in progress (each chunk and its audio), and each lesson's report."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Response

from talkshow.server.openapi_truth import NOT_FOUND
from talkshow.server.security import TokenGate, control_dependency
from talkshow.talk.desk import TalkDesk
from talkshow.talk.providers import reply_kind
from talkshow.tutor.learners import LearnerBook
from talkshow.tutor.reply import TutorReply
from talkshow.tutor.report_errors import errors_by_type, report_csv
from talkshow.tutor.settings import LEVELS, TutorSettings

__all__ = ["tutor_router"]


def tutor_router(desk: TalkDesk, gate: TokenGate, learners: Callable[[], str]) -> list[APIRouter]:
    """``/api/tutor/lesson`` and ``/api/lessons/ID``; ``learners()``: the learners' book's path ("" for none).
    A learner's words are control: off loopback, only with the token."""
    control = [Depends(control_dependency(gate))]
    tutor = APIRouter(prefix="/api/tutor", tags=["tutor"], dependencies=control)
    lessons = APIRouter(prefix="/api/lessons", tags=["tutor"], dependencies=control)

    @tutor.get("/lesson", responses=NOT_FOUND)
    def lesson(last: int = 20) -> dict[str, Any]:
        """The lesson on the line now, or the last one: its last ``last`` turns (1-200), each with what was heard,
        the sentence put right, and its chunks with their audio states."""
        call = desk.last_call
        replier = call.conversation.replier if call is not None else None
        if not isinstance(replier, TutorReply):
            raise HTTPException(404, "no lesson: this show's talk reply is not the tutor, or nobody has called yet")
        return {
            "lesson_id": replier.lesson.lesson_id or None,
            "on_air": call is desk.call,
            "level": replier.settings.level,
            "turns": replier.lesson.snapshot(max(1, min(last, 200))),
        }

    @tutor.get("", responses=NOT_FOUND)
    def about() -> dict[str, Any]:
        """The lesson page's choices on a tutor show: the levels, the default level, the topics, the learner's
        default name (404 on a show whose talk reply is not the tutor)."""
        if reply_kind(desk.settings, desk.air.config.writer) != "tutor":
            raise HTTPException(404, "this show's talk reply is not the tutor")
        settings = desk.air.config.section(TutorSettings)
        return {"levels": list(LEVELS), "level": settings.level, "topics": list(settings.topics),
                "learner": desk.settings.caller_name}  # fmt: skip

    @lessons.get("")
    def past_lessons(learner: Annotated[str, Query(min_length=1, max_length=40)]) -> dict[str, Any]:
        """``learner``'s past lessons, newest first (id, level, start, end, turns, mistakes)."""
        path = learners()
        if not path or not Path(path).is_file():
            return {"learner": learner, "lessons": []}
        with LearnerBook(path) as book:
            return {"learner": learner, "lessons": book.lessons(" ".join(learner.split()))}

    def _report(lesson_id: int) -> dict[str, Any]:
        path = learners()
        if not path or not Path(path).is_file():
            raise HTTPException(404, "this show keeps no learners' book (it has no [tutor] table)")
        with LearnerBook(path) as book:
            report = book.report(lesson_id)
        if report is None:
            raise HTTPException(404, f"no lesson {lesson_id}")
        return report

    @lessons.get("/{lesson_id}")
    def report(lesson_id: int) -> dict[str, Any]:
        """A lesson's report: mistakes by kind and by ERRANT type (each with the sentence, the correction and the
        rule), new words, what was taught, speaking time, words a minute, the turns, and the learner's trend."""
        found = _report(lesson_id)
        return {**found, **errors_by_type(found)}

    csv_body: dict[int | str, dict[str, Any]] = {
        200: {"content": {"text/csv": {"schema": {"type": "string"}}}, "description": "the errors as CSV"}
    }

    @lessons.get("/{lesson_id}/report.csv", response_class=Response, responses=csv_body)
    def report_as_csv(lesson_id: int) -> Response:
        """The lesson's errors as CSV for a teacher: turn, said, put right, ERRANT type, wrong, right, rule."""
        found = _report(lesson_id)
        body = report_csv({**found, **errors_by_type(found)})
        headers = {"Content-Disposition": f'attachment; filename="lesson-{lesson_id}.csv"'}
        return Response(body, media_type="text/csv; charset=utf-8", headers=headers)

    svg_body: dict[int | str, dict[str, Any]] = {
        200: {"content": {"image/svg+xml": {"schema": {"type": "string"}}}, "description": "the chart as SVG"}
    }

    @lessons.get("/{lesson_id}/chart.svg", response_class=Response, responses=svg_body)
    def chart(lesson_id: int) -> Response:
        """The lesson's chart: each turn's words (bars) and mistakes (red marks), as SVG."""
        from talkshow.tutor.report_chart import lesson_chart

        return Response(lesson_chart(_report(lesson_id)), media_type="image/svg+xml")

    return [tutor, lessons]
