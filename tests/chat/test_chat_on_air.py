"""Chat on a real `talkshow serve`: a viewer types `!ask duke why a lambo?` in Twitch chat and Duke answers on air.

The Twitch side is a local server speaking Twitch IRC; the webhook source takes a bot's post.
Hostile questions are held by moderation and never air; the answer goes through the same
moderation as any line. Everything is read back from the studio's API and the trace.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx
import pytest

from support.chat_servers import TwitchIrcServer, privmsg, twitch_chat_show
from talkshow.bench.serving import Served

pytestmark = pytest.mark.slow  # a whole server


def test_a_twitch_question_is_answered_on_air_and_a_hostile_one_never_is(tmp_path: Path, shows_dir: Path) -> None:
    irc = TwitchIrcServer()
    webhook = '[chat.webhook]\ntoken_env = "TEST_CHAT_WEBHOOK_TOKEN"\n'
    show = twitch_chat_show(tmp_path, shows_dir, irc, "topic_every_s = 1\n" + webhook)
    trace = tmp_path / "trace.jsonl"
    args = [str(show), "--hls-dir", str(tmp_path / "hls"), "--db", str(tmp_path / "studio.sqlite3")]
    args += ["--trace", str(trace), "--turns", "40", "--twitch", "#Lambo"]
    env = {"TEST_CHAT_WEBHOOK_TOKEN": "hook-secret"}
    # Ready once it answers and has joined the chat.
    served = Served(args, tmp_path / "serve.log", env, ready_path="/api/status", also=irc.joined.is_set)
    base = served.base
    try:
        irc.send(privmsg("!ask duke go kill yourself", "66", "Troll", "bad-1"))
        irc.send(privmsg("!ask duke why a lambo?", "11", "Sam", "good-1"))
        irc.send(privmsg("!ask duke what is the capital of france?", "13", "Kim", "fact-1"))  # the knowledge stage
        irc.send(privmsg("!topic should pigeons get pensions", "12", "Pat", "topic-1"))
        hook = httpx.post(
            base + "/api/chat/webhook",
            json={"user_id": "d1", "display_name": "Discord Dan", "text": "!ask wendell are you nervous?"},
        )
        assert hook.status_code == 401
        hook = httpx.post(
            base + "/api/chat/webhook",
            headers={"Authorization": "Bearer hook-secret"},
            json={"user_id": "d1", "display_name": "Discord Dan", "text": "!ask wendell are you nervous?"},
        )
        assert hook.status_code == 202, hook.text
        deadline = time.monotonic() + 60
        while True:
            chat = httpx.get(base + "/api/chat").json()
            if chat["counts"].get("answered", 0) >= 3 and chat["counts"].get("held", 0) >= 1:
                break
            assert time.monotonic() < deadline, chat
            time.sleep(0.2)
        irc.send(privmsg("!ask duke why a lambo?", "21", "Robin", "again-1"))  # the show remembers Sam asked
        deadline = time.monotonic() + 30
        while httpx.get(base + "/api/chat").json()["counts"].get("answered", 0) < 4:
            assert time.monotonic() < deadline, "the second lambo question was not answered"
            time.sleep(0.2)
        deadline = time.monotonic() + 30
        while not any(
            s["topic"] == "should pigeons get pensions" for s in httpx.get(base + "/api/topics").json()["queue"]
        ):
            assert time.monotonic() < deadline, "the voted topic never joined the queue"
            time.sleep(0.2)
        lines = httpx.get(base + "/api/lines?limit=200").json()["lines"]
        held = httpx.get(base + "/api/held").json()["held"]
    finally:
        served.stop(timeout=20)
        irc.close()
    events = [json.loads(line) for line in trace.read_text().splitlines()]
    aired = [e for e in events if e["kind"] == "chat_question_aired"]
    by_question = {e["question"]: e for e in aired}
    assert by_question["why a lambo?"]["character"] == "duke"
    assert "lambo" in by_question["why a lambo?"]["answer"].lower(), by_question["why a lambo?"]["answer"]
    assert by_question["are you nervous?"]["character"] == "wendell"
    assert "Paris" in by_question["what is the capital of france?"]["answer"], by_question  # a fact, from the data
    again = [e for e in aired if e["question"] == "why a lambo?" and e["user"] == "twitch:21"]
    assert again and again[0]["answer"].endswith("Sam asked me that earlier today, too!"), again
    answers = {e["answer"] for e in aired}
    assert any(line["text"] in answers and line["speaker"] == "duke" for line in lines), (
        "the answer is in the transcript"
    )
    assert not any("kill yourself" in e.get("question", "") for e in aired)
    assert not any("kill yourself" in str(line["text"]) for line in lines)
    assert any(h["source"] == "chat" and "kill yourself" in h["text"] for h in held), held
    assert all(e["since_arrival_ms"] < 30_000 for e in aired)
