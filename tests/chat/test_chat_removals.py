"""A removal from chat reaches the answer at every stage: dropped while it is voiced, cut while it airs.

A real live engine (idle between shows, so only the chat answer is voiced) with the real chat
desk and host. The removal comes from another thread, as a platform's would, at the moment
the trace says the answer's audio is being made, or its first frame has gone out. The long
answer of the second test comes from a local server speaking OpenAI's streaming protocol.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from support.small_shows import small_config
from talkshow.chat.desk import ChatDesk
from talkshow.chat.host import ChatHost
from talkshow.chat.settings import ChatSettings
from talkshow.core.kinds.chat import ChatMessage, ChatRemoval
from talkshow.core.kinds.writer import ReplyWriter
from talkshow.live.settings import LiveSettings
from talkshow.station.engine import build_engine
from talkshow.telemetry.events import Event, MemorySink, Telemetry
from talkshow.testing.chat_stub import StubChat
from talkshow.writer.reply import ImprovReply, create_openai

pytestmark = pytest.mark.slow  # seconds of live air

# The removal's cut lands at the next rendered frame (the dump button's path); this is the most of the
# answer that may air after the removal arrives: the measured cut is 2-4 frames, and the margin covers a
# renderer that is a few frames late on these shared cores.
REMOVAL_CUT_BUDGET_S = 0.5


class _RemoveWhen:
    """A trace sink that has the platform send ``removal`` (from its own thread) the first time ``trigger`` fires."""

    def __init__(self, desk: ChatDesk, removal: ChatRemoval, trigger: Callable[[Event], bool]) -> None:
        self.desk, self.removal, self.trigger = desk, removal, trigger
        self.sent_at: float | None = None
        self._lock = threading.Lock()

    def record(self, event: Event) -> None:
        with self._lock:
            if self.sent_at is not None or not self.trigger(event):
                return
            self.sent_at = time.monotonic()
        threading.Thread(target=self.desk.remove, args=(self.removal,)).start()


def _question(message_id: str, user_id: str, text: str) -> ChatMessage:
    return ChatMessage("twitch", message_id, user_id, f"viewer{user_id}", text, time.time())


LONG_ANSWER = (
    "Oh, I love that question. The lambo is here because every great room needs a centrepiece. "
    "People said a couch would do. A couch cannot do zero to sixty, Wendell. And that is the whole story."
)


def _run(
    tmp_path: Path, removal: ChatRemoval, trigger: Callable[[Event], bool], seconds: float, replier: ReplyWriter
) -> tuple[MemorySink, _RemoveWhen, ChatDesk]:
    sink = MemorySink()
    settings = ChatSettings(answer_every_s=0, answer_every_turns=0, topic_every_s=0, card_extra_s=0.5)
    config = small_config(tmp_path)
    telemetry = Telemetry([sink])
    desk = ChatDesk(settings, config.cast, telemetry)
    remover = _RemoveWhen(desk, removal, trigger)
    telemetry.add_sink(remover)
    engine = build_engine(config, LiveSettings(hls_dir=tmp_path / "hls", topics=()), telemetry)

    async def on_air() -> None:
        host = ChatHost(desk, engine.control, replier, line_busy=lambda: False, add_topic=lambda _: None)
        host.start()
        desk.accept(_question("m1", "42", "!ask duke why is there a lambo in the room? tell me everything"))
        await asyncio.sleep(seconds)
        await host.close()

    engine.start()
    try:
        asyncio.run(on_air())
    finally:
        engine.stop()
    return sink, remover, desk


def test_a_ban_while_the_answer_is_voiced_drops_it_and_its_card_never_shows(tmp_path: Path) -> None:
    ban = ChatRemoval("twitch", user_id="42", reason="ban")
    voicing = lambda e: e.kind in ("tts_start", "tts_cached") and e.fields.get("speaker") == "duke"  # noqa: E731
    sink, remover, desk = _run(tmp_path, ban, voicing, seconds=8, replier=ImprovReply())
    assert remover.sent_at is not None, "the answer was never voiced: nothing was tested"
    removed = sink.of_kind("chat_answer_removed")
    assert [e.fields["on_air"] for e in removed] == [False]
    assert [e for e in sink.of_kind("turn_aired") if e.fields["source"] == "chat"] == [], "the answer aired"
    assert [e for e in sink.of_kind("turn_ready") if e.fields.get("source") == "chat"] == [], "it was prepared"
    assert sink.of_kind("guest_card") == [], "the question card showed"
    assert sink.of_kind("chat_question_aired") == []
    assert desk.counts["removed_in_flight"] == 1 and desk.counts["answered"] == 0


def test_a_deleted_message_while_its_answer_airs_is_cut_at_once_and_its_card_comes_down(tmp_path: Path) -> None:
    delete = ChatRemoval("twitch", message_id="m1", reason="deleted")
    airing = lambda e: e.kind == "turn_aired" and e.fields.get("source") == "chat"  # noqa: E731
    with StubChat(first_token_s=0.05, reply=LONG_ANSWER) as server:
        replier = create_openai({"model": "stub", "base_url": server.url}, Telemetry())
        sink, remover, _ = _run(tmp_path, delete, airing, seconds=10, replier=replier)
    assert remover.sent_at is not None, "the answer never aired: nothing was tested"
    removed = sink.of_kind("chat_answer_removed")
    assert [e.fields["on_air"] for e in removed] == [True]
    ready = [e for e in sink.of_kind("turn_ready") if e.fields.get("source") == "chat"]
    assert ready and len(ready) < 4, f"{len(ready)} of the answer's 5 sentences were voiced after its delete"
    aired = [e for e in sink.of_kind("turn_aired") if e.fields["source"] == "chat"]
    assert len(aired) == 1, "more of the answer aired after the delete"
    off = [e for e in sink.of_kind("turn_off_air") if e.fields.get("turn") == aired[0].fields["turn"]]
    assert off, "the cut answer never left the air"
    on_air_s = (off[-1].fields["frame"] - aired[0].fields["frame"]) / 30
    first_s = ready[0].fields["audio_s"]
    assert on_air_s <= REMOVAL_CUT_BUDGET_S < first_s, f"{on_air_s:.2f} s of its {first_s:.2f} s first part aired"
    cards = [e.fields["shown"] for e in sink.of_kind("guest_card")]
    assert cards == [True, False], cards
    assert sink.of_kind("chat_question_aired") == []
