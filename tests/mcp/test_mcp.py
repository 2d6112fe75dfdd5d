"""An agent steers a real `talkshow serve` over MCP, with the official SDK's own client: over streamable HTTP at
/mcp (behind the studio's token and cross-site check) and over stdio (`talkshow mcp`, which calls the studio)."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from support.paths import SHOWS
from support.serve import start_studio
from talkshow.mcp_server import TOOL_NAMES

pytestmark = [pytest.mark.slow]

TOKEN = "mcp-test-token-7f3a"
AIR_WITHIN_S = 1.5  # the budget: a tool call's line on air within 1.5 s
MARGIN_S = 1.0  # these 2 cores are shared: the budget plus this is what a test allows
HOSTILE = "Shut the fuck up, Wendell."


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("mcp")
    base, _, process = start_studio(
        tmp, SHOWS, tmp / "studio.sqlite3", turns=40, env={"TALKSHOW_TOKEN": TOKEN}, args=("--host", "0.0.0.0")
    )
    yield base
    process.terminate()
    process.wait(timeout=30)


def _lines(base: str) -> list[dict[str, Any]]:
    lines: list[dict[str, Any]] = httpx.get(f"{base}/api/lines", params={"limit": 200}).json()["lines"]
    return lines


def _aired_within(base: str, text: str, seconds: float) -> float | None:
    """Seconds until a transcript line with ``text`` is on air (or done), or None within ``seconds``."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if any(text in line["text"] and line["status"] in ("on_air", "done") for line in _lines(base)):
            return time.monotonic() - started
        time.sleep(0.05)
    return None


def _quiet(base: str, seconds: float = 20.0) -> None:
    """Wait until no line is on air (the held show's last line has ended)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and any(line["status"] == "on_air" for line in _lines(base)):
        time.sleep(0.1)


def _payload(result: Any) -> dict[str, Any]:
    """A tool result's structured content (the tool's dict), or its error text."""
    if result.is_error:
        return {"error": " ".join(getattr(c, "text", "") for c in result.content)}
    content: dict[str, Any] = result.structured_content or {}
    return content.get("result", content) if isinstance(content.get("result"), dict) else content


def test_over_http_an_agent_lists_the_tools_says_a_line_on_air_and_a_hostile_one_is_refused(studio: str) -> None:
    import httpx2
    from mcp.client.streamable_http import streamable_http_client

    from mcp import Client

    line = "Agents of the internet, welcome to the show."

    async def run() -> tuple[set[str], dict[str, Any], float, dict[str, Any], str]:
        http = httpx2.AsyncClient(headers={"Authorization": f"Bearer {TOKEN}"}, timeout=20)
        async with Client(streamable_http_client(f"{studio}/mcp", http_client=http)) as client:
            tools = {tool.name for tool in (await client.list_tools()).tools}
            # Held, as a co-host's show is (no debate of its own): a line said airs at once, not after the
            # line on air now.
            await client.call_tool("stop_show", {})
            await asyncio.to_thread(_quiet, studio)
            sent = time.monotonic()
            said = _payload(await client.call_tool("say_line", {"character": "duke", "text": line}))
            called_s = time.monotonic() - sent
            refused = _payload(await client.call_tool("say_line", {"character": "wendell", "text": HOSTILE}))
            status = await client.read_resource("talkshow://status")
        await http.aclose()
        return tools, said, called_s, refused, str(getattr(status.contents[0], "text", ""))

    tools, said, called_s, refused, status = asyncio.run(run())
    assert set(TOOL_NAMES) <= tools, tools
    assert said.get("character") == "duke", said
    aired_s = _aired_within(studio, line, AIR_WITHIN_S + MARGIN_S)
    assert aired_s is not None, f"the line never aired: {_lines(studio)[-3:]}"
    assert called_s + aired_s <= AIR_WITHIN_S + MARGIN_S, (called_s, aired_s)
    assert "held by moderation" in refused.get("error", ""), refused
    assert not any(HOSTILE in line["text"] for line in _lines(studio)), "a hostile line pushed over MCP never airs"
    held = httpx.get(f"{studio}/api/held", params={"status": "held"}).json()["held"]
    assert any(HOSTILE in h["text"] for h in held), "it waits under held lines, as any held line does"
    shown = json.loads(status)  # the resource is the studio's status as JSON: held by stop_show above
    assert shown["holding"] is True and shown["frames"] > 0, shown


def test_mcp_over_http_needs_the_token_and_refuses_cross_site_requests(studio: str) -> None:
    init = {"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {}}
    headers = {"Accept": "application/json, text/event-stream"}
    nobody = httpx.post(f"{studio}/mcp", json=init, headers=headers)
    assert nobody.status_code == 401, nobody.text
    wrong = httpx.post(f"{studio}/mcp", json=init, headers={**headers, "Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    cross = httpx.post(
        f"{studio}/mcp",
        json=init,
        headers={**headers, "Authorization": f"Bearer {TOKEN}", "Origin": "https://evil.example"},
    )
    assert cross.status_code == 403 and "cross-site" in cross.json()["error"]
    listing = httpx.get(f"{studio}/mcp", headers={**headers, "Origin": "https://evil.example"})
    assert listing.status_code == 403, "every method of /mcp steers the show: a GET too is checked"


def test_over_stdio_talkshow_mcp_reacts_to_a_moment_in_character_on_air(studio: str, tmp_path: Path) -> None:
    from mcp import Client, StdioServerParameters

    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "talkshow", "mcp", "--url", studio],
        env={**os.environ, "TALKSHOW_TOKEN": TOKEN},
    )

    async def run() -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
        async with Client(params) as client:
            reacted = _payload(
                await client.call_tool("react", {"character": "wendell", "moment": "I just lost the boss fight"})
            )
            transcript = _payload(await client.call_tool("transcript", {"limit": 5}))
            banned = _payload(await client.call_tool("ban_viewer", {"platform": "twitch", "user_id": "42"}))
        return reacted, transcript, banned

    reacted, transcript, banned = asyncio.run(run())
    assert reacted.get("character") == "wendell" and reacted.get("line"), reacted
    assert _aired_within(studio, reacted["line"][:40], AIR_WITHIN_S + 5.0) is not None, "the reaction airs next"
    assert isinstance(transcript.get("lines"), list), transcript
    assert "reads no chat" in banned.get("error", ""), f"a show with no chat says so: {banned}"


def test_talkshow_mcp_without_a_studio_starts_and_says_where_it_looked() -> None:
    from mcp import Client, StdioServerParameters

    params = StdioServerParameters(
        command=sys.executable, args=["-m", "talkshow", "mcp", "--url", "http://127.0.0.1:9"]
    )

    async def run() -> dict[str, Any]:
        async with Client(params) as client:
            return _payload(await client.call_tool("status", {}))

    answer = asyncio.run(run())
    assert "127.0.0.1:9" in answer.get("error", "") and "did not answer" in answer["error"], answer


def test_the_studio_loads_the_mcp_sdk_only_when_an_agent_calls() -> None:
    """The SDK costs the show's process ~27 MB and a second of its start: /mcp loads it at its first request, and
    a studio no agent calls never does (in a fresh interpreter, since this module imports the SDK)."""
    probe = Path(__file__).parent.parent / "support" / "mcp_on_demand.py"
    ran = subprocess.run([sys.executable, str(probe)], capture_output=True, text=True, timeout=120, check=True)
    found = json.loads(ran.stdout.strip().splitlines()[-1])
    assert found == {"loaded_while_idle": False, "status": 200, "loaded_after": True}, (found, ran.stderr[-2000:])
