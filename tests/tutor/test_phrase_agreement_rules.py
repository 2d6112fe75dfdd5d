"""The fifth round's rules (``tutor.phrase_agreement_rules`` and the tables they share): each error put right the
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
        ("One of my cousins work in a bank.", "One of my cousins works in a bank."),
        ("The students in my class is very kind.", "The students in my class are very kind."),
        ("When does your children go to bed?", "When do your children go to bed?"),
        ("There was lots of people at the station.", "There were lots of people at the station."),
        ("I would love visiting Peru.", "I would love to visit Peru."),
        ("You ought ask your teacher.", "You ought to ask your teacher."),
        ("My bag is heavier that yours.", "My bag is heavier than yours."),
        ("Has she ever went to Paris?", "Has she ever been to Paris?"),
        ("They were knowing the answer.", "They knew the answer."),
        ("They are friends for many years.", "They have been friends for many years."),
        ("Is important to sleep well.", "Is it important to sleep well."),
        ("They hungry now.", "They are hungry now."),
        ("We waited a hour for the bus.", "We waited an hour for the bus."),
        ("That was a really well book.", "That was a really good book."),
        ("She has always a smile for everyone.", "She always has a smile for everyone."),
        ("He is in love of the girl next door.", "He is in love with the girl next door."),
        ("We are going to cinema tonight.", "We are going to the cinema tonight."),
        ("They enjoyed at the beach.", "They enjoyed themselves at the beach."),
        ("The informations on this page are wrong.", "The information on this page is wrong."),
        (
            "I visited Berlin in two thousand and fifteen and I have loved it since.",
            "I visited Berlin in two thousand and fifteen and I have loved it since.",
        ),
        ("We have moved to Leeds in twenty nineteen.", "We have moved to Leeds in twenty nineteen."),
        (
            "They have opened a new shop in two thousand and eighteen.",
            "They opened a new shop in two thousand and eighteen.",
        ),
        ("Please wait us at the door.", "Please wait for us at the door."),
        ("My sister is good on drawing.", "My sister is good at drawing."),
        ("They made a huge effort.", "They made a huge effort."),
        ("He did a huge effort.", "He made a huge effort."),
    ],
)
def test_phrase_errors_are_put_right(checker: GrammarChecker, said: str, right: str) -> None:
    assert checker.check(said).corrected == right


@pytest.mark.parametrize(
    "said",
    [
        "One of the boxes is empty.",
        "The box of chocolates is on the table.",
        "Does your brother live here?",
        "There is a lot of traffic today.",
        "There is some bread in the kitchen.",
        "I would like to go swimming.",
        "She ought to know.",
        "He told me later that his car was broken.",
        "Have you ever been to Rome?",
        "I was reading when you called.",
        "We are here for two weeks.",
        "Is it possible to park here?",
        "They often walk to work.",
        "She waited an hour.",
        "The well water is clean.",
        "He has never seen snow.",
        "It was the love of his life.",
        "She went to school early.",
        "We enjoyed the party.",
        "I have lived here since two thousand and ten.",
        "In twenty fifty we will live on Mars.",
        "She stopped to buy some milk.",
    ],
)
def test_look_alikes_are_left_alone(checker: GrammarChecker, said: str) -> None:
    assert checker.check(said).corrected == said
