"""An LLM writer under a real live engine: deadlines, dead air, and a clean stop mid-stream."""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

import pytest

from support.budgets import LATE_FRAMES_ALLOWED
from support.chat_server import Script, ScriptedChat, json_line
from support.live import run_live
from support.small_shows import small_config
from talkshow.config import WriterSettings
from talkshow.telemetry.events import MemorySink, Telemetry

# Slow, and it times the show against the clock (late frames, reply and barge-in times): it runs alone.
pytestmark = [pytest.mark.slow, pytest.mark.solo]


def _llm_config(tmp_path: Path, url: str, **options: object):  # type: ignore[no-untyped-def]
    writer = WriterSettings("openai", {"model": "test", "base_url": url, **options})
    return replace(small_config(tmp_path, turns=2), writer=writer)


def test_a_hung_writer_is_dead_air_for_one_deadline_then_improv_and_the_breaker(tmp_path: Path) -> None:
    # The endpoint accepts and then says nothing for 20 s: without a deadline that was ~35 s of idle per show.
    server = ScriptedChat(lambda n: [(20, json_line("duke", "Too late."))])
    sink = MemorySink()
    config = _llm_config(tmp_path, server.url, deadline_floor_s=1.5, breaker_open_s=600)
    try:
        engine = run_live(tmp_path, 14, Telemetry([sink]), config=config)
    finally:
        server.close()
    aired = sink.of_kind("turn_on_air")
    assert aired and all(e.fields["text"] != "Too late." for e in aired)
    assert server.requests == 1, "the breaker should keep the hung endpoint out of the next show"
    gaps = sink.of_kind("dead_air")
    assert gaps, "a show waiting on its writer is dead air, and must be counted"
    # Dead air is the 1.5 s deadline plus voicing the first improv line; 4 s leaves room for shared cores.
    assert 1.0 <= gaps[0].fields["seconds"] <= 4.0, gaps[0].fields
    assert engine.programme.dead_air.gaps == len(gaps)
    assert engine.supervisor.state("writer") == "restarting"  # falling back, and will try again
    # The writer never touches the frame loop; 3 late frames of 420 allow for the 2 shared cores.
    assert engine.stats.late <= LATE_FRAMES_ALLOWED, engine.stats.late


def test_stopping_mid_reply_closes_the_stream_without_an_asyncio_error(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # The reply streams slowly, so the engine stops while the writer is mid-stream.
    slow: Script = [
        (1.2 if i else 0, json_line(("duke", "wendell")[i % 2], f"Line number {i} is here.")) for i in range(8)
    ]
    server = ScriptedChat(lambda n: slow)
    config = replace(_llm_config(tmp_path, server.url), turns=8)
    with caplog.at_level(logging.WARNING):
        try:
            run_live(tmp_path, 4, Telemetry([MemorySink()]), config=config)
            assert server.closed_early.wait(5), "the writer should hang up on the endpoint when the show stops"
        finally:
            server.close()
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not errors, [r.getMessage() for r in errors]
