"""A live engine run for a few seconds, and reading back what it published (playlists, decoded segments)."""

from __future__ import annotations

import re
from pathlib import Path

import av

from support.small_shows import small_config
from talkshow.live.engine import LiveEngine
from talkshow.live.settings import LiveSettings
from talkshow.station.engine import build_engine
from talkshow.telemetry.events import Telemetry


def read_playlist(path: Path) -> tuple[int, list[tuple[str | None, float, str]], bool]:
    """(media sequence, [(program date, duration, uri)], ended) from an HLS playlist."""
    text = path.read_text()
    sequence = int(re.search(r"#EXT-X-MEDIA-SEQUENCE:(\d+)", text).group(1))  # type: ignore[union-attr]
    entries: list[tuple[str | None, float, str]] = []
    date: str | None = None
    duration = 0.0
    for line in text.splitlines():
        if line.startswith("#EXT-X-PROGRAM-DATE-TIME:"):
            date = line.split(":", 1)[1]
        elif line.startswith("#EXTINF:"):
            duration = float(line[8:].rstrip(","))
        elif line and not line.startswith("#"):
            entries.append((date, duration, line))
            date = None
    return sequence, entries, "#EXT-X-ENDLIST" in text


def decode_segment(path: Path) -> tuple[list[int], int]:
    """Video frame pts and the number of audio samples in one TS segment."""
    with av.open(str(path), "r") as container:
        video_pts = [int(f.pts) for f in container.decode(video=0) if f.pts is not None]
    with av.open(str(path), "r") as container:
        samples = sum(f.samples for f in container.decode(audio=0))
    return video_pts, samples


def run_live(tmp_path: Path, seconds: float, telemetry: Telemetry, **kwargs: object) -> LiveEngine:
    speech = kwargs.pop("speech", None)
    config = kwargs.pop("config", None) or small_config(tmp_path, turns=3)
    settings = LiveSettings(
        hls_dir=tmp_path / "hls",
        frame_limit=round(seconds * 30),
        show_gap_s=1.0,
        **kwargs,  # type: ignore[arg-type]
    )
    engine = build_engine(config, settings, telemetry, speech=speech)  # type: ignore[arg-type]
    engine.start()
    assert engine.wait(timeout=seconds + 30)
    engine.stop()
    return engine
