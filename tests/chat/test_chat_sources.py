"""Chat sources against local servers speaking each platform's protocol: IRC, EventSub, YouTube."""

from __future__ import annotations

import asyncio

import pytest

from support.chat_desk import make_desk, until
from support.chat_servers import TwitchIrcServer, YouTubeServer, privmsg, yt_text
from support.eventsub_server import EventSubServer, chat_event
from talkshow.chat.desk import ChatDesk
from talkshow.chat.irc import IrcParseError, parse_irc
from talkshow.chat.twitch_eventsub import TwitchEventSubSource
from talkshow.chat.twitch_irc import TwitchIrcSource
from talkshow.chat.youtube import LIST_COST, LOOKUP_COST, QuotaMeter, YouTubeChatSource

# times nothing: make test runs it beside the solo tier, on the CPU those two workers leave idle
pytestmark = pytest.mark.beside

# --- IRC framing ---------------------------------------------------------------------------------


def test_irc_lines_parse_with_escaped_tags() -> None:
    line = parse_irc(
        r"@badges=moderator/1,subscriber/12;display-name=Sam\sthe\:Great;bits=100 "
        r":sam!sam@sam.tmi.twitch.tv PRIVMSG #lambo :Cheer100 !ask duke why a lambo?"
    )
    assert (
        line.command == "PRIVMSG"
        and line.nick == "sam"
        and line.params == ("#lambo", "Cheer100 !ask duke why a lambo?")
    )
    assert line.tags["display-name"] == "Sam the;Great" and line.tags["bits"] == "100"
    assert parse_irc("PING :tmi.twitch.tv").trailing == "tmi.twitch.tv"
    for bad in ("", "@only=tags", ":prefix-only", "x" * 9000):
        with pytest.raises(IrcParseError):
            parse_irc(bad)


# --- Twitch IRC --------------------------------------------------------------------------------


def test_twitch_irc_reads_anonymously_and_honours_clearmsg_clearchat_ping_and_reconnect() -> None:
    server = TwitchIrcServer()
    desk, _ = make_desk(user_cooldown_s=0)

    async def scenario() -> TwitchIrcSource:
        source = TwitchIrcSource("Lambo", desk, url=server.url)
        await source.start()
        await until(server.joined.is_set, what="JOIN")
        await until(lambda: desk.sources.get("twitch-irc", {}).get("state") == "running", what="running")
        server.send(
            privmsg("!ask duke why a lambo?", "11", "Sam the Great", "msg-1", badges="moderator/1", mod="1"),
            privmsg("!ask wendell are you ok?", "12", "Pat", "msg-2"),
            privmsg("!ask duke a deleted one", "13", "Del", "msg-3"),
            privmsg("!ask duke from a soon-banned viewer", "14", "Ban", "msg-4"),
            privmsg("just chatting", "15", "Chatty", "msg-5"),
            "@login=del;target-msg-id=msg-3 :tmi.twitch.tv CLEARMSG #lambo :!ask duke a deleted one",
            "@ban-duration=600;target-user-id=14 :tmi.twitch.tv CLEARCHAT #lambo :ban",
            "this is not IRC at all @@@",
            "PING :tmi.twitch.tv",
        )
        await until(lambda: any(r.startswith("PONG") for r in server.received), what="PONG")
        server.send(privmsg("!ask duke after my timeout", "14", "Ban", "msg-6"))
        await until(lambda: desk.counts["from_banned"] == 1, what="the timed-out viewer's message")
        server.send(":tmi.twitch.tv RECONNECT")
        await until(lambda: server.connections == 2 and server.received.count("JOIN #lambo") == 2, what="rejoin")
        await source.close()
        return source

    try:
        source = asyncio.run(scenario())
    finally:
        server.close()
    nicks = [r for r in server.received if r.startswith("NICK")]
    assert all(n.startswith("NICK justinfan") for n in nicks) and not any(r.startswith("PASS") for r in server.received)
    assert "CAP REQ :twitch.tv/tags twitch.tv/commands" in server.received
    first = desk.take_question()
    assert first is not None and first.name == "Sam the Great" and first.character == "duke"
    assert first.text == "why a lambo?" and "moderator" in first.message.roles
    second = desk.take_question()
    assert second is not None and second.character == "wendell" and desk.take_question() is None
    assert desk.counts["chatter"] == 1 and desk.counts["removed"] == 2
    assert source.malformed == 0  # "this is not IRC" parses as an unknown command, ignored


# --- Twitch EventSub ---------------------------------------------------------------------------


def _eventsub(server: EventSubServer, desk: ChatDesk) -> TwitchEventSubSource:
    options = {
        "channel": "lambo",
        "url": server.ws_url,
        "api_url": server.api_url,
        "client_id_env": "TEST_TWITCH_CLIENT",
        "token_env": "TEST_TWITCH_TOKEN",
    }
    return TwitchEventSubSource(options, desk)


def test_eventsub_subscribes_on_welcome_and_follows_messages_deletes_bans_redemptions_and_a_reconnect(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TEST_TWITCH_CLIENT", "client-id")
    monkeypatch.setenv("TEST_TWITCH_TOKEN", "user-token")
    server = EventSubServer()
    desk, sink = make_desk(user_cooldown_s=0)

    async def scenario() -> None:
        source = _eventsub(server, desk)
        await source.start()
        await until(lambda: desk.sources.get("twitch", {}).get("state") == "running", what="subscribed")
        server.notify("channel.chat.message", chat_event("!ask duke why a lambo?", "11", "Sam", "e-1"))
        server.notify("channel.chat.message", chat_event("!ask duke deleted soon", "12", "Del", "e-2"))
        server.notify(
            "channel.chat.message_delete",
            {"broadcaster_user_id": "1001", "target_user_id": "12", "target_user_login": "del", "message_id": "e-2"},
        )
        server.notify(
            "channel.ban",
            {
                "user_id": "13",
                "user_login": "troll",
                "user_name": "Troll",
                "broadcaster_user_id": "1001",
                "reason": "spam",
                "banned_at": "2026-11-24T00:00:00Z",
                "ends_at": None,
                "is_permanent": True,
            },
        )
        server.notify("channel.chat.message", chat_event("!ask duke I am banned", "13", "Troll", "e-3"))
        server.notify(
            "channel.channel_points_custom_reward_redemption.add",
            {
                "id": "r-1",
                "broadcaster_user_id": "1001",
                "user_id": "14",
                "user_login": "fan",
                "user_name": "Fan",
                "user_input": "Wendell, sing us something",
                "status": "unfulfilled",
                "reward": {"id": "rw", "title": "Ask the cast", "cost": 5000, "prompt": ""},
                "redeemed_at": "2026-11-24T00:00:00Z",
            },
        )
        server.keepalive()
        await until(lambda: desk.counts["received"] == 4 and desk.counts["removals"] == 2, what="four messages")
        server.reconnect()
        await until(lambda: server.connections == 2, what="the reconnect URL")
        await asyncio.sleep(0.2)
        server.notify("channel.chat.message", chat_event("!ask wendell after the move", "15", "Late", "e-4"))
        await until(lambda: desk.counts["received"] == 5, what="a message on the new connection")
        server.revoke("channel.chat.message")
        await until(lambda: desk.sources["twitch"]["state"] == "failed", what="revocation")
        await source.close()

    try:
        asyncio.run(scenario())
    finally:
        server.close()
    kinds = [s["type"] for s in server.subscriptions]
    assert kinds[0] == "channel.chat.message" and len(kinds) == 6, "subscribed once: the reconnect carried them"
    chat = server.subscriptions[0]
    assert chat["condition"] == {"broadcaster_user_id": "1001", "user_id": "2002"}
    assert chat["transport"] == {"method": "websocket", "session_id": "session-1"}
    assert all(h.get("Authorization") == "Bearer user-token" for h in server.helix_headers)
    questions = [desk.take_question() for _ in range(4)]
    texts = [q.text for q in questions if q is not None]
    assert texts == ["sing us something", "why a lambo?", "after the move"], texts  # the redemption ranks first
    assert questions[0] is not None and questions[0].message.points == 5000 and questions[0].character == "wendell"
    states = [e.fields["state"] for e in sink.of_kind("chat_source")]
    assert "reconnecting" in states and states[-1] == "failed"
    assert "revoked" in str(desk.sources["twitch"]["detail"])
    assert not any("user-token" in str(e.fields) for e in sink.events), "the token never appears in events"


def test_eventsub_reconnects_when_the_server_goes_silent_past_its_keepalive(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEST_TWITCH_CLIENT", "client-id")
    monkeypatch.setenv("TEST_TWITCH_TOKEN", "user-token")
    server = EventSubServer(keepalive_s=1)  # it welcomes, then never sends a keepalive
    desk, sink = make_desk()

    async def scenario() -> None:
        source = TwitchEventSubSource({**_eventsub(server, desk).options, "keepalive_grace_s": 0.5}, desk)
        await source.start()
        await until(lambda: server.connections >= 2, timeout=15, what="a new connection after the silence")
        await until(lambda: len(server.subscriptions) >= 12, what="the new session's subscriptions")
        await source.close()

    try:
        asyncio.run(scenario())
    finally:
        server.close()
    sessions = {s["transport"]["session_id"] for s in server.subscriptions}
    assert sessions >= {"session-1", "session-2"}, "a dead connection's session is replaced, and subscribed anew"
    assert any("TimeoutError" in str(e.fields["detail"]) for e in sink.of_kind("chat_source"))


def test_eventsub_with_an_expired_token_stops_with_a_clear_state(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEST_TWITCH_CLIENT", "client-id")
    monkeypatch.setenv("TEST_TWITCH_TOKEN", "expired-token")
    server = EventSubServer()
    desk, _ = make_desk()

    async def scenario() -> None:
        source = _eventsub(server, desk)
        await source.start()
        await until(lambda: desk.sources.get("twitch", {}).get("state") == "failed", what="failed")
        await asyncio.sleep(0.3)
        await source.close()

    try:
        asyncio.run(scenario())
    finally:
        server.close()
    assert "expired or was revoked" in str(desk.sources["twitch"]["detail"])
    assert len(server.helix_headers) == 1, "a refused token is not retried in a loop"


def test_a_missing_credential_stops_the_source_and_says_which_variable() -> None:
    desk, _ = make_desk()
    source = TwitchEventSubSource({"channel": "lambo", "token_env": "NO_SUCH_VARIABLE_SET"}, desk)

    async def scenario() -> None:
        await source.start()
        await until(lambda: desk.sources.get("twitch", {}).get("state") == "failed")
        await source.close()

    asyncio.run(scenario())
    assert "is missing: set $" in str(desk.sources["twitch"]["detail"])


# --- YouTube -------------------------------------------------------------------------------------


def test_youtube_polls_at_the_api_interval_counts_its_quota_and_waits_when_it_runs_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TEST_YT_KEY", "yt-key")
    super_chat = yt_text("y-3", "UCrich", "Rich", "")
    super_chat["snippet"] |= {
        "type": "superChatEvent",
        "superChatDetails": {
            "amountMicros": "20000000",
            "currency": "USD",
            "amountDisplayString": "$20.00",
            "userComment": "!ask duke is the lambo paid off?",
            "tier": 3,
        },
    }
    deleted = {
        "kind": "youtube#liveChatMessage",
        "id": "y-4",
        "snippet": {
            "type": "messageDeletedEvent",
            "liveChatId": "chat-123",
            "publishedAt": "2026-11-24T00:00:00Z",
            "hasDisplayContent": False,
            "messageDeletedDetails": {"deletedMessageId": "y-2"},
        },
    }
    pages = [
        [
            yt_text("y-1", "UCmod", "Mo", "!ask wendell hello?", moderator=True),
            yt_text("y-2", "UCdel", "Del", "!ask duke to be deleted"),
        ],
        [super_chat, deleted],
        [],
    ]
    server = YouTubeServer(pages, interval_ms=100, quota_after=3)
    desk, sink = make_desk(user_cooldown_s=0)

    async def scenario() -> None:
        source = YouTubeChatSource({"video_id": "vid1", "api_url": server.url, "api_key_env": "TEST_YT_KEY"}, desk)
        await source.start()
        await until(lambda: desk.sources.get("youtube", {}).get("state") == "waiting", what="quota exhausted")
        calls = server.list_calls()
        await asyncio.sleep(0.5)
        assert server.list_calls() == calls, "no calls once the quota is gone"
        await source.close()

    try:
        asyncio.run(scenario())
    finally:
        server.close()
    tokens = [q.get("pageToken", [""])[0] for p, q in server.calls if p.endswith("/messages")]
    assert tokens[:3] == ["", "1", "2"], "each poll asks from the page token the last gave"
    assert server.calls[0][0].endswith("/videos"), "the live chat id is looked up from the video"
    left = [e.fields["units_left"] for e in sink.of_kind("chat_quota")]
    assert left[:4] == [10_000 - LOOKUP_COST - n * LIST_COST for n in range(4)] and left[-1] == 0
    assert "quota used up" in str(desk.sources["youtube"]["detail"])
    first, second = desk.take_question(), desk.take_question()
    assert first is not None and first.message.paid_micros == 20_000_000 and first.text == "is the lambo paid off?"
    assert second is not None and second.name == "Mo" and desk.take_question() is None  # y-2 was deleted


def test_the_quota_meter_spreads_the_last_quarter_until_the_pacific_reset() -> None:
    now = [1_790_000_000.0]
    meter = QuotaMeter(10_000, clock=lambda: now[0])
    assert meter.wait_s(2.0) == 2.0
    meter.spend(8_000)  # 2,000 left: under a quarter; 400 calls to spread over what is left of the day
    assert meter.wait_s(2.0) == pytest.approx(max(2.0, meter.seconds_to_reset() / 400))
    meter.exhausted()
    assert meter.wait_s(2.0) == meter.seconds_to_reset()
    now[0] += meter.seconds_to_reset() + 1  # past midnight Pacific: a new day
    assert meter.left == 10_000
