"""The one helper real servers start through: a port taken between its probe and the server's bind is tried again."""

from __future__ import annotations

import socket
from pathlib import Path

import httpx
import pytest

from talkshow.bench import serving

pytestmark = pytest.mark.slow  # a real `talkshow serve`


def test_a_port_taken_before_the_server_binds_it_is_tried_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as taken:  # another test's server, bound between the probe and talkshow's bind
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        ports = iter([taken.getsockname()[1], serving.free_port()])
        monkeypatch.setattr(serving, "free_port", lambda: next(ports))
        show = Path(__file__).resolve().parents[2] / "shows" / "lambo.toml"
        args = [str(show), "--db", str(tmp_path / "db.sqlite3"), "--hls-dir", str(tmp_path / "hls")]
        with serving.Served(args, tmp_path / "studio.log", start_s=60) as served:
            assert served.port != taken.getsockname()[1]
            assert httpx.get(served.base + "/healthz", timeout=5).status_code == 200
