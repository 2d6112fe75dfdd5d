"""The brain's question set and its scorer: a right word, the right yes or no, and no credit for a pasted echo."""

from __future__ import annotations

from collections import Counter

from talkshow.bench.questions import Question, load_questions, score


def test_the_set_has_sixty_questions_or_more_of_every_kind_callers_ask() -> None:
    questions = load_questions()
    kinds = Counter(q.kind for q in questions.questions)
    assert len(questions.questions) >= 60 and set(kinds) == {"fact", "yes_no", "opinion", "self", "followup"}
    assert all(q.right for q in questions.questions)
    assert all(len(q.before) == 2 for q in questions.questions if q.kind == "followup")
    assert all(q.right[0] in ("yes", "no") for q in questions.questions if q.kind == "yes_no")


def test_an_answer_is_right_by_its_words_and_a_template_echo_never_is() -> None:
    bigger = Question("fact", "Which is bigger, an elephant or a mouse?", ("elephant",))
    assert score(bigger, "The elephant, obviously.") == "correct"
    assert score(bigger, "A mouse.") == "wrong"
    assert score(bigger, "Easy. When it comes to which is bigger an elephant or a mouse, I'm the expert.") == "wrong"
    pancakes = Question("followup", "What did I eat this morning?", ("pancake",))
    assert score(pancakes, "Pancakes, champ.") == "correct"  # a plural holds its word


def test_a_yes_or_no_is_judged_by_the_first_one_said() -> None:
    tomato = Question("yes_no", "Is a tomato a fruit?", ("yes",))
    assert score(tomato, "Yes, it is. Not a vegetable.") == "correct"
    assert score(tomato, "No, it isn't.") == "wrong"
    assert score(tomato, "I don't think so, but yes.") == "wrong"
    assert score(tomato, "Tomatoes are red.") == "wrong"
    assert score(tomato, "Yes. A tomato a fruit, and I'd bet the studio on it.") == "wrong"
    penguins = Question("yes_no", "Can penguins fly?", ("no",))
    assert score(penguins, "No, penguins cannot fly.") == "correct"
    for shrug in ("No idea, and I host a talk show.", "That one, I don't know.", "I'm not sure. No idea."):
        assert score(penguins, shrug) == "wrong", shrug  # a shrug is no "no"


def test_an_opinion_fits_in_its_own_words_but_a_shrug_or_silence_does_not() -> None:
    mondays = Question("opinion", "How do you feel about Mondays?", ("monday",))
    assert score(mondays, "Mondays? Top notch.") == "correct"
    assert score(mondays, "Love them. The week is mine to win.") == "in_character"
    assert score(mondays, "I'm not sure.") == "wrong"
    assert score(mondays, "") == "wrong"
    assert score(mondays, "As an AI language model, I have no feelings.") == "wrong"
