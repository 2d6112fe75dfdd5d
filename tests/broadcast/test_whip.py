"""WHIP output: a real serve publishes the show's own H.264 and Opus to a WHIP endpoint, and comes back when dropped."""

from __future__ import annotations

import asyncio
import signal
import time
from pathlib import Path

import httpx
import pytest

from support.serve import start_studio, studio_log
from support.whip_endpoint import WhipEndpoint
from talkshow.broadcast.webrtc_feed import WebRtcFeed
from talkshow.broadcast.whip import WhipPublisher, WhipTarget
from talkshow.core.clock import ShowClock
from talkshow.supervisor import Backoff, Supervisor
from talkshow.telemetry.events import MemorySink, Telemetry

TOKEN = "whip-token-never-logged-7f3a"


def _wait(what: str, ready: object, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not ready():  # type: ignore[operator]
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


@pytest.mark.slow
@pytest.mark.beside  # the show and the WHIP server wait on each other more than they compute
def test_serve_publishes_over_whip_and_publishes_again_when_the_sfu_drops_it(tmp_path: Path, shows_dir: Path) -> None:
    endpoint = WhipEndpoint(TOKEN)
    base, hls, process = start_studio(
        tmp_path, shows_dir, tmp_path / "studio.sqlite3", turns=40,
        env={"TALKSHOW_WHIP_TOKEN": TOKEN}, args=("--whip", endpoint.url),
    )  # fmt: skip
    try:
        _wait("a session that decodes video and audio", lambda: endpoint.sessions and (
            endpoint.sessions[0].video_frames > 60 and endpoint.sessions[0].audio_peak > 0.01))  # fmt: skip
        first = endpoint.sessions[0]
        video_lines = [line for line in first.offer.splitlines() if line.startswith("a=rtpmap:")]
        assert video_lines and all(("H264/90000" in x or "opus/48000" in x or "rtx" in x) for x in video_lines)
        assert first.video_size == (640, 360), "the show's own picture, as encoded once"
        parts = httpx.get(base + "/api/status").json()["parts"]
        assert parts["whip:127.0.0.1"]["state"] == "running", parts

        endpoint.drop_sessions()  # the SFU goes away and comes back: talkshow publishes again by itself
        _wait("a second session", lambda: len(endpoint.sessions) >= 2 and endpoint.sessions[-1].video_frames > 30)
        _wait("the part back to running", lambda: httpx.get(base + "/api/status").json()["parts"]["whip:127.0.0.1"][
            "state"] == "running")  # fmt: skip
        assert httpx.get(base + "/healthz").status_code == 200

        process.send_signal(signal.SIGTERM)  # a clean stop ends the session at the endpoint
        process.wait(timeout=30)
        output = studio_log(hls)
        assert endpoint.sessions[-1].id in endpoint.deletes
        assert TOKEN not in output and not endpoint.refused
    finally:
        if process.poll() is None:
            process.kill()
        endpoint.close()


def test_a_refused_token_is_a_restarting_part_that_names_the_refusal_but_never_the_token() -> None:
    endpoint = WhipEndpoint(TOKEN)
    sink = MemorySink()
    telemetry = Telemetry([sink])
    supervisor = Supervisor(telemetry)

    async def publish() -> dict[str, object]:
        publisher = WhipPublisher(
            WhipTarget(endpoint.url, "the-wrong-token"),
            WebRtcFeed(ShowClock(30, 48_000)),
            telemetry,
            supervisor,
            Backoff(0.2, 0.2),
        )
        publisher.start()
        await asyncio.sleep(1.0)
        state = supervisor.snapshot()[publisher.name]
        await publisher.close()
        return state

    try:
        state = asyncio.run(publish())
    finally:
        endpoint.close()
    assert state["state"] == "restarting" and "401" in str(state["error"]), state
    assert len(endpoint.refused) >= 3, "it tried again, with backoff"
    retries = sink.of_kind("whip_retry")
    assert retries and all("the-wrong-token" not in str(e.fields) for e in retries)
    assert "the-wrong-token" not in str(state)


def test_the_sfu_player_must_be_an_http_page_so_just_watch_never_runs_a_script() -> None:
    from talkshow.cli.serve import sfu_player
    from talkshow.core.errors import InputError

    assert sfu_player(" https://sfu.example/watch/show ") == "https://sfu.example/watch/show"
    assert sfu_player("") == ""
    with pytest.raises(InputError, match="--sfu-player takes the http"):
        sfu_player("javascript:alert(1)")
