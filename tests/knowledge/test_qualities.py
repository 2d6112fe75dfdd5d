"""Whether a thing is hot, big or sweet, and which of a few things is the coldest, from the glosses themselves, on
the real knowledge base.

The questions here are not in the brain's question sets (whose halves score the stage): they check the shapes."""

from __future__ import annotations

from support.knowledge import known_answer
from talkshow.knowledge.stage import KnowledgeStage


def test_a_quality_is_yes_where_the_gloss_names_it_and_no_where_it_names_its_opposite(stage: KnowledgeStage) -> None:
    assert known_answer(stage, "Is honey sweet?")[:2] == ("yes", "Yes. Honey is a sweet yellow liquid produced by bees")
    answer, fact, _ = known_answer(stage, "Is a giraffe tall?")
    assert answer == "yes" and "tallest" in fact, fact  # "-est" says the quality too
    answer, fact, _ = known_answer(stage, "Is a mouse big?")
    assert answer == "no" and "small rodents" in fact and fact.startswith("No. A mouse"), fact  # big's opposite
    # The noun a quality makes says it: the sun is "the source of light and heat", so it is not cold.
    answer, fact, _ = known_answer(stage, "Is the sun cold?")
    assert answer == "no" and fact.startswith("No. The sun is the star") and "heat" in fact, fact


def test_a_quality_the_gloss_does_not_name_is_no_idea_never_a_guess(stage: KnowledgeStage) -> None:
    # A snake's "long" body is not tall (WordNet sets "long" beside "tall", which is not saying it); the earth's
    # gloss says nothing of its shape; soft water is "water that is not hard", and "not" denies what follows it.
    for asked in ("Is a snake tall?", "Is the earth flat?", "Is a cat wet?", "Is soft water hard?"):
        unknown = stage.answer(asked)
        assert unknown is not None and not unknown.known, unknown


def test_the_coldest_of_a_few_is_the_only_one_whose_gloss_says_cold(stage: KnowledgeStage) -> None:
    name, fact, _ = known_answer(stage, "Which continent is the coldest?")
    assert name == "Antarctica" and fact.startswith("Antarctica is an extremely cold continent"), fact
    # No continent's gloss says hot: no answer rather than one picked from seven.
    unknown = stage.answer("What is the hottest continent?")
    assert unknown is not None and not unknown.known, unknown
