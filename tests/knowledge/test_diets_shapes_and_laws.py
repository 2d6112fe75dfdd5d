"""What an animal eats by its class where no gloss says (with the table named as the source), a shape named by
its number of sides, and who discovered a thing by "his law of" it, on the real knowledge base.

The questions here are not in the brain's question sets (whose halves score the stage): they check the shapes."""

from __future__ import annotations

from support.knowledge import known_answer
from talkshow.knowledge.animals import EATS_SOURCE
from talkshow.knowledge.stage import KnowledgeStage


def test_an_animal_eats_what_its_class_eats_where_no_gloss_says_and_the_table_is_named(stage: KnowledgeStage) -> None:
    assert known_answer(stage, "What does a sheep eat?") == (
        "grass and other plants", "A sheep is a bovid, and bovids eat grass and other plants", EATS_SOURCE)  # fmt: skip
    food, fact, source = known_answer(stage, "What do hares eat?")
    assert food == "grass and other plants" and "lagomorph" in fact and source == EATS_SOURCE, fact
    assert known_answer(stage, "What does a giraffe eat?")[0] == "plants"  # a ruminant that browses: not "grass"
    # A gloss that says it comes first: a horse is "herbivorous" in WordNet's own words.
    assert known_answer(stage, "What do horses eat?")[2] == "WordNet"
    # Classes whose members eat differently are not in the table: no answer, not a guess.
    for asked in ("What do rats eat?", "What do monkeys eat?"):
        unknown = stage.answer(asked)
        assert unknown is not None and not unknown.known, unknown


def test_a_shape_is_named_by_its_number_of_sides(stage: KnowledgeStage) -> None:
    name, fact, _ = known_answer(stage, "What do you call a shape with six sides?")
    assert name == "hexagon" and "six-sided polygon" in fact, fact
    assert known_answer(stage, "What is a shape with three sides called?")[0] == "triangle"
    # Only a noun of the asked kind: a bike with three wheels is no shape, and WordNet names none for it.
    unknown = stage.answer("What do you call a bike with three wheels?")
    assert unknown is not None and not unknown.known, unknown


def test_who_discovered_a_thing_is_who_has_his_law_of_it(stage: KnowledgeStage) -> None:
    name, fact, _ = known_answer(stage, "Who discovered gravitation?")
    assert name == "Isaac Newton" and "his law of gravitation" in fact, fact


def test_a_person_who_does_a_thing_is_the_one_whose_gloss_says_it(stage: KnowledgeStage) -> None:
    name, fact, _ = known_answer(stage, "What do you call someone who bakes cakes?")
    assert name == "baker" and "bakes bread or cake" in fact, fact
    # One step through the verb's own gloss: to fly a plane is to "operate an airplane", an aircraft.
    assert known_answer(stage, "What do you call a person who flies an airplane?")[0] == "pilot"
    # The verb and what it is done to, close together: "owns the car that he/she drives" is not driving a car.
    assert known_answer(stage, "What do you call a person who drives a car?")[0] != "owner-driver"


def test_one_who_cares_for_a_thing_practises_the_widest_field_about_it_and_is_the_role_asked(
    stage: KnowledgeStage,
) -> None:
    name, fact, _ = known_answer(stage, "What do you call someone who looks after teeth?")
    assert name == "dentist" and "practice dentistry" in fact, fact  # not the exodontist: his is a branch of dentistry
    # Zoology is about animals too, but a zoologist is no doctor: the vet is.
    assert known_answer(stage, "What do you call a doctor who treats animals?")[0] == "veterinarian"
    # A gloss that says "no" of the thing denies it (a vegan "eats no animal"), and a named person is not a name
    # for what they did (Galileo used a telescope "to study the stars").
    for asked in ("What do you call someone who eats animals?", "What do you call a person who studies the stars?"):
        unknown = stage.answer(asked)
        assert unknown is not None and not unknown.known, unknown


def test_a_young_animal_may_be_glossed_as_its_larva(stage: KnowledgeStage) -> None:
    assert known_answer(stage, "What is a baby toad called?")[0] == "tadpole"
    assert known_answer(stage, "What do you call a baby butterfly?")[0] == "caterpillar"


def test_whether_an_animal_has_a_thing_is_yes_where_a_gloss_names_it_and_never_a_no(stage: KnowledgeStage) -> None:
    yes, fact, _ = known_answer(stage, "Do cats have fur?")
    assert yes == "yes" and "thick soft fur" in fact, fact
    yes, fact, _ = known_answer(stage, "Do elephants have tusks?")  # said of their kind: "Elephants are proboscideans."
    assert yes == "yes" and fact.startswith("Yes. Elephants are proboscideans.") and "tusks" in fact, fact
    assert known_answer(stage, "Do sharks breathe through gills?")[0] == "yes"
    unknown = stage.answer("Do dogs have feathers?")  # no gloss says so, and none says not: no idea, not a no
    assert unknown is not None and not unknown.known, unknown


def test_a_first_is_the_one_person_whose_gloss_says_it_whole(stage: KnowledgeStage) -> None:
    name, fact, _ = known_answer(stage, "Who was the first woman in space?")
    assert name.endswith("Tereshkova") and "was a Soviet cosmonaut" in fact, fact
    assert known_answer(stage, "What is a shape with four equal sides called?")[0] == "square"
    # "the first president of" many countries: more than one person holds the words, so no one is picked.
    unknown = stage.answer("Who was the first president?")
    assert unknown is not None and not unknown.known, unknown


def test_what_we_use_to_do_a_thing_is_the_thing_glossed_for_doing_it(stage: KnowledgeStage) -> None:
    name, fact, _ = known_answer(stage, "What do people use to measure temperature?")
    assert name == "thermometer" and "for measuring temperature" in fact, fact
    assert known_answer(stage, "What do we use to boil water?")[0] == "teakettle"  # "kettle for boiling water"
    unknown = stage.answer("What do we use to dig holes?")  # no gloss says a tool is for digging holes
    assert unknown is not None and not unknown.known, unknown


def test_a_thing_a_gloss_names_as_missing_is_a_no(stage: KnowledgeStage) -> None:
    no, fact, _ = known_answer(stage, "Do jumping mice have cheek pouches?")  # "long hind legs and no cheek pouches"
    assert no == "no" and fact.startswith("No.") and "no cheek pouches" in fact, fact
