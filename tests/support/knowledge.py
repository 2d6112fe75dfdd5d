"""What the knowledge stage answers, checked to be an answer."""

from __future__ import annotations

from talkshow.knowledge.stage import KnowledgeStage


def known_answer(stage: KnowledgeStage, asked: str) -> tuple[str, str, str]:
    """(answer, fact, source) of ``asked``; fails the test if the stage has no answer."""
    answer = stage.answer(asked)
    assert answer is not None and answer.known, (asked, answer)
    return answer.answer, answer.fact, answer.source
