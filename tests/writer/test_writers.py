import asyncio
import itertools
import time
from pathlib import Path

import pytest

from support.chat_server import Script, ScriptedChat, json_line
from talkshow.config import WriterSettings, default_cast
from talkshow.core.errors import ShowFileError
from talkshow.core.kinds.writer import Line, Writer, WriteRequest
from talkshow.supervisor import Supervisor
from talkshow.telemetry.events import MemorySink, Telemetry
from talkshow.writer.breaker import BreakerState, WriterBreaker
from talkshow.writer.build import make_writer
from talkshow.writer.improv import ImprovWriter
from talkshow.writer.openai_compat import LineSplitter, parse_reply_line
from talkshow.writer.resilient import ResilientWriter
from talkshow.writer.script import parse_screenplay

CAST = default_cast()


def _collect(writer: Writer, request: WriteRequest) -> list[Line]:
    async def run() -> list[Line]:
        return [line async for line in writer.lines(request)]

    return asyncio.run(run())


def test_improv_is_deterministic_topic_aware_and_varied() -> None:
    request = WriteRequest("why there's a lambo in the room", CAST, 12, seed=7)
    first, again = _collect(ImprovWriter(), request), _collect(ImprovWriter(), request)
    other = _collect(ImprovWriter(), WriteRequest(request.topic, CAST, 12, seed=8))
    assert first == again and first != other
    assert len(first) == 12 and all(a.speaker != b.speaker for a, b in itertools.pairwise(first))
    assert sum("lambo" in line.text for line in first) >= 6
    assert len({line.text for line in first}) == 12


def test_screenplay_parses_and_reports_lines(tmp_path: Path, shows_dir: Path) -> None:
    lines = parse_screenplay(shows_dir / "pilot.screenplay", CAST)
    assert lines[0] == Line("duke", "Welcome to the pilot! Tonight we fix the office coffee machine.", "excited")
    assert lines[4].text.endswith("you get quality.")  # indented continuation
    bad = tmp_path / "bad.txt"
    bad.write_text("DUKE: hi\nBOB: who am I?\n")
    with pytest.raises(ShowFileError, match=r"bad.txt:2: unknown speaker 'BOB'"):
        parse_screenplay(bad, CAST)
    bad.write_text("DUKE (giddy): hi\n")
    with pytest.raises(ShowFileError, match="unknown emotion 'giddy'"):
        parse_screenplay(bad, CAST)


def _openai(url: str, sink: MemorySink) -> ResilientWriter:
    settings = WriterSettings("openai", {"model": "test", "base_url": url, "retries": 1, "timeout": 5})
    return make_writer(settings, Path.cwd(), Telemetry([sink]))


def test_openai_writer_streams_and_repairs_lines() -> None:
    reply = (
        '{"speaker": "duke", "text": "The lambo stays.", "emotion": "smug"}\n'
        "```json\n"
        "{'speaker': 'wendell', 'text': 'broken quotes'}\n"  # unusable: skipped
        "WENDELL (worried): Is it insured?\n"
        '{"speaker": "Duke", "text": "Of course!", "emotion": "ecstatic"},\n'
    )
    server = ScriptedChat(lambda n: [(0.0, reply[i : i + 7]) for i in range(0, len(reply), 7)])  # split mid-token
    sink = MemorySink()
    try:
        lines = _collect(_openai(server.url, sink), WriteRequest("lambo", CAST, 3))
    finally:
        server.close()
    assert lines == [
        Line("duke", "The lambo stays.", "smug"),
        Line("wendell", "Is it insured?", "worried"),
        Line("duke", "Of course!", "neutral"),
    ]
    assert server.bodies[0]["stream"] is True and server.bodies[0]["model"] == "test"
    assert not sink.of_kind("writer_fallback")


@pytest.mark.parametrize("kind", ["down", "http_error", "garbage"])
def test_openai_failure_falls_back_to_improv(kind: str) -> None:
    sink = MemorySink()
    server = None
    if kind == "down":
        url = "http://127.0.0.1:9/v1"
    else:
        server = ScriptedChat(lambda n: [(0.0, "<html>nope</html>\n%%%")], 503 if kind == "http_error" else 200)
        url = server.url
    try:
        lines = _collect(_openai(url, sink), WriteRequest("lambo", CAST, 4))
    finally:
        if server:
            server.close()
    assert len(lines) == 4 and all(line.text for line in lines)
    fallback = sink.of_kind("writer_fallback")
    assert len(fallback) == 1 and fallback[0].fields["after_lines"] == 0


def test_a_hung_endpoint_times_out_and_improv_finishes_the_show() -> None:
    # The server accepts the request, then says nothing: a hung model, not a refused connection.
    server = ScriptedChat(lambda n: [(4.0, None)])  # silent for 4 s, then hangs up
    sink = MemorySink()
    settings = WriterSettings("openai", {"model": "test", "base_url": server.url, "retries": 0, "timeout": 1})
    started = time.monotonic()
    try:
        lines = _collect(make_writer(settings, Path.cwd(), Telemetry([sink])), WriteRequest("lambo", CAST, 3))
    finally:
        server.close()
    assert time.monotonic() - started < 3.5, "the writer gave up on the silent server instead of waiting"
    assert len(lines) == 3 and all(line.text != "Too late." for line in lines)
    fallback = sink.of_kind("writer_fallback")
    assert len(fallback) == 1 and "gave no usable lines" in fallback[0].fields["error"]


def test_line_repair_decodes_json_escapes_without_mojibake() -> None:
    # Broken JSON (no closing brace) takes the repair path: its escapes are JSON's, and é stays é.
    raw = '{"speaker": "duke", "text": "Caf\\u00e9 means Café, \\"obviously\\"", "emotion": "smug"'
    assert parse_reply_line(raw, CAST) == Line("duke", 'Café means Café, "obviously"', "smug")


def test_line_splitter_is_linear_in_a_reply_without_newlines() -> None:
    # Ratio of two sizes measured side by side: linear work gives ~10x, the old rescan ~100x.
    def cost(chunks: int) -> float:
        splitter = LineSplitter()
        started = time.perf_counter()
        for _ in range(chunks):
            assert splitter.feed("abcdefghij") == []
        assert splitter.feed("!\nnext") == ["abcdefghij" * chunks + "!"] and splitter.rest() == "next"
        return time.perf_counter() - started

    small = min(cost(20_000) for _ in range(3))
    large = min(cost(200_000) for _ in range(3))
    assert large / small < 35, f"10x the text cost {large / small:.0f}x the time"


def test_a_reply_cut_mid_stream_airs_its_line_once_and_drops_the_half_line() -> None:
    # Every reply: one whole line, then half of the next, then the connection closes.
    cut_reply = [(0.0, json_line("duke", "The lambo stays.")), (0.0, "WENDELL: It is on fi"), (0.0, None)]
    server = ScriptedChat(lambda n: cut_reply)
    sink = MemorySink()
    try:
        lines = _collect(_openai(server.url, sink), WriteRequest("lambo", CAST, 4))
    finally:
        server.close()
    texts = [line.text for line in lines]
    assert len(lines) == 4 and texts.count("The lambo stays.") == 1, texts
    assert not any("It is on fi" in text for text in texts), "a half line reached the air"
    assert server.requests == 2  # retries: 1, then the fallback writes the rest
    assert "broke off" in sink.of_kind("writer_fallback")[0].fields["error"]


def test_a_drip_fed_reply_misses_its_deadline_and_the_breaker_rests_the_writer() -> None:
    # The first line comes at once, the next only after 3 s: the show cannot wait that long.
    drip: Script = [
        (0, json_line("duke", "First!")),
        (3, json_line("wendell", "Second...")),
        (3, json_line("duke", "3")),
    ]
    server = ScriptedChat(lambda n: drip)
    sink = MemorySink()
    now = [0.0]
    breaker = WriterBreaker(Telemetry([sink]), open_s=60, clock=lambda: now[0])
    settings = WriterSettings("openai", {"model": "test", "base_url": server.url, "deadline_floor_s": 1.0})

    def show() -> tuple[list[Line], float]:
        writer = make_writer(settings, Path.cwd(), Telemetry([sink]), breaker, air_ahead_s=lambda: 0.2)
        started = time.monotonic()
        return _collect(writer, WriteRequest("lambo", CAST, 3)), time.monotonic() - started

    try:
        first, first_s = show()
        assert first[0] == Line("duke", "First!") and len(first) == 3
        assert first_s < 2.5, f"the show waited {first_s:.1f} s for a 1 s deadline"  # 1 s deadline + margin
        assert breaker.state is BreakerState.OPEN and sink.of_kind("writer_breaker")[0].fields["state"] == "open"
        second, _ = show()  # while open, the endpoint is not asked at all
        assert len(second) == 3 and server.requests == 1
        now[0] = 61.0  # half-open: one show tries the endpoint again, and its first line closes the breaker
        third, _ = show()
        assert third[0] == Line("duke", "First!") and server.requests == 2
        assert [e.fields["state"] for e in sink.of_kind("writer_breaker")][:2] == ["open", "closed"]
    finally:
        server.close()


def test_the_writer_shows_starting_until_its_first_line_then_running_failing_and_running_again() -> None:
    # A healthy show's writer once showed "starting" on the studio page for as long as it ran: the breaker told
    # the supervisor only of a recovery, never of the first line.
    supervisor = Supervisor(Telemetry([MemorySink()]))
    now = [0.0]
    breaker = WriterBreaker(Telemetry([MemorySink()]), open_s=60, supervisor=supervisor, clock=lambda: now[0])
    assert supervisor.snapshot()["writer"]["state"] == "starting"
    breaker.succeeded("openai")
    assert supervisor.snapshot()["writer"]["state"] == "running"
    breaker.failed("openai", "no answer within the deadline")
    assert supervisor.snapshot()["writer"]["state"] == "restarting"  # improv writes meanwhile
    now[0] = 61.0
    breaker.succeeded("openai")
    assert supervisor.snapshot()["writer"]["state"] == "running" and breaker.state is BreakerState.CLOSED


def test_closing_the_writer_between_lines_hangs_up_on_the_endpoint_in_the_same_loop() -> None:
    # The show stops while it holds a line (the writer suspended at its yield, not in a read):
    # the HTTP stream must close now, in this loop, not later from the garbage collector.
    slow: Script = [
        (0.0 if i == 0 else 1.0, json_line(("duke", "wendell")[i % 2], f"Line {i} is here.")) for i in range(6)
    ]
    server = ScriptedChat(lambda n: slow)
    settings = WriterSettings("openai", {"model": "test", "base_url": server.url, "retries": 0})
    writer = make_writer(settings, Path.cwd(), Telemetry([MemorySink()]))
    unclosed: list[str] = []

    async def take_one_line_then_stop() -> Line:
        loop = asyncio.get_running_loop()
        loop.set_exception_handler(lambda _loop, context: unclosed.append(str(context.get("message"))))
        lines = writer.lines(WriteRequest("lambo", CAST, 6))
        first = await anext(lines)
        await lines.aclose()
        return first

    try:
        first = asyncio.run(take_one_line_then_stop())
        hung_up = server.closed_early.wait(5)
    finally:
        server.close()
    assert first.text == "Line 0 is here."
    assert hung_up, "the endpoint kept streaming to a writer the show had closed"
    assert not unclosed, unclosed
