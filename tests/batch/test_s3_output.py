"""``render-batch --out s3://...``: episodes go straight to an S3 bucket (through fsspec and s3fs), here a real
local S3 server (moto's, which speaks S3's own protocol), each uploaded whole, with the manifest beside them."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from support.episodes import decoded_frames, episodes_file
from support.serve import free_port

pytestmark = pytest.mark.slow
pytest.importorskip("s3fs")
moto_server = pytest.importorskip("moto.server")

BUCKET = "episodes"


@pytest.fixture
def s3(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A local S3 server with an empty bucket, and the environment every AWS client reads it from."""
    import s3fs

    port = free_port()
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    environment = {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "AWS_DEFAULT_REGION": "us-east-1",
                   "AWS_ENDPOINT_URL_S3": f"http://127.0.0.1:{port}"}  # fmt: skip
    for key, value in environment.items():
        monkeypatch.setenv(key, value)
    fs = s3fs.S3FileSystem(client_kwargs={"endpoint_url": environment["AWS_ENDPOINT_URL_S3"]}, skip_instance_cache=True)
    fs.mkdir(BUCKET)
    yield fs
    server.stop()


def test_episodes_and_manifest_land_in_the_bucket_whole(s3: Any, tmp_path: Path) -> None:
    names = ["north", "south"]
    command = [sys.executable, "-m", "talkshow", "render-batch", str(episodes_file(tmp_path, names)),
               "--out", f"s3://{BUCKET}/season-1", "--workers", "2"]  # fmt: skip
    run = subprocess.run(command, capture_output=True, text=True, timeout=240, env=os.environ.copy())
    assert run.returncode == 0, run.stdout + run.stderr
    listed = sorted(path.rsplit("/", 1)[1] for path in s3.ls(f"{BUCKET}/season-1", refresh=True))
    assert listed == ["manifest.json", "north.mp4", "south.mp4"]  # nothing staged, nothing half-written
    entries = json.loads(s3.cat_file(f"{BUCKET}/season-1/manifest.json"))["episodes"]
    assert [e["name"] for e in entries] == names
    for entry in entries:
        local = tmp_path / entry["file"]
        s3.get_file(f"{BUCKET}/season-1/{entry['file']}", str(local))
        assert hashlib.sha256(local.read_bytes()).hexdigest() == entry["sha256"]
        assert decoded_frames(local) == entry["frames"] > 0

    again = subprocess.run(command, capture_output=True, text=True, timeout=120, env=os.environ.copy())
    assert again.returncode == 0 and "2 already in" in again.stderr + again.stdout, again.stderr
