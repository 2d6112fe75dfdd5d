"""Talk mode's parts on real audio: the ears thread, STT in a child process, the reply writers, the cut."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path
from typing import cast

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from support.chat_server import Script, ScriptedChat
from support.small_shows import kill_child
from support.spoken import SPEAKERS, noisy, span, utterance
from talkshow.audio import resample
from talkshow.config import show_from_topic
from talkshow.core.errors import ShowFileError, WriterError
from talkshow.core.kinds.hearing import TranscriptionError
from talkshow.core.kinds.writer import CALLER, Exchange, ReplyRequest
from talkshow.core.turn import PreparedTurn
from talkshow.ears.listener import EARS_RATE, EarsEvent, Listener
from talkshow.ears.pocketsphinx_stt import PocketsphinxSTT
from talkshow.ears.process_stt import ProcessSTT
from talkshow.ears.silero import SileroVad
from talkshow.ears.turn_end import TurnSettings
from talkshow.live.frames import FrameQueue, QueuedFrame
from talkshow.openai_api import Endpoint
from talkshow.sentences import SentenceSplitter, split_sentences
from talkshow.show_check import load_show
from talkshow.talk.settings import TalkSettings
from talkshow.telemetry.events import Telemetry
from talkshow.writer.reply import OpenAIReply

QUESTION = "what do you think about the moon"
READINGS_PATIENCE_S = 5.0  # how long a readings request may wait; the child answers in milliseconds


def _collect(replier: object, request: ReplyRequest) -> list[tuple[float, str]]:
    async def run() -> list[tuple[float, str]]:
        return [(time.perf_counter(), s) async for s in replier.reply(request)]  # type: ignore[attr-defined]

    return asyncio.run(run())


def _request(heard: str = QUESTION) -> ReplyRequest:
    config = show_from_topic("why there's a lambo in the room")
    history = (Exchange(CALLER, "hello there"), Exchange(config.cast[0].id, "Welcome to the show!"))
    return ReplyRequest(config.cast[0], config.topic, heard, history)


def test_the_listener_hears_two_turns_with_their_times_and_text_from_48k_audio() -> None:
    quiet = np.zeros(EARS_RATE, np.int16)
    first, second = utterance("hello can you hear me", SPEAKERS[0]), utterance(QUESTION, SPEAKERS[1])
    audio16 = noisy([quiet, first, quiet, second, quiet], 20.0)
    audio48 = resample(audio16, EARS_RATE, 48_000)
    truth = [(len(quiet), len(quiet) + span(first)[1]), (2 * len(quiet) + len(first), 0)]
    truth[1] = (truth[1][0] + span(second)[0], truth[1][0] + span(second)[1])
    events: list[EarsEvent] = []
    done = threading.Event()

    def heard(event: EarsEvent) -> None:
        events.append(event)
        if sum(e.kind == "utterance" for e in events) == 2:
            done.set()

    with ProcessSTT(PocketsphinxSTT) as stt, Listener(SileroVad(), stt, heard, TurnSettings()) as ears:
        t0 = time.perf_counter()
        for start in range(0, len(audio48), 960):  # 20 ms packets, in real time: the STT decodes as a call's would
            ears.feed(audio48[start : start + 960], t0 + (start + 960) / 48_000)
            time.sleep(max(0.0, t0 + (start + 960) / 48_000 - time.perf_counter()))
        assert done.wait(30), [e.kind for e in events]
    kinds = [e.kind for e in events]
    # Each turn: its onset, then either the text made at the pause before the end was sure ("tentative"), or, when
    # the cores are busy and the decode is not done by then, the end said first and the text after ("turn_ended").
    # How often the first path wins is a speed figure (`talkshow bench talk`), not this test's.
    for at in (0, 4):
        assert kinds[at : at + 4] in (
            ["voice_onset", "speech_start", "tentative", "utterance"],
            ["voice_onset", "speech_start", "turn_ended", "utterance"],
        ), kinds
    assert len(kinds) == 8, kinds
    for guess, final in ((events[2], events[3]), (events[6], events[7])):
        assert final.utterance is not None
        if guess.kind == "tentative":  # the text was made at the pause; the end only confirms it
            assert guess.utterance is not None
            assert guess.utterance.text == final.utterance.text and guess.sample == final.sample
            assert final.utterance.text_ready_at <= final.utterance.decided_at
    assert events[0].sample == events[1].sample and events[0].at == events[1].at
    utterances = [e.utterance for e in events if e.kind == "utterance" and e.utterance is not None]
    for got, (start, end) in zip(utterances, truth, strict=True):
        # Silero's 32 ms frames and its ~100 ms tail: starts within 64 ms, ends within 200 ms of the sound.
        assert abs(got.start_sample - start) <= 0.064 * EARS_RATE, (got.start_sample, start)
        assert -0.05 * EARS_RATE <= got.end_sample - end <= 0.2 * EARS_RATE, (got.end_sample, end)
        assert got.transcript is not None and got.transcript.provider == "pocketsphinx"
        assert got.speech_end_at - got.speech_start_at == pytest.approx(got.seconds, abs=0.021)
    assert {"moon", "think"} & set(utterances[1].text.split()), utterances[1].text
    assert ears.dropped_chunks == 0


def test_stt_in_a_child_process_gives_the_same_text_and_survives_the_child_dying() -> None:
    audio = noisy([np.zeros(8000, np.int16), utterance(QUESTION, SPEAKERS[1]), np.zeros(8000, np.int16)], 20.0)
    local = PocketsphinxSTT()
    here = local.transcribe(audio, EARS_RATE).text
    with local.open_stream() as fed:
        for start in range(0, len(audio), 320):
            fed.feed(audio[start : start + 320])
        streamed_here = fed.finish().text
    with ProcessSTT(PocketsphinxSTT) as stt:
        assert stt.name == "pocketsphinx"
        heard = stt.transcribe(audio, EARS_RATE)
        assert heard.text == here
        stream = stt.open_stream()
        for start in range(0, len(audio), 320):
            assert stream.feed(audio[start : start + 320]) == ""  # feeding never waits for the child
            if start == 320 * 20:
                # A writer asks for the last utterance's readings while the caller's next one is being fed: an
                # engine with none answers at once (not by the wait running out), the utterance being fed is
                # left be, and the answer, read from the pipe, does not get in the way of its text.
                asked = time.monotonic()
                assert heard.readings.wait(READINGS_PATIENCE_S) == ()
                assert time.monotonic() - asked < READINGS_PATIENCE_S / 2, "the child answered the request"
        streamed = stream.finish()
        # The same as a fresh decoder streamed here. (Its words vary with the test audio, which varies with
        # what libespeak-ng synthesized before: "what food is about some relief" in one full run.)
        assert streamed.text == streamed_here and streamed.words, streamed.text
        kill_child(stt.child)
        # The next utterance starts a new child (its first words may differ: a fresh decoder).
        assert stt.transcribe(audio, EARS_RATE).text == here


def test_readings_that_fail_to_be_made_are_none_and_the_utterance_being_fed_goes_on() -> None:
    audio = noisy([np.zeros(8000, np.int16), utterance(QUESTION, SPEAKERS[1]), np.zeros(8000, np.int16)], 20.0)
    with PocketsphinxSTT().open_stream() as fed:
        for start in range(0, len(audio), 320):
            fed.feed(audio[start : start + 320])
        streamed_here = fed.finish().text
    with ProcessSTT(_FailingReadings) as stt:
        heard = stt.transcribe(audio, EARS_RATE)
        stream = stt.open_stream()
        for start in range(0, len(audio), 320):
            stream.feed(audio[start : start + 320])
            if start == 320 * 20:  # the last utterance's readings asked for, and failing, mid-utterance
                asked = time.monotonic()
                assert heard.readings.wait(READINGS_PATIENCE_S) == ()
                assert time.monotonic() - asked < READINGS_PATIENCE_S / 2, "the child answered: none, not a hang"
        assert stream.finish().text == streamed_here, "the utterance being fed was left be"


class _FailingReadings(PocketsphinxSTT):
    def take_readings(self) -> tuple[str, ...]:
        raise RuntimeError("the beam search failed")


def test_a_child_that_cannot_build_its_engine_fails_with_the_reason() -> None:
    with pytest.raises(TranscriptionError, match="did not start: .*no model here"):
        ProcessSTT(_broken_engine, name="broken")


def _broken_engine() -> PocketsphinxSTT:
    raise FileNotFoundError("no model here")


def test_sentences_are_cut_as_soon_as_their_end_arrives() -> None:
    splitter = SentenceSplitter()
    assert splitter.feed("Well, hello") == []
    assert splitter.feed(" there! How are") == ["Well, hello there!"]
    assert splitter.feed(' you? "Fine." And') == ["How are you?", '"Fine."']
    assert splitter.feed(" 3.5 cars") == []  # a decimal point is not a sentence end
    assert splitter.rest() == "And 3.5 cars"


def test_an_openai_compatible_reply_streams_each_sentence_before_the_next_is_written() -> None:
    script: Script = [(0.3, "Oh, the moon"), (0.0, "? I love it. "), (0.6, "It is cheese, "), (0.0, "mostly.")]
    chat = ScriptedChat(lambda n: script)
    try:
        started = time.perf_counter()
        got = _collect(OpenAIReply("tiny", Endpoint(chat.url), Telemetry()), _request())
    finally:
        chat.httpd.shutdown()
    assert [s for _, s in got] == ["Oh, the moon?", "I love it.", "It is cheese, mostly."]
    assert got[0][0] - started < 0.6, "the first sentence is out before the last one is written"
    assert got[2][0] - got[1][0] >= 0.5
    messages = chat.bodies[0]["messages"]
    assert isinstance(messages, list)
    assert "lambo" in messages[0]["content"] and messages[-1] == {"role": "user", "content": QUESTION}
    assert [m["role"] for m in messages[1:]] == ["user", "assistant", "user"]


def test_a_failing_llm_is_a_writer_error_naming_the_status() -> None:
    chat = ScriptedChat(lambda n: [], status=503)
    try:
        with pytest.raises(WriterError, match="HTTP 503"):
            _collect(OpenAIReply("tiny", Endpoint(chat.url), Telemetry()), _request())
    finally:
        chat.httpd.shutdown()


def test_a_barge_in_cut_drops_the_queue_and_silences_the_kept_frames_from_the_next_boundary() -> None:
    queue = FrameQueue(8, 16)
    loud = np.full(1600, 10_000, np.int16)
    for index in range(6):
        buffer = queue.acquire(timeout=1)
        assert buffer is not None
        queue.put(QueuedFrame(index, buffer, loud, idle=False, compose_ms=1.0, turn=None, turn_offset=index))
    muted, dropped = queue.cut_tail(2, fade_samples=480)
    assert [d.show_frame for d in dropped] == [2, 3, 4, 5] and [d.turn_offset for d in dropped] == [2, 3, 4, 5]
    assert [m.show_frame for m in muted] == [0, 1], "the kept frames air as pictures; their sound did not"
    assert queue.depth == 2
    first, second = queue.pop(), queue.pop()
    assert first is not None and second is not None
    # The next frame fades from full to nothing over its first 10 ms, then silence: no click, no tail.
    assert first.audio[0] == 10_000 and abs(int(first.audio[240]) - 5_000) < 100
    assert not first.audio[480:].any() and not second.audio.any()
    assert loud[-1] == 10_000, "the turn's own audio is untouched (frames share it)"


def test_a_cut_that_finishes_the_sentence_keeps_the_turn_on_air_whole_and_drops_the_rest() -> None:
    queue = FrameQueue(8, 16)
    on_air, next_sentence = cast(PreparedTurn, object()), cast(PreparedTurn, object())
    loud = np.full(1600, 10_000, np.int16)
    for index, turn in enumerate([on_air] * 3 + [next_sentence] * 3):
        buffer = queue.acquire(timeout=1)
        assert buffer is not None
        queue.put(QueuedFrame(index, buffer, loud, idle=False, compose_ms=1.0, turn=turn, turn_offset=index % 3))
    kept = queue.cut_after_head_turn()
    assert kept is not None
    finishing, dropped = kept
    assert finishing is on_air and queue.depth == 3
    assert [(d.show_frame, d.turn, d.turn_offset) for d in dropped] == [(3, next_sentence, 0), (4, next_sentence, 1),
                                                                        (5, next_sentence, 2)]  # fmt: skip
    frames = [queue.pop() for _ in range(3)]
    assert all(f is not None and f.turn is on_air and f.audio[800] == 10_000 for f in frames), "heard, not muted"
    assert queue.cut_after_head_turn() is None, "an empty queue has no sentence on its way out"


def test_a_show_file_sets_talk_mode_and_a_bad_value_names_its_line(tmp_path: Path) -> None:
    show = tmp_path / "show.toml"
    show.write_text(
        'topic = "the moon"\n[talk]\ncharacter = "wendell"\nend_silence_ms = 300\nreply = "openai"\n'
        '[talk.reply_options]\nmodel = "llama3"\nbase_url = "http://127.0.0.1:11434/v1"\n'
    )
    talk = load_show(show).section(TalkSettings)
    assert talk.character == "wendell" and talk.turns.end_silence_ms == 300 and talk.turns.min_speech_ms == 350
    assert talk.reply == "openai" and talk.reply_options["model"] == "llama3"
    show.write_text('topic = "the moon"\n[talk]\ncharacter = "nobody"\n')
    with pytest.raises(ShowFileError, match=r"show.toml:3: talk character 'nobody' is not in the cast"):
        load_show(show)
    show.write_text('topic = "the moon"\n[talk]\nend_silence_ms = 5\n')
    with pytest.raises(ShowFileError, match=r"show.toml:3: talk end_silence_ms must be between 100 and 3000"):
        load_show(show)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab .!?…\"') \n", max_size=60), st.lists(st.integers(1, 7), max_size=12))
def test_streamed_and_whole_text_are_cut_into_the_same_sentences(text: str, cuts: list[int]) -> None:
    """One rule: an HTTP voice's pieces join back to the text, and a reply streamed in any chunks is cut
    into the same sentences (white space aside)."""
    pieces = split_sentences(text)
    assert "".join(pieces) == text
    splitter, streamed, at = SentenceSplitter(), [], 0
    for size in [*cuts, len(text)]:
        streamed += splitter.feed(text[at : at + size])
        at += size
    streamed.append(splitter.rest())
    assert [p for p in streamed if p] == [p.strip() for p in pieces if p.strip()]
