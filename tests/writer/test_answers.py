"""The offline writers understand a little: the reply answers what was asked, and topics stay whole words."""

from __future__ import annotations

import asyncio
import re

import pytest

from talkshow.config import default_cast, show_from_topic
from talkshow.core.kinds.writer import ReplyRequest, WriteRequest
from talkshow.writer.answers import Heard, understand
from talkshow.writer.improv import ImprovWriter, topic_subject
from talkshow.writer.reply import ImprovReply

TOPIC = "is a hot dog a sandwich"
DUKE, WENDELL = default_cast()


def _reply(heard: str, character: object = DUKE, topic: str = TOPIC) -> list[str]:
    async def run() -> list[str]:
        request = ReplyRequest(character, topic, heard)  # type: ignore[arg-type]
        return [sentence async for sentence in ImprovReply().reply(request)]

    return asyncio.run(run())


@pytest.mark.parametrize("question", ["What is your name?", "who are you", "Sorry, who am I talking to?"])
def test_asked_its_name_each_character_says_its_own(question: str) -> None:
    assert "Duke" in _reply(question)[0]
    assert "Wendell" in _reply(question, WENDELL)[0]


@pytest.mark.parametrize(
    "question", ["What is the show about?", "what are we talking about tonight", "what's the topic"]
)
def test_asked_what_the_show_is_about_it_names_the_topic(question: str) -> None:
    assert TOPIC in _reply(question)[0]
    assert "the moon" in _reply(question, WENDELL, "the moon")[0]


@pytest.mark.parametrize(
    ("heard", "kind", "about"),
    [
        ("do you like my hat", "opinion", "your hat"),
        ("what do you think about the moon", "opinion", "the moon"),
        ("Is the moon made of cheese?", "yes_no", "the moon made of cheese"),
        ("do you think cats are better than dogs", "yes_no", "cats are better than dogs"),
        ("Why is the sky blue?", "why_how", "why is the sky blue"),
        ("I was wondering whether pineapple belongs on pizza", "why_how", "pineapple belongs on pizza"),
        ("can you explain how a rocket gets to space", "why_how", "a rocket gets to space"),
        ("I think robots are funny", "statement", "robots are funny"),
        ("I just bought a boat", "statement", "you just bought a boat"),
        ("Wait, hold on a second. Is the car really in the room?", "yes_no", "the car really in the room"),
        ("I love the show. Why is the sky blue?", "why_how", "why is the sky blue"),
        ("Okay. So. I think cats are great.", "statement", "cats are great"),
        ("Wait, hold on. I just bought a boat. Really.", "statement", "you just bought a boat"),
        ("Tell me your favourite sandwich.", "why_how", "my favourite sandwich"),
        ("hello", "greeting", ""),
        ("how are you doing", "how_are_you", ""),
        ("", "nothing", ""),
        ("  ...  ", "nothing", ""),
    ],
)
def test_it_finds_what_kind_of_thing_was_said_and_what_about(heard: str, kind: str, about: str) -> None:
    assert understand(heard) == Heard(kind, about)


def test_the_first_sentence_answers_with_the_callers_words_turned_round() -> None:
    first = _reply("do you like my hat")[0]
    assert first.startswith("Your hat?"), first
    assert "moon made of cheese" in _reply("is the moon made of cheese")[0]
    missed = _reply("")
    assert (len(missed) == 1 and "missed" in missed[0].lower()) or "catch" in missed[0].lower(), missed


def test_answers_are_short_varied_and_in_character() -> None:
    questions = ["do you like my hat", "is the moon made of cheese", "why is the sky blue", "I just bought a boat"]
    duke = [_reply(q) for q in questions]
    wendell = [_reply(q, WENDELL) for q in questions]
    assert all(1 <= len(r) <= 3 and all(len(s) < 140 for s in r) for r in duke + wendell)
    assert duke != wendell, "the two temperaments answer differently"
    firsts = {r[0] for r in duke} | {_reply("do you like my hat", DUKE, "moons")[0]}
    assert len(firsts) >= 4
    assert _reply("do you like my hat") == _reply("do you like my hat"), "the same words, the same answer"


TOPICS = [
    "is a hot dog a sandwich", "why there's a lambo in the room", "pineapple on pizza", "should we colonize mars",
    "the best pizza topping", "why my cat ignores me", "is cereal a soup", "a robot vacuum with feelings",
    "the great ice cream debate", "who invented the hot tub", "is water wet", "space elevators",
]  # fmt: skip


@pytest.mark.parametrize("topic", TOPICS)
def test_a_topics_subject_is_whole_words_never_half_a_compound(topic: str) -> None:
    subject = topic_subject(topic).removeprefix("the ")
    words = re.findall(r"[A-Za-z0-9'-]+", topic.lower())
    run = subject.lower().split()
    starts = [i for i in range(len(words)) if words[i : i + len(run)] == run]
    assert starts, f"{subject!r} is not a run of the topic's words"
    after = starts[0] + len(run)
    stop = {"a", "an", "the", "in", "on", "of", "is", "with", "my", "me"}
    assert after == len(words) or words[after] in stop or len(run) == 4, f"{subject!r} cuts {topic!r} mid-phrase"


def test_the_show_writer_says_the_whole_subject_over_many_topics() -> None:
    async def lines(topic: str) -> list[str]:
        request = WriteRequest(topic=topic, cast=show_from_topic(topic).cast, turns=8, seed=3)
        return [line.text async for line in ImprovWriter().lines(request)]

    for topic in TOPICS:
        written = asyncio.run(lines(topic))
        assert not [text for text in written if "{" in text or "  " in text], written
    assert any("hot dog" in text for text in asyncio.run(lines("is a hot dog a sandwich")))
    assert not any(re.search(r"\bthe hot\b(?! dog)", text) for text in asyncio.run(lines("is a hot dog a sandwich")))


@pytest.mark.parametrize(
    ("question", "said_back", "short"),
    [
        ("Are you ever wrong?", "Am I ever wrong?", ("I am", "I'm not")),
        ("Do you ever get nervous?", "Do I ever get nervous?", ("I do", "I don't")),
        ("Is the moon made of cheese?", "Is the moon made of cheese?", ("it is", "it isn't")),
        ("Are the stars hot?", "Are the stars hot?", ("they are", "they aren't")),
        ("Have you ever been to Paris?", "Have I ever been to Paris?", ("I have", "I haven't")),
    ],
)
def test_a_yes_or_no_question_is_said_back_turned_round_with_english_s_short_answer(
    question: str, said_back: str, short: tuple[str, ...]
) -> None:
    """The rules once pasted the question into a statement: "Yes. I ever wrong, and I'd bet the studio on it."."""
    for character in (DUKE, WENDELL):
        first = _reply(question, character)[0]
        assert first.startswith(said_back), first
        if character is DUKE:  # the confident one says it outright; the anxious one may only fret
            assert any(f", {s}." in first for s in short), first


def test_pronouns_turn_round_with_their_verbs_and_names_keep_their_capitals() -> None:
    assert understand("Where are you right now, honestly?").asked == "where am I right now honestly"
    assert understand("I was in London with my sister").about == "you were in London with your sister"
    assert understand("do you think I like you").about == "you like me"


def test_what_the_rules_cannot_know_they_say_they_do_not_know() -> None:
    """An answer is a fact from a source or an honest "no idea": never "Simple: confidence." to a question."""
    for character in (DUKE, WENDELL):
        first = _reply("What do cows drink?", character)[0].lower()
        assert "cows drink?" in first and re.search(r"\b(don't know|no idea|wish i knew)\b", first), first


def test_an_either_or_question_gets_one_of_its_options_and_the_topic_itself_gets_the_topic() -> None:
    first = _reply("Is it better to rent or to buy a car?")[0]
    assert first.startswith(("To rent", "To buy a car")) and "yes" not in first.lower(), first
    assert (
        _reply("Do you prefer tea or coffee?", WENDELL)[0]
        .lower()
        .startswith(("um, tea", "um, coffee", "tea", "coffee"))
    )
    lambo = "why there's a lambo in the room"
    assert lambo in _reply("Why is there a lambo in the room?", DUKE, lambo)[0]
    assert "studio" in _reply("Where are you right now?")[0] and "host" in _reply("What do you do for a living?")[0]


def test_asked_about_a_fault_the_confident_one_denies_it_and_the_anxious_one_owns_it() -> None:
    for question, no in (
        ("Are you ever wrong?", "No, I'm not."),
        ("Would you ever sell the lambo?", "No, I wouldn't."),
    ):
        assert no in _reply(question)[0], _reply(question)
        assert "yes" in _reply(question, WENDELL)[0].lower(), _reply(question, WENDELL)
