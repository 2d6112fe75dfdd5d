"""The chat desk: ranking, cleaning, limits, removals, topic votes, floods; chat in the show file and on air."""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

import pytest

from support.chat_desk import make_desk, message
from talkshow.chat.settings import ChatSettings
from talkshow.core.kinds.chat import ChatRemoval
from talkshow.moderation.settings import ModerationSettings
from talkshow.telemetry.events import Telemetry

# --- the desk ------------------------------------------------------------------------------------


def test_the_desk_ranks_cleans_limits_and_forgets_what_was_removed() -> None:
    desk, _ = make_desk(user_cooldown_s=30, user_burst=5, max_pending=3)
    zalgo = "w\u0336\u0337\u0338h\u0335\u0334y\u0336 a\u0337 l\u0338ambo\u202e\x07?"
    desk.accept(message(f"!ask duke {zalgo}", "plain", "Plain\u200b Name"))
    desk.accept(message("!ask wendell how are you?", "mod", "Mod", roles=frozenset({"moderator"})))
    desk.accept(message("Cheer500 !ask duke big spender", "rich", "Rich", bits=500, kind="cheer"))
    desk.accept(message("!ask duke again, too soon", "plain", "Plain"))  # the same viewer inside the cooldown
    for n in range(20):  # one viewer flooding
        desk.accept(message(f"spam {n}", "flood", "Flood"))
    assert desk.counts["flood_dropped"] == 15 and desk.counts["cooldown"] == 1
    desk.accept(message("!ask duke a fourth", "other", "Other"))  # over max_pending: the newest of the lowest goes
    assert desk.pending == 3 and desk.counts["overflow"] == 1
    order = [desk.take_question() for _ in range(3)]
    assert [q.message.user_id for q in order if q] == ["rich", "mod", "plain"]
    desk.accept(message("!ask duke from plain again", "plain2", "P2", message_id="keep"))
    desk.remove(ChatRemoval("twitch", message_id="keep"))
    assert desk.take_question() is None
    desk.accept(message(f"!ask duke {zalgo}", "z", "Z"))
    cleaned = desk.take_question()
    assert cleaned is not None and cleaned.text == "w\u0336h\u0335y\u0336 a\u0337 l\u0338ambo?"


def test_topic_votes_count_each_viewer_once() -> None:
    desk, _ = make_desk()
    for user in ("a", "b", "c"):
        desk.accept(message("!topic Should pigeons get pensions?", user))
    desk.accept(message("!topic should pigeons get pensions", "a"))  # the same viewer again
    desk.accept(message("!topic is soup a drink", "d"))
    assert desk.take_topic() == ("should pigeons get pensions", 3)
    assert desk.take_topic() is None


def test_a_chat_flood_keeps_the_desk_fast_and_bounded() -> None:
    desk, _ = make_desk(user_cooldown_s=0, max_pending=50)
    started = time.perf_counter()
    for n in range(50_000):  # 5 minutes of a 50 messages/s flood, from 5,000 viewers
        desk.accept(message(f"!ask duke question {n}" if n % 10 == 0 else f"chatter {n}", f"user{n % 5000}"))
    took = time.perf_counter() - started
    assert desk.pending == 50 and desk.counts["received"] == 50_000
    assert len(desk._buckets) <= 10_000 and len(desk._asked_at) <= 10_000
    # Budget: 50,000 messages in well under the 1,000 s they took to arrive; 20 s is a 2-core worst case.
    assert took < 20, f"{took:.1f} s for 50,000 messages"


def test_the_show_file_takes_chat_sources_and_names_bad_settings(tmp_path: Any) -> None:
    from talkshow.core.errors import ShowFileError
    from talkshow.show_check import load_show

    path = tmp_path / "show.toml"
    path.write_text('topic = "x"\n[chat]\nanswer_every_s = 5\n[chat.twitch-irc]\nchannel = "lambo"\n')
    chat = load_show(path).section(ChatSettings)
    assert chat.answer_every_s == 5.0 and chat.sources == {"twitch-irc": {"channel": "lambo"}}
    path.write_text('topic = "x"\n[chat.twitch]\nchannel = "lambo"\ntoken = "oauth:abc"\n')
    with pytest.raises(ShowFileError, match="credentials do not go in a show file"):
        load_show(path)
    path.write_text('topic = "x"\n[chat.twich]\nchannel = "lambo"\n')
    with pytest.raises(ShowFileError, match="unknown chat 'twich'"):
        load_show(path)
    assert replace(chat, prefix="?").prefix == "?"


def test_a_chat_answer_breaks_into_a_show_line_at_its_sentence_end(tmp_path: Any) -> None:
    from support.small_shows import small_config
    from talkshow.chat.cut_in import MAX_SENTENCE_WAIT_S, seconds_to_break
    from talkshow.core.air import AirLog
    from talkshow.core.kinds.writer import Line
    from talkshow.lipsync.lip_sync import LipSync
    from talkshow.moderation.build import build_gate
    from talkshow.show.turn_builder import TurnBuilder
    from talkshow.stage.builder import build_stage
    from talkshow.voice.service import SpeechService

    config = small_config(tmp_path)
    text = "The lambo stays. It is a lifestyle, Wendell, and lifestyles need parking."
    with (
        SpeechService(48_000, None, Telemetry()) as speech,
        build_gate(config.section(ModerationSettings), Telemetry()) as gate,
    ):
        builder = TurnBuilder(config, build_stage(config), speech, LipSync(), Telemetry(), gate)
        turn = builder.from_line(3, Line("duke", text), 0.0)
    first_sentence_end = next(w.end for w in turn.words if text[w.char_end : w.char_end + 1] == ".")  # "stays."

    class Clock:  # the engine's AirClock face: an air log the pacer writes
        def __init__(self) -> None:
            self.air_log = AirLog(1600)

    clock = Clock()
    assert seconds_to_break(clock, 30) is None  # nothing aired yet
    clock.air_log.record(100, turn, 3)  # 0.1 s into the line
    wait = seconds_to_break(clock, 30)
    assert wait is not None and wait == pytest.approx(first_sentence_end - 0.1, abs=1e-6) and wait < MAX_SENTENCE_WAIT_S
    later = next(w for w in turn.words if w.start > first_sentence_end + 0.1)
    frame = round(later.start * 30) + 1
    clock.air_log.record(101, turn, frame)  # in the long second sentence: the end of the word being said
    word = next(w for w in turn.words if w.end > frame / 30)
    assert seconds_to_break(clock, 30) == pytest.approx(word.end - frame / 30, abs=1e-6)
    clock.air_log.record(102, None, 0)  # between lines: no cut needed
    assert seconds_to_break(clock, 30) is None


def test_twitch_flag_names_the_channel_and_refuses_what_is_not_a_login() -> None:
    from talkshow.cli.common import with_twitch_channel
    from talkshow.config import show_from_topic
    from talkshow.core.errors import TalkshowError

    config = with_twitch_channel(show_from_topic("soup"), " #SomeStreamer_42 ")
    assert config.section(ChatSettings).sources == {"twitch-irc": {"channel": "somestreamer_42"}}
    for bad in ("", "two words", "a" * 26, "chañnel", "x;DROP"):
        with pytest.raises(TalkshowError, match="--twitch takes a channel's login name"):
            with_twitch_channel(show_from_topic("soup"), bad)
