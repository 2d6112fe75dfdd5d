"""A tutor's reply as typed chunks, parsed as the JSON streams in; anything malformed is named."""

from __future__ import annotations

import json

import pytest

from talkshow.tutor.chunks import CHUNKS_SCHEMA, Chunk, ChunkStream, TutorReplyError

REPLY = {
    "chunks": [
        {"type": "say", "text": "Oh, you went to the market yesterday!"},
        {"type": "correction", "text": "We say went, not go.", "wrong": "go", "right": "went", "why": "past"},
        {"type": "follow_up", "text": "What did you buy?"},
    ]
}


def test_each_chunk_comes_out_the_moment_its_object_is_complete() -> None:
    text = json.dumps(REPLY)
    stream, seen = ChunkStream(), []
    first_at = -1
    for i in range(0, len(text), 5):
        got = stream.feed(text[i : i + 5])
        if got and first_at < 0:
            first_at = i
        seen += got
    stream.finish()
    assert [c.kind for c in seen] == ["say", "correction", "follow_up"]
    assert seen[1] == Chunk("correction", "We say went, not go.", "go", "went", "past")
    assert first_at < len(text) // 2, "the first chunk is ready long before the reply ends"


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        ('{"chunks": [{"type": "shout", "text": "hi"}]}', "chunk 0 has type 'shout'"),
        ('{"chunks": [{"type": "correction", "text": "no", "wrong": "go"}]}', "correction without both"),
        ('{"chunks": [{"type": "say", "text": ""}]}', "has no text to say"),
        ('{"chunks": [{"type": "say", "text": 5}]}', "text is int"),
        ('{"chunks": ["hello"]}', "chunk list holds"),
        ('{"chunks": [{"type": "say", "text": "' + "x" * 400 + '"}]}', "limit 300"),
    ],
)
def test_a_malformed_chunk_is_named(reply: str, message: str) -> None:
    with pytest.raises(TutorReplyError, match=message):
        ChunkStream().feed(reply)


@pytest.mark.parametrize(
    ("reply", "message"),
    [("Sure! Here is my answer.", "not JSON"), ('{"chunks": []}', "no chunks"), ('{"text": "hi"}', "list of")],
)
def test_a_reply_that_is_not_the_chunks_asked_for_is_named_at_its_end(reply: str, message: str) -> None:
    stream = ChunkStream()
    stream.feed(reply)
    with pytest.raises(TutorReplyError, match=message):
        stream.finish()


def test_the_schema_asks_for_the_three_kinds_and_requires_text() -> None:
    item = CHUNKS_SCHEMA["properties"]["chunks"]["items"]
    assert item["properties"]["type"]["enum"] == ["say", "correction", "follow_up"]
    assert item["required"] == ["type", "text"]


def test_a_reply_is_at_most_three_chunks_heard_sure_or_unsure() -> None:
    import random

    from talkshow.core.kinds.hearing import HeardWord
    from talkshow.tutor.checker import GrammarChecker
    from talkshow.tutor.compose import compose_reply
    from talkshow.tutor.errant_score import learner_set

    checker, counts = GrammarChecker(), set()
    for pair in learner_set("dev"):
        for confidence in (0.9, 0.3):  # heard sure; heard unsure, every word
            heard = [HeardWord(word, confidence) for word in pair.text.split()]
            chunks = compose_reply(checker.check(pair.text, heard), "B1", set(), random.Random(1))
            assert 1 <= len(chunks) <= 3 and chunks[-1].kind == "follow_up", (pair.text, chunks)
            assert sum(c.kind == "correction" for c in chunks) <= 1
            counts.add(len(chunks))
    assert counts == {2, 3}


def test_a_chunk_stopped_by_a_backchannel_and_resumed_still_ends_played() -> None:
    from talkshow.tutor.chunks import Chunk
    from talkshow.tutor.lesson import Lesson

    lesson = Lesson()
    said = [Chunk("say", "Ah! There are many people in your city!"), Chunk("follow_up", "Why do you like it?")]
    turn = lesson.begin_turn("There is many people in my city.", "There are many people in my city.", said, "tutor")
    lesson.voicing(turn, 0)
    lesson.part_voiced(said[0].text, 11, 2.0)
    lesson.voicing(turn, 1)
    lesson.part_voiced(said[1].text, 12, 1.0)
    lesson.done_voicing(turn)
    lesson.part_aired(11, True)  # on air; the learner says "mm-hm": stopped, then resumed from the word
    lesson.part_voiced("many people in your city!", 13, 1.2)
    lesson.part_aired(13, True)
    lesson.part_aired(13, False)
    lesson.part_aired(12, True)
    lesson.part_aired(12, False)
    assert [c["state"] for c in lesson.snapshot()[-1]["chunks"]] == ["played", "played"]


def test_a_learner_talking_over_a_chunk_lets_its_sentence_end_played_and_cuts_the_rest() -> None:
    from talkshow.tutor.chunks import Chunk
    from talkshow.tutor.lesson import Lesson

    lesson = Lesson()
    said = [
        Chunk("say", "Oh, you went to the market!"),
        Chunk("correction", "We say went. Go is for now.", "go", "went"),
        Chunk("follow_up", "What did you buy?"),
    ]
    turn = lesson.begin_turn("I go to the market.", "I went to the market.", said, "tutor")
    lesson.voicing(turn, 0)
    lesson.part_voiced(said[0].text, 21, 2.0, "Oh, you went to the market!")
    lesson.voicing(turn, 1)
    lesson.part_voiced(said[1].text, 22, 1.0, "We say went.")  # its second sentence is still being voiced
    lesson.part_aired(21, True)
    lesson.cut(finishing=True)  # the learner speaks: the sentence on air ends, nothing after it airs
    lesson.part_aired(21, False)
    assert [c["state"] for c in lesson.snapshot()[-1]["chunks"]] == ["played", "cut", "cut"]

    second = lesson.begin_turn("Yes.", "Yes.", said[1:2], "tutor")
    lesson.voicing(second, 0)
    lesson.part_voiced(said[1].text, 31, 1.0, "We say went.")
    lesson.part_aired(31, True)
    lesson.cut(finishing=True)  # on air, but the chunk's second sentence never will be
    lesson.part_aired(31, False)
    assert [c["state"] for c in lesson.snapshot()[-1]["chunks"]] == ["cut"], "half a chunk is not played"

    third = lesson.begin_turn("I go.", "I went.", said[:2], "tutor")
    lesson.voicing(third, 0)
    lesson.voicing(third, 1)  # voiced while the learner paused: its parts are told once their turn ends
    lesson.part_voiced(said[0].text, 41, 2.0, said[0].text)
    lesson.part_aired(41, True)
    lesson.cut(finishing=True)
    lesson.part_aired(41, False)
    assert [c["state"] for c in lesson.snapshot()[-1]["chunks"]] == ["played", "cut"]
    assert lesson.snapshot()[-1]["chunks"][0]["seconds"] == 2.0, "a part told late still counts its audio"
