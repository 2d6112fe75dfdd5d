"""What an animal eats by its class where no gloss says (with the table named as the source), a shape named by
its number of sides, and who discovered a thing by "his law of" it, on the real knowledge base.

The questions here are not in the brain's question sets (whose halves score the stage): they check the shapes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from talkshow.knowledge.animals import EATS_SOURCE
from talkshow.knowledge.stage import KnowledgeStage, open_stage


@pytest.fixture(scope="module")
def stage() -> Iterator[KnowledgeStage]:
    with open_stage() as opened:
        yield opened


def _said(stage: KnowledgeStage, asked: str) -> tuple[str, str, str]:
    answer = stage.answer(asked)
    assert answer is not None and answer.known, (asked, answer)
    return answer.answer, answer.fact, answer.source


def test_an_animal_eats_what_its_class_eats_where_no_gloss_says_and_the_table_is_named(stage: KnowledgeStage) -> None:
    assert _said(stage, "What does a sheep eat?") == (
        "grass and other plants", "A sheep is a bovid, and bovids eat grass and other plants", EATS_SOURCE)  # fmt: skip
    food, fact, source = _said(stage, "What do hares eat?")
    assert food == "grass and other plants" and "lagomorph" in fact and source == EATS_SOURCE, fact
    assert _said(stage, "What does a giraffe eat?")[0] == "plants"  # a ruminant that browses: not "grass"
    # A gloss that says it comes first: a horse is "herbivorous" in WordNet's own words.
    assert _said(stage, "What do horses eat?")[2] == "WordNet"
    # Classes whose members eat differently are not in the table: no answer, not a guess.
    for asked in ("What do rats eat?", "What do monkeys eat?"):
        unknown = stage.answer(asked)
        assert unknown is not None and not unknown.known, unknown


def test_a_shape_is_named_by_its_number_of_sides(stage: KnowledgeStage) -> None:
    name, fact, _ = _said(stage, "What do you call a shape with six sides?")
    assert name == "hexagon" and "six-sided polygon" in fact, fact
    assert _said(stage, "What is a shape with three sides called?")[0] == "triangle"
    # Only a noun of the asked kind: a bike with three wheels is no shape, and WordNet names none for it.
    unknown = stage.answer("What do you call a bike with three wheels?")
    assert unknown is not None and not unknown.known, unknown


def test_who_discovered_a_thing_is_who_has_his_law_of_it(stage: KnowledgeStage) -> None:
    name, fact, _ = _said(stage, "Who discovered gravitation?")
    assert name == "Isaac Newton" and "his law of gravitation" in fact, fact
