"""Yes-or-no questions answered from what the other answerers find, on the real knowledge base: whether a thing
has so many legs (the count, with its source), whether a place is in a country or on a continent (and a no only
where both sides are countries or continents), whether an animal can do something its gloss names in other
words, where an animal lives by its gloss's word for a habitat, and a sum whose numbers have hyphens.

The questions here are not in the brain's question sets (whose halves score the stage): they check the shapes."""

from __future__ import annotations

from support.knowledge import known_answer
from talkshow.knowledge.counts import LEGS_SOURCE
from talkshow.knowledge.stage import KnowledgeStage


def test_a_count_asked_as_a_yes_or_no_is_answered_from_the_count_and_keeps_its_source(stage: KnowledgeStage) -> None:
    yes, fact, _ = known_answer(stage, "Does an octopus have eight arms?")
    assert yes == "yes" and fact.startswith("Yes.") and "eight long tentacles" in fact, fact
    no, fact, _ = known_answer(stage, "Does a spider have six legs?")
    assert no == "no" and "eight legs" in fact, fact
    assert known_answer(stage, "Do cats have legs?") == ("yes", "Yes. A cat is a mammal, and mammals have four legs",
                                                  LEGS_SOURCE)  # fmt: skip
    assert known_answer(stage, "Does a snake have legs?")[0] == "no"
    unknown = stage.answer("Do monkeys have two legs?")
    assert unknown is not None and not unknown.known, unknown  # the class cannot say: no answer, not a guess


def test_a_place_in_a_country_or_a_continent_is_yes_or_no_only_where_both_are_known(stage: KnowledgeStage) -> None:
    assert known_answer(stage, "Is Lima in Peru?")[0] == "yes"
    no, fact, _ = known_answer(stage, "Is Madrid in Italy?")
    assert no == "no" and "Spain" in fact, fact
    yes, fact, _ = known_answer(stage, "Is Berlin in Europe?")
    assert yes == "yes" and "Germany" in fact, fact
    assert known_answer(stage, "Is Kenya in Asia?")[:2] == ("no", "No, Kenya is in Africa")
    # the table does not split the Americas; the moon is no place in it; Paris the prince was "of Troy", not in it
    for cannot_say in ("Is Chile in North America?", "Is the moon in the sky?", "Is Paris in Troy?"):
        answer = stage.answer(cannot_say)
        assert answer is None or not answer.known, (cannot_say, answer)


def test_a_doing_the_gloss_names_in_other_words_and_a_habitat_word_are_answers(stage: KnowledgeStage) -> None:
    yes, fact, _ = known_answer(stage, "Can a kangaroo jump?")
    assert yes == "yes" and "leaping" in fact, fact  # jump's synonym in the gloss: "herbivorous leaping marsupials"
    can_not_say = stage.answer("Can a cow jump?")
    assert can_not_say is not None and not can_not_say.known, can_not_say
    assert known_answer(stage, "Where do squirrels live?")[0] == "trees"  # "arboreal"
    assert known_answer(stage, "Where do octopuses live?")[:2] == ("the sea", "Octopuses live in the sea")  # "marine"
    assert known_answer(stage, "Where do beavers live?")[:2] == ("water", "Beavers live in and near water")
    assert known_answer(stage, "What does a compass show?")[0] == "directions"


def test_a_number_with_a_hyphen_is_one_number_not_a_minus(stage: KnowledgeStage) -> None:
    assert known_answer(stage, "What is twenty-two plus ten?")[0] == "thirty-two"
    assert known_answer(stage, "What is fifty-five minus five?")[0] == "fifty"
