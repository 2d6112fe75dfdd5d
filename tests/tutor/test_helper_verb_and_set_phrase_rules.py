"""The seventh round's rules (``tutor.helper_verb_rules`` and ``tutor.set_phrase_rules``): each error put right the
way a teacher would, and its correct look-alike left alone.

The sentences here are not in the learner set (whose halves score the checker): they check the rules' shapes.
"""

from __future__ import annotations

import pytest

from talkshow.tutor.checker import GrammarChecker

# times nothing: make test runs it beside the solo tier, on the CPU those two workers leave idle
pytestmark = pytest.mark.beside


@pytest.mark.parametrize(
    ("said", "right"),
    [
        ("The windows was open all night.", "The windows were open all night."),
        ("My aunt don't drive.", "My aunt doesn't drive."),
        ("Does your dog bites?", "Does your dog bite?"),
        ("They haven't decide yet.", "They haven't decided yet."),
        ("He didn't can sleep.", "He couldn't sleep."),
        ("Either of them work for me.", "Either of them works for me."),
        ("We used to living in Spain.", "We used to live in Spain."),
        ("I would rather to walk.", "I would rather walk."),
        ("The doctor suggested him to rest.", "The doctor suggested him rest."),
        ("If she was taller, she would play basketball.", "If she were taller, she would play basketball."),
        ("Nobody doesn't know him.", "Nobody knows him."),
        ("It was so a long film.", "It was such a long film."),
        ("Can I have an other cup?", "Can I have another cup?"),
        ("The reason of the delay is snow.", "The reason for the delay is snow."),
        ("The cat sleeps inside of the box.", "The cat sleeps inside the box."),
        ("She entered into the kitchen.", "She entered the kitchen."),
        ("They returned back at noon.", "They returned at noon."),
        ("See you at the Sunday.", "See you on Sunday."),
        ("It is a ten minutes walk.", "It is a ten-minute walk."),
        ("He worked like a waiter for a year.", "He worked as a waiter for a year."),
        ("The room is enough big.", "The room is big enough."),
        ("Each boxes has a label.", "Each box has a label."),
        ("Most of students like music.", "Most students like music."),
        ("My answer is the same like yours.", "My answer is the same as yours."),
        ("Me and my cousin played chess.", "My cousin and I played chess."),
        ("That car is their.", "That car is theirs."),
        ("There are so much noise here.", "There is so much noise here."),
        ("The bank was close yesterday.", "The bank was closed yesterday."),
        ("We ate three breads.", "We ate three loaves of bread."),
        ("He has a short hairs.", "He has short hair."),
        ("She's living in Oslo for two years.", "She has been living in Oslo for two years."),
        ("When he was boy, he had a dog.", "When he was a boy, he had a dog."),
    ],
)
def test_helper_verb_and_set_phrase_errors_are_put_right(checker: GrammarChecker, said: str, right: str) -> None:
    assert checker.check(said).corrected == right


@pytest.mark.parametrize(
    "said",
    [
        "The windows were open all night.",
        "My family are coming for dinner.",
        "The police are outside.",
        "The news was good.",
        "Does your dog bite?",
        "I haven't time for that.",
        "He couldn't sleep.",
        "Neither of them wants to come.",
        "I'm used to getting up early.",
        "She got used to driving on the left.",
        "I'd rather walk.",
        "If I was late, I'm sorry.",
        "Nobody came to the party.",
        "It was so good.",
        "The other day I saw him.",
        "She entered into an agreement with the bank.",
        "See you at the Sunday market.",
        "They walked for ten minutes.",
        "He looks like a teacher.",
        "We have enough money.",
        "Is it big enough?",
        "Every day is different.",
        "Most of them stayed.",
        "The shop is close to the station.",
        "It's her.",
        "There are a lot of people here.",
        "She has long hair.",
        "She's living in Oslo now.",
        "He likes mine better.",
    ],
)
def test_their_look_alikes_are_left_alone(checker: GrammarChecker, said: str) -> None:
    assert checker.check(said).corrected == said
