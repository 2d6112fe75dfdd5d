"""Quiz questions answer what WordNet and the tables do not hold, only when a quiz asks the same thing, on the real
knowledge base (Red-DiscordBot's trivia lists, read at setup).

"Who painted the Sistine Chapel?" is a dev question, kept as the case it was; the others are not in the brain's
question sets."""

from __future__ import annotations

import pytest

from support.knowledge import known_answer
from talkshow.knowledge.quiz import asks_the_same, from_quiz
from talkshow.knowledge.stage import KnowledgeStage


def test_a_question_no_gloss_answers_is_answered_from_the_quiz_that_asks_it_said_back_as_a_sentence(
    stage: KnowledgeStage,
) -> None:
    # WordNet's Sistine Chapel is "the private chapel of the Pope in the Vatican": no painter
    name, fact, source = known_answer(stage, "Who painted the Sistine Chapel?")
    assert name == "Michelangelo", (name, fact)
    assert fact == "Michelangelo painted the ceiling of the Sistine Chapel" and source.startswith("the quiz lists")


def test_the_glosses_still_answer_first(stage: KnowledgeStage) -> None:
    _, fact, source = known_answer(stage, "How many legs does a spider have?")  # a quiz asks this too
    assert source == "WordNet" and "eight legs" in fact, (fact, source)


@pytest.mark.parametrize(
    ("heard", "quiz"),
    [
        ("What colour is blood?", "What colour is Spock's blood?"),  # a name narrows it
        ("What is the longest river?", "What is the longest river in the UK?"),
        ("Who wrote Macbeth?", "Who killed Macbeth?"),  # another question about the same thing
        ("Who painted the Sistine Chapel?", "What did Michelangelo paint in the Sistine Chapel?"),  # another asking
        ("Where is Paris?", "Which river flows through Paris?"),
        ("What is the capital?", "What is the capital of the state of New York?"),  # more than one word more
        ("How many hours are there?", "How many seconds are there in an hour?"),  # another thing counted
        ("What is the biggest city?", "What is the biggest city in the state?"),  # where it is asked narrows it
    ],
)
def test_a_quiz_that_asks_something_else_is_no_answer(heard: str, quiz: str) -> None:
    assert asks_the_same(heard, quiz) is None
    assert from_quiz([("general", quiz, ("wrong",))], heard) is None


def test_the_quiz_that_adds_fewest_words_answers_and_a_wider_word_adds_nothing() -> None:
    entries = [
        ("general", "What is the largest ocean on Earth?", ("Pacific",)),
        ("general", "What is the largest ocean?", ("The Pacific",)),
    ]
    answer, fact, _ = from_quiz(entries, "What's the largest ocean?") or ("", "", "")
    assert (answer, fact) == ("The Pacific", "The largest ocean is the Pacific"), fact
    assert asks_the_same("What is the largest ocean?", entries[0][1]) == 1


def test_the_knowledge_base_names_the_quiz_lists_licence(stage: KnowledgeStage) -> None:
    assert any("GPL-3.0" in licence and "trivia" in licence for licence in stage.base.licences.values())
