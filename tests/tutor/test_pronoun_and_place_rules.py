"""The eighth round's rules (``tutor.pronoun_and_place_rules`` and what it mended elsewhere): each error put right
the way a teacher would, and its correct look-alike left alone.

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
        ("We have a dog, it name is Rex.", "We have a dog, its name is Rex."),
        ("Their garden is smaller than our.", "Their garden is smaller than ours."),
        ("We hurt us on the stairs.", "We hurt ourselves on the stairs."),
        ("They seen the show twice.", "They saw the show twice."),
        ("There were a dog in the car.", "There was a dog in the car."),
        ("He was best player in the team.", "He was the best player in the team."),
        ("It is a really good songs.", "It is a really good song."),
        ("She talked to me in the phone.", "She talked to me on the phone."),
        ("What did you do in the weekend?", "What did you do at the weekend?"),
        ("They live at Madrid.", "They live in Madrid."),
        ("We walked at the park after lunch.", "We walked to the park after lunch."),
        ("We saw them in the last summer.", "We saw them last summer."),
        ("Today was snowing all morning.", "Today it was snowing all morning."),
        ("How do you call that in French?", "What do you call that in French?"),
        ("She sings good.", "She sings well."),
        ("He speaks English good now.", "He speaks English well now."),
        ("They drinked all the juice.", "They drank all the juice."),
        ("She usually forget her umbrella.", "She usually forgets her umbrella."),
        ("She is knowing him for ten years.", "She has known him for ten years."),
        ("My aunt has forty-one years.", "My aunt is forty-one years old."),
    ],
)
def test_each_error_is_put_right(checker: GrammarChecker, said: str, right: str) -> None:
    assert checker.check(said).corrected == right


@pytest.mark.parametrize(
    "said",
    [
        "The battery in the phone is dead.",
        "I was in the phone shop.",
        "She lives at home.",
        "They came at night.",
        "She is best at maths.",
        "It is best to wait.",
        "There are a few apples left.",
        "Have you seen him?",
        "Has she gone home?",
        "I think he knows.",
        "He plays good football.",
        "She feels good today.",
        "How do you call a taxi here?",
        "Yesterday was sunny.",
        "Your house is bigger than our house.",
        "This is a friend of mine.",
        "I saw you today.",
        "Did you see them yesterday?",
        "Did your sister call you yesterday?",
        "He always has lunch at one.",
        "We saw a lot of films.",
        "She wears glasses.",
        "I will call you again tomorrow.",
        "She cut the cake into two equal pieces.",  # 'equal' describes the pieces: no "two equals"
    ],
)
def test_their_look_alikes_are_left_alone(checker: GrammarChecker, said: str) -> None:
    assert checker.check(said).corrected == said
