"""The show's memory: FTS5 recall in the studio's SQLite, written from what aired, forgotten on request."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from talkshow.config import default_cast
from talkshow.core.domain import DomainLog
from talkshow.core.kinds.writer import ReplyRequest
from talkshow.core.recall import Recollection
from talkshow.studio.hub import EventHub
from talkshow.studio.memory import Memory
from talkshow.studio.memory_settings import MemorySettings
from talkshow.studio.recorder import TranscriptRecorder
from talkshow.studio.store import StudioStore
from talkshow.telemetry.events import Event
from talkshow.writer.reply import ImprovReply, conversation_messages

WEEK = 7 * 86_400


def test_recall_finds_by_words_puts_the_persons_own_first_and_never_reads_fts_syntax(tmp_path: Path) -> None:
    with_store = StudioStore(tmp_path / "studio.sqlite3")
    memory = Memory(with_store)
    memory.remember("question", "why is there a lambo in the studio?", "lambos", "twitch:11", "Sam")
    memory.remember("question", "does the lambo run on coffee?", "lambos", "twitch:12", "Pat")
    memory.remember("said", "The octopus handles payroll now.", "office pets", "cast:duke", "Duke")
    found = memory.recall("tell me about the lambo", person="twitch:12")
    assert [m.who for m in found][:2] == ["Pat", "Sam"] and all("lambo" in m.text for m in found)
    assert memory.recall("octopus")[0].who == "Duke"
    for hostile in ('lambo" OR text:*', "NEAR(lambo octopus)", "lambo*", "'; DROP TABLE memory; --"):
        memory.recall(hostile)  # quoted word by word: never an FTS or SQL error
    assert memory.count() == 3
    assert memory.forget_person("twitch:11") == 1
    assert [m.who for m in memory.recall("lambo")] == ["Pat"], "a forgotten person is gone from search too"
    with_store.close()


def test_retention_forgets_what_is_older(tmp_path: Path) -> None:
    store = StudioStore(tmp_path / "studio.sqlite3")
    memory = Memory(store, MemorySettings(retention_days=30))
    memory.remember("question", "an old lambo question", "lambos", "twitch:1", "Old")
    assert memory.prune(now=time.time() + 31 * 86_400) == 1 and memory.count() == 0
    assert not memory.recall("lambo")
    store.close()


def test_what_aired_is_remembered_by_the_recorder(tmp_path: Path) -> None:
    store = StudioStore(tmp_path / "studio.sqlite3")
    log = DomainLog()
    recorder = TranscriptRecorder(store, EventHub(), log, Memory(store), {"duke": "Duke"})
    log.publish(Event("chat_question_aired", 0.0, time.time(), {
        "platform": "twitch", "character": "duke", "turn": 100001, "question": "why a lambo?",
        "answer": "Because a lambo is a lifestyle.", "since_arrival_ms": 900.0, "user": "twitch:11", "name": "Sam",
        "topic": "why there's a lambo in the room"}))  # fmt: skip
    log.publish(Event("caller_heard", 0.0, time.time(), {"text": "my lambo is purple", "topic": "x", "person": ""}))
    recorder.flush()
    found = Memory(store).recall("lambo", limit=5)
    recorder.close()
    assert {(m.kind, m.who) for m in found} == {("question", "Sam"), ("said", "Duke"), ("caller", "a caller")}
    store.close()


def test_a_character_calls_back_to_what_was_asked_before() -> None:
    duke = default_cast()[0]
    asked = Recollection("question", "Sam", "why a lambo?", "lambos", time.time() - WEEK - 3600)

    async def reply(memories: tuple[Recollection, ...]) -> list[str]:
        return [s async for s in ImprovReply().reply(ReplyRequest(duke, "lambos", "Why a lambo?", (), memories))]

    without, with_memory = asyncio.run(reply(())), asyncio.run(reply((asked,)))
    assert with_memory[:-1] == without and with_memory[-1] == "Sam asked me that last week, too!"
    messages = conversation_messages(ReplyRequest(duke, "lambos", "Why a lambo?", (), (asked,)))
    assert 'last week, Sam asked (topic: lambos): "why a lambo?"' in messages[0]["content"]
