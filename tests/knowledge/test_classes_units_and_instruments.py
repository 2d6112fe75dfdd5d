"""Answers worked out from what the source says of a thing's class, its units or its use, on the real knowledge base:
legs by an animal's class, two units compared by size, what an instrument measures, a superlative the search would
otherwise miss, and a made-of question never answered with a thing made for something else."""

from __future__ import annotations

from talkshow.knowledge.counts import LEGS_SOURCE
from talkshow.knowledge.stage import KnowledgeStage


def _no_idea(stage: KnowledgeStage, asked: str) -> bool:
    """Whether ``asked`` is a question of a fact kind that the knowledge says it has no answer to."""
    answer = stage.answer(asked)
    return answer is not None and not answer.known


def test_legs_are_counted_by_the_animals_class_and_a_class_whose_members_differ_answers_nothing(
    stage: KnowledgeStage,
) -> None:
    cases = {
        "How many legs does a dog have?": ("four", "A dog is a mammal, and mammals have four legs"),
        "How many legs does a chicken have?": ("two", "A chicken is a bird, and birds have two legs"),
        "How many legs do penguins have?": ("two", "A penguin is a bird"),
        "How many legs does a frog have?": ("four", "Frogs have four legs"),
        "How many legs does a snake have?": ("none", "Snakes have no legs"),
        # A gloss that counts them still comes first: "predatory arachnid with eight legs".
        "How many legs does a spider have?": ("eight", "arachnid with eight legs"),
    }
    for asked, (word, fact) in cases.items():
        answer = stage.answer(asked)
        assert answer is not None and answer.answer == word and fact in answer.fact, (asked, answer)
        assert answer.source == ("WordNet" if word == "eight" else LEGS_SOURCE), answer  # the table is named
    for varies in ("How many legs does a monkey have?", "How many legs does a whale have?"):
        assert _no_idea(stage, varies), varies  # apes walk on two, whales have none: the class cannot say


def test_two_units_are_compared_by_how_many_of_one_the_other_holds(stage: KnowledgeStage) -> None:
    heavier = stage.answer("Which is heavier, a kilogram or a gram?")
    assert heavier is not None and heavier.answer == "kilogram" and "one thousand grams" in heavier.fact, heavier
    assert heavier.source == "units", heavier
    longer = stage.answer("Which is longer, a mile or a kilometre?")
    assert longer is not None and longer.answer == "mile" and "about 1.6 kilometres" in longer.fact, longer
    shorter = stage.answer("Which is shorter, an hour or a minute?")
    assert shorter is not None and shorter.answer == "minute", shorter
    asked_back = stage.answer("Is a gram heavier than a kilogram?")
    assert asked_back is not None and asked_back.answer == "no", asked_back
    assert _no_idea(stage, "Which is heavier, a kilogram or a mile?")  # a mass and a length: no answer
    assert _no_idea(stage, "Which is longer, a snake or a worm?")  # no unit, and no length word in a gloss


def test_what_an_instrument_measures_and_the_count_a_things_other_name_gives(stage: KnowledgeStage) -> None:
    cases = {
        "What does a thermometer measure?": "temperature",
        "What does a barometer measure?": "atmospheric pressure",
        "What do you measure with a ruler?": "lengths",
        "How many days are in a leap year?": "three hundred and sixty-six",  # "leap year; ...; 366 days"
        "How many days are in June?": "thirty",  # the calendar
        "How many corners does a square have?": "four",  # "four right angles"
        "How many players are on a basketball team?": "five",  # the game's gloss: "two opposing teams of 5 players"
        "How many wings does a bird have?": "two",  # the table, by class
        "What is one third of ninety?": "thirty",
        "Can penguins swim?": "yes",  # "wings modified as flippers"
    }
    for asked, word in cases.items():
        answer = stage.answer(asked)
        assert answer is not None and answer.answer == word, (asked, answer)
    assert _no_idea(stage, "What does a banana measure?")  # not an instrument: nothing said


def test_a_superlative_found_with_its_kind_and_a_made_of_question_not_answered_by_a_use(stage: KnowledgeStage) -> None:
    asia = stage.answer("What is the largest continent?")  # "largest" alone is in more glosses than one search holds
    assert asia is not None and asia.answer == "Asia", asia
    lake = stage.answer("What is the largest lake?")
    assert lake is not None and lake.fact.startswith("Lake Superior"), lake  # not "The Lake Superior"
    whale = stage.answer("What is the biggest animal?")  # the widest kind said still wins over "largest land animal"
    assert whale is not None and whale.answer == "blue whale", whale
    assert _no_idea(stage, "What do you call a house made of ice?")  # an icehouse is "a house for storing ice"
    grunt = stage.answer("What do pigs say?")  # "the short low gruff noise of the kind made by hogs"
    assert grunt is not None and grunt.answer == "grunt", grunt
    rose = stage.answer("What is a rose?")  # the shrub, not "a dusty pink color" nor the wine
    assert rose is not None and "shrub" in rose.fact, rose
