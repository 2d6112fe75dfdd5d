"""Names and kinds said in correct English, on the real knowledge base: a breed takes an article, a sea, a river, a
desert or a range takes "the", and a range is many. None of these questions is in the brain's dev or test half."""

from __future__ import annotations

import pytest

from talkshow.knowledge.stage import KnowledgeStage


@pytest.mark.parametrize(
    ("asked", "said"),
    [
        ("What is a Great Dane?", "A Great Dane is a very large powerful smooth-coated breed of dog"),
        ("Is a Great Dane a dog?", "Yes, a Great Dane is a dog"),
        ("What is a Granny Smith?", "A Granny Smith is an apple with a green skin"),
        ("What is the Pacific Ocean?", "The Pacific Ocean is the largest ocean in the world"),
        ("What is the Nile?", "The Nile is the world's longest river"),
        ("What are the Alps?", "The Alps are a large mountain system"),
        ("What is the United States?", "The United States is "),  # "the" for "the States"; one country
        ("What are the Bahamas?", "The Bahamas is an island country"),
        ("Is the Nile a river?", "Yes, the Nile is a river"),
        ("What is Lake Superior?", "Lake Superior is the largest freshwater lake"),
        ("What is Rome?", "Rome is the capital and largest city of Italy"),
        ("What is the moon?", "The moon is the natural satellite of the Earth"),
    ],
)
def test_a_name_takes_the_article_english_gives_it(stage: KnowledgeStage, asked: str, said: str) -> None:
    answer = stage.answer(asked)
    assert answer is not None and answer.known and answer.fact.startswith(said), answer
