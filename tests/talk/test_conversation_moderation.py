"""Moderation in a caller's conversation, on a real (not started) live engine of its own.

Its own engine: these replies push parts that nothing airs (the engine is not started), and
a shared engine's pushed-line queue would hold up the next module's replies.
"""

from __future__ import annotations

import time
from collections.abc import AsyncGenerator, Iterator

import pytest

from support.small_shows import small_config, with_espeak_voices
from talkshow.core.kinds.writer import ReplyRequest
from talkshow.live.engine import LiveEngine
from talkshow.live.settings import LiveSettings
from talkshow.station.engine import build_engine
from talkshow.talk.conversation import Conversation
from talkshow.talk.settings import TalkSettings
from talkshow.telemetry.events import Telemetry


@pytest.fixture
def engine(tmp_path: object) -> Iterator[LiveEngine]:
    from pathlib import Path

    tmp = Path(str(tmp_path))
    with build_engine(
        with_espeak_voices(small_config(tmp)), LiveSettings(hls_dir=tmp / "hls", topics=()), Telemetry()
    ) as built:
        yield built


def test_a_callers_hostile_words_are_never_shown_or_answered_and_a_deflection_airs(engine: LiveEngine) -> None:
    from talkshow.writer.answers import DEFLECTIONS

    class Echo:  # a writer that would repeat the caller: the worst case for held words
        name = "echo"

        def __init__(self) -> None:
            self.asked: list[str] = []

        async def reply(self, request: ReplyRequest) -> AsyncGenerator[str, None]:
            self.asked.append(request.heard)
            yield f"You said {request.heard}"

    captions: list[str] = []
    shown = engine.on_air.show_guest_caption
    engine.on_air.show_guest_caption = lambda name, text: captions.append(text)  # type: ignore[method-assign]
    writer = Echo()
    try:
        with Conversation(engine.on_air, TalkSettings(), writer) as conversation:
            for n, heard in enumerate(("you are a worthless piece of shit", "what a lovely lambo"), 1):
                reply = conversation.ask(n, heard, {})
                deadline = time.monotonic() + 20
                while not reply.written:
                    assert time.monotonic() < deadline
                    time.sleep(0.02)
                if n == 1:
                    held = reply
    finally:
        engine.on_air.show_guest_caption = shown  # type: ignore[method-assign]
    assert held.text in DEFLECTIONS and held.heard_allowed is False and held.stamps["held"] == 1.0
    assert writer.asked == ["what a lovely lambo"], "held words never reach the writer"
    assert captions == ["what a lovely lambo"], "held words never go on screen"
    assert "worthless" not in " ".join(e.text for e in conversation.history)


def test_a_reply_sentence_moderation_holds_is_taken_back_with_no_word_against_the_caller(engine: LiveEngine) -> None:
    from talkshow.writer.answers import DEFLECTIONS, RETRACTIONS

    class Rude:
        name = "rude"

        async def reply(self, request: ReplyRequest) -> AsyncGenerator[str, None]:
            yield "Great question."
            yield "Shut the fuck up."
            yield "Anyway, lambos."

    with Conversation(engine.on_air, TalkSettings(), Rude()) as conversation:
        reply = conversation.ask(1, "tell me about lambos", {})
        deadline = time.monotonic() + 20
        while not reply.written:
            assert time.monotonic() < deadline
            time.sleep(0.02)
    taken_back = reply.text.removeprefix("Great question. ")
    assert reply.text.startswith("Great question. ") and taken_back in RETRACTIONS, reply.text
    assert taken_back not in DEFLECTIONS  # the reply's own words were held: the caller is not told off


def test_words_moderation_is_unsure_of_get_a_request_to_say_them_again_never_a_telling_off(
    engine: LiveEngine,
) -> None:
    """The seed that failed CI (684276): a caller's misheard words, held as harm by the check by meaning."""
    from talkshow.core.kinds.hearing import HeardWord, Transcript
    from talkshow.writer.answers import DEFLECTIONS, SAY_AGAIN

    class Echo:
        name = "echo"

        def __init__(self) -> None:
            self.asked: list[str] = []

        async def reply(self, request: ReplyRequest) -> AsyncGenerator[str, None]:
            self.asked.append(request.heard)
            yield "Sure thing."

    misheard = "water out to the rim bokeh."
    writer = Echo()
    replies = []
    with Conversation(engine.on_air, TalkSettings(), writer) as conversation:
        for n, sure in enumerate((0.9, 0.3), 1):  # heard clearly (but it means nothing), then heard unsure
            words = tuple(HeardWord(word, sure) for word in misheard.split())
            reply = conversation.ask(n, misheard, {}, ears=Transcript(misheard, "whisper", 0.0, words))
            deadline = time.monotonic() + 20
            while not reply.written:
                assert time.monotonic() < deadline
                time.sleep(0.02)
            replies.append(reply)
    asked_again, answered = replies
    assert asked_again.text in SAY_AGAIN and asked_again.text not in DEFLECTIONS, asked_again.text
    assert asked_again.stamps["asked_again"] == 1.0 and asked_again.heard_allowed is False
    assert answered.text == "Sure thing." and writer.asked == [misheard], "unsure ears: the words are answered"
