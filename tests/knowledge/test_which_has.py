"""Which thing of a kind has a part (the gloss must say the part, and must not deny it), and what a thing is, on the
real knowledge base.

The questions here are not in the brain's test half; the hammer and the hump are dev questions, kept as the cases
they were (the dev half is tuned on)."""

from __future__ import annotations

from support.knowledge import known_answer
from talkshow.knowledge.stage import KnowledgeStage


def test_a_thing_of_the_kind_is_found_by_its_own_gloss_when_the_gloss_does_not_name_the_kind(
    stage: KnowledgeStage,
) -> None:
    # "octopod: a cephalopod with eight arms": an animal four kinds up, and its gloss never says "animal"
    name, fact, _ = known_answer(stage, "Which animal has eight arms?")
    assert name == "octopod" and "eight arms" in fact, fact


def test_a_gloss_that_denies_the_part_is_no_answer(stage: KnowledgeStage) -> None:
    # "llama: ... related to camels but smaller and lacking a hump" was once the mammal with a hump
    answer = stage.answer("Which mammal has a hump?")
    assert answer is not None and "llama" not in answer.answer.lower(), answer


def test_a_part_asked_for_as_missing_must_be_said_missing(stage: KnowledgeStage) -> None:
    name, fact, _ = known_answer(stage, "Which mammal has no tail?")
    assert "no tail" in fact, (name, fact)


def test_what_a_thing_is_is_the_whole_thing_before_a_part_of_another(stage: KnowledgeStage) -> None:
    # WordNet's first hammer is "the part of a gun that strikes the percussion cap"; a caller means the tool
    _, fact, _ = known_answer(stage, "What is a hammer?")
    assert "hand tool" in fact and "gun" not in fact, fact


def test_a_gloss_that_starts_with_something_takes_no_article(stage: KnowledgeStage) -> None:
    # "blade: something long and thin resembling a blade of grass" was said "a something long and thin"
    _, fact, _ = known_answer(stage, "What is a blade?")
    assert "a something" not in fact and "something long and thin" in fact, fact
