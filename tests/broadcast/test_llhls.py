"""Low-Latency HLS from the real encoder: the playlist against the spec's rules, and the media decoded back."""

from __future__ import annotations

import io
import re
import time
from pathlib import Path

import av
import numpy as np
import pytest

from talkshow.broadcast import llhls as llhls_module
from talkshow.broadcast.encoder import Encoder
from talkshow.broadcast.llhls import LL_PLAYLIST_NAME, LlHlsOutput
from talkshow.config import VideoSettings
from talkshow.core.clock import ShowClock
from talkshow.supervisor import Supervisor
from talkshow.telemetry.events import Telemetry

VIDEO = VideoSettings(width=320, height=192)
CLOCK = ShowClock(30, 48_000)
FRAMES = 30 * 6 + 12  # six whole seconds and a part-filled seventh


def _encode(output: LlHlsOutput, frames: int, watch: list[str] | None = None, real_time: bool = False) -> None:
    encoder = Encoder(VIDEO, CLOCK, [output], Telemetry(), queue_size=4)
    frame = np.full(VIDEO.width * VIDEO.height * 3 // 2, 128, np.uint8)
    start = time.monotonic()
    for index in range(frames):
        if real_time:  # as the pacer sends them
            time.sleep(max(0.0, start + index / 30 - time.monotonic()))
        frame[: VIDEO.width * VIDEO.height] = (index * 5) % 200 + 20
        tone = (np.sin(2 * np.pi * 440 * (np.arange(1600) + index * 1600) / 48_000) * 8000).astype(np.int16)
        encoder.submit(frame, tone, index)
        if watch is not None and output.playlist.text:
            watch.append(output.playlist.text)
    encoder.close()


def _attributes(line: str) -> dict[str, str]:
    return {k: v.strip('"') for k, v in re.findall(r'([A-Z-]+)=("[^"]*"|[^,]*)', line.split(":", 1)[1])}


def test_the_playlist_keeps_the_low_latency_rules_and_its_parts_make_its_segments(tmp_path: Path) -> None:
    output = LlHlsOutput(tmp_path, 30, lambda: 1_700_000_000.0, Telemetry(), window=4)
    live: list[str] = []
    _encode(output, FRAMES, live)
    assert live, "the playlist was published while the stream ran"
    open_playlist = live[len(live) // 2]
    lines = open_playlist.splitlines()
    target = float(_attributes(next(x for x in lines if x.startswith("#EXT-X-PART-INF")))["PART-TARGET"])
    control = _attributes(next(x for x in lines if x.startswith("#EXT-X-SERVER-CONTROL")))
    target_duration = int(next(x for x in lines if x.startswith("#EXT-X-TARGETDURATION")).split(":")[1])
    assert lines[0] == "#EXTM3U" and int(lines[1].split(":")[1]) >= 6  # EXT-X-PART needs version 6 or more
    assert 0.2 <= target <= 0.334 and control["CAN-BLOCK-RELOAD"] == "YES"
    assert float(control["PART-HOLD-BACK"]) >= 2 * target  # the spec's minimum (3x recommended)
    assert float(control["HOLD-BACK"]) >= 3 * target_duration
    assert '#EXT-X-MAP:URI="init.mp4"' in lines
    hint = _attributes(next(x for x in lines if x.startswith("#EXT-X-PRELOAD-HINT")))
    assert hint["TYPE"] == "PART" and lines[-1].startswith("#EXT-X-PRELOAD-HINT"), "the hint is the last line"
    assert any(hint["URI"] in later for later in live), "the hinted part is the one published next"

    final = (tmp_path / LL_PLAYLIST_NAME).read_text().splitlines()
    assert final[-1] == "#EXT-X-ENDLIST"
    init = (tmp_path / "init.mp4").read_bytes()
    parts: list[tuple[str, float, bool]] = []
    checked = 0
    for line in final:
        if line.startswith("#EXT-X-PART:"):
            part = _attributes(line)
            parts.append((part["URI"], float(part["DURATION"]), part.get("INDEPENDENT") == "YES"))
            assert float(part["DURATION"]) <= target + 1e-6, "no part is longer than the part target"
        elif line.startswith("ll") and line.endswith(".m4s"):  # a whole segment: its parts precede it
            mine = [p for p in parts if p[0].startswith(line.removesuffix(".m4s") + ".")]
            extinf = float(final[final.index(line) - 1].removeprefix("#EXTINF:").rstrip(","))
            assert extinf <= target_duration + 1e-6
            if not mine:
                continue  # parts are listed only near the live edge (the last three segments)
            checked += 1
            assert abs(extinf - sum(d for _, d, _ in mine)) < 1e-3
            assert mine[0][2] and not any(independent for _, _, independent in mine[1:])
            assert all(d >= 0.85 * target for _, d, _ in mine[:-1]), "only a segment's last part may be short"
            joined = b"".join((tmp_path / uri).read_bytes() for uri, _, _ in mine)
            assert joined == (tmp_path / line).read_bytes(), f"{line} is its parts joined"
            with av.open(io.BytesIO(init + (tmp_path / mine[0][0]).read_bytes()), "r") as alone:
                first = next(alone.decode(video=0))
                assert first.key_frame, "an INDEPENDENT part starts with a keyframe and decodes alone"
    assert checked == 3, "the last three segments list their parts"
    assert final.count("#EXT-X-PROGRAM-DATE-TIME:2023-11-14T22:13:23.000Z") == 1  # segment 3 at epoch + 3 s

    segments = [x for x in final if x.startswith("ll") and x.endswith(".m4s")]
    stream = init + b"".join((tmp_path / name).read_bytes() for name in segments)
    with av.open(io.BytesIO(stream), "r") as container:
        frames = list(container.decode(video=0))
        video = [f.pts * f.time_base for f in frames if f.pts is not None and f.time_base is not None]  # all: see len
    with av.open(io.BytesIO(stream), "r") as container:
        audio = np.concatenate([f.to_ndarray().reshape(-1) for f in container.decode(audio=0)])
    first_second = int(segments[0][2:8])
    assert len(video) == FRAMES - 30 * first_second and float(video[0]) == first_second
    assert np.all(np.diff([float(t) for t in video]) > 0), "frames in order, none twice"
    assert abs(len(audio) / 48_000 - len(video) / 30) < 0.05, "the audio runs as long as the video"
    assert np.abs(audio).max() > 0.1


def test_old_parts_and_segments_leave_the_disk_with_the_window(tmp_path: Path) -> None:
    output = LlHlsOutput(tmp_path, 30, lambda: 1_700_000_000.0, Telemetry(), window=1)
    # In real time: as fast as it can, the encoder outran the publisher on busy cores (seed 273327637), which
    # then dropped parts as it should, and this test is about the files of parts that were written.
    _encode(output, 30 * 5, real_time=True)
    assert output.dropped == 0
    names = sorted(p.name for p in tmp_path.glob("ll*.m4s"))
    # Listed: 4. Kept a window longer for players that read an older playlist: 3.
    assert {n[:8] for n in names} == {"ll000003", "ll000004"}, names
    assert not list(tmp_path.glob("*.tmp"))


def test_a_failing_disk_drops_parts_and_publishing_comes_back_by_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    supervisor = Supervisor(Telemetry())
    output = LlHlsOutput(tmp_path, 30, lambda: 1_700_000_000.0, Telemetry(), supervisor=supervisor)
    real_write = llhls_module.write_atomic  # type: ignore[attr-defined]
    states: list[str] = []

    def full_disk_in_second_two(path: Path, data: bytes) -> None:
        if path.name.startswith("ll000002") or path.name == "ll000003.2.m4s":
            states.append(supervisor.state(output.name) if output.name in supervisor.snapshot() else "")
            raise OSError(28, "No space left on device")
        real_write(path, data)

    monkeypatch.setattr(llhls_module, "write_atomic", full_disk_in_second_two)
    _encode(output, 30 * 5)
    final = (tmp_path / LL_PLAYLIST_NAME).read_text()
    assert output.dropped == 6 and "ll000002" not in final, "the second lost to the full disk is not listed"
    # Second 3 lost one part: its other parts are listed, but not the whole segment (it would have a hole).
    assert "ll000003.1.m4s" in final and "ll000003.2.m4s" not in final and "ll000003.m4s\n" not in final
    assert "ll000004.m4s" in final and "ll000004.0.m4s" in final, "publishing came back by itself"
    assert states[1:5] == ["restarting"] * 4, states  # the outage is a restarting part, said once
    assert supervisor.state(output.name) == "running"
