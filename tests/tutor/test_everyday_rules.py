"""The fourth round's rules (``tutor.everyday_rules`` and the tables they share): each error put right the way a
teacher would, and its correct look-alike left alone.

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
        ("Where your brother works?", "Where does your brother work?"),
        ("What you think?", "What do you think?"),
        ("How much it costs?", "How much does it cost?"),
        ("He is having two sisters.", "He has two sisters."),
        ("Every child need a hug.", "Every child needs a hug."),
        ("This is biggest problem.", "This is the biggest problem."),
        ("The girl which lives next door is nice.", "The girl who lives next door is nice."),
        ("He knows very well the answer.", "He knows the answer very well."),
        ("There has a park near my house.", "There is a park near my house."),
        ("There had a lot of people.", "There were a lot of people."),
        ("Physics are hard.", "Physics is hard."),
        ("We watched it in television.", "We watched it on television."),
        ("I listen the news every morning.", "I listen to the news every morning."),
        ("She made me a favour.", "She did me a favour."),
        ("The students were boring in the long meeting.", "The students were bored in the long meeting."),
        ("I look forward to meet them.", "I look forward to meeting them."),
    ],
)
def test_everyday_errors_are_put_right(checker: GrammarChecker, said: str, right: str) -> None:
    assert checker.check(said).corrected == right


@pytest.mark.parametrize(
    "text",
    [
        "Which is the longest snake?",  # the verb is in its place already
        "Which bus goes to the centre?",  # a question about the subject takes no 'does'
        "What you need is a rest.",  # not a question
        "She is best at maths.",  # 'good' compared, not the verb 'to best'
        "I am better at tennis.",
        "He is most likely to win.",
        "She is having a baby.",  # 'have' that is done, not owned
        "We are having two guests tonight.",
        "Each of them has a book.",
        "Every day I walk to work.",
        "Should every town have a zoo?",  # a question: 'should' takes the plain verb
        "Let every child choose a book.",
        "The box which is on the table is mine.",
        "She did very well yesterday.",
        "There has been an accident.",  # 'have' as a helper
        "There have been many changes.",
        "Listen, my friend, this is good.",  # a pause, not 'listen to'
        "They made a lot of progress.",
        "The film was boring and the children were bored.",
    ],
)
def test_look_alikes_of_everyday_errors_are_left_alone(checker: GrammarChecker, text: str) -> None:
    assert checker.check(text).corrected == text
