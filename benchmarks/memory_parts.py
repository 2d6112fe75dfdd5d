"""Where the show's memory goes, part by part: each part of a 1080p live show built in the engine's order in one
fresh process, its resident memory measured after each (RSS, from /proc), then the show running.

    .venv/bin/python benchmarks/memory_parts.py [--show shows/lambo.toml] [--seconds 20] [--json memory.json]

A part's figure is what building it (and using it once: a voice speaks a line, the gate judges one) added to the
process; what a child process holds is its own row. Run it in a fresh process: a part measured after another shares
what that one loaded (numpy, onnxruntime), so the order is the engine's.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def rss_mb(pid: int | None = None) -> float:
    """Resident memory of ``pid`` (this process by default), MB."""
    for line in Path(f"/proc/{pid or os.getpid()}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def children_mb() -> dict[int, float]:
    """Each child process's resident memory, MB."""
    found = {}
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        children = (task / "children").read_text().split() if (task / "children").exists() else []
        for pid in children:
            with contextlib.suppress(OSError):
                found[int(pid)] = rss_mb(int(pid))
    return found


def measure(show: Path, seconds: float) -> dict[str, Any]:
    """Build the parts one by one, then run the show for ``seconds``; the rows and the totals."""
    rows: list[tuple[str, float]] = []
    last = rss_mb()
    rows.append(("python, before any talkshow import", last))

    def step(name: str) -> None:
        nonlocal last
        now = rss_mb()
        rows.append((name, now - last))
        last = now

    from talkshow.process_memory import limit_malloc_arenas

    limit_malloc_arenas()  # as the command line does
    import talkshow.live.engine
    import talkshow.station.engine  # noqa: F401

    step("the engine's modules (numpy, PyAV, OpenCV, onnxruntime...)")

    from talkshow.core.clock import ShowClock
    from talkshow.lipsync.process_aligner import ProcessAligner
    from talkshow.live.frames import FrameQueue
    from talkshow.live.settings import LiveSettings
    from talkshow.moderation.build import build_gate
    from talkshow.moderation.settings import ModerationSettings
    from talkshow.show_file import read_show
    from talkshow.stage.builder import build_stage
    from talkshow.telemetry.events import Telemetry
    from talkshow.voice.service import SpeechService

    config, _ = read_show(show)
    telemetry = Telemetry()
    clock = ShowClock(config.video.fps, config.video.sample_rate)
    with contextlib.ExitStack() as owned:
        speech = owned.enter_context(SpeechService(clock.sample_rate, None, telemetry))
        for member in config.cast:
            speech.check(member.voice)
            speech.speak(member.voice, "A line to load the voice, spoken once.")
        step(f"voices ({len(config.cast)}, each speaking a line)")
        stage = owned.enter_context(build_stage(config, blocking_tv=False))
        step(f"the stage at {config.video.width}x{config.video.height} (set, light, rigs, TV)")
        aligner = owned.enter_context(ProcessAligner())
        step("the forced aligner's handle (the aligner itself is a child)")
        gate = owned.enter_context(build_gate(config.section(ModerationSettings), telemetry))
        gate.review("Is a hot dog a sandwich?", "writer")
        step("moderation (word lists, classifier, MiniLM), judging a line")
        settings = LiveSettings(Path(tempfile.mkdtemp()))
        frame_bytes = config.video.width * config.video.height * 3 // 2
        frames = FrameQueue(max(2, round(settings.ahead_s * clock.fps)), frame_bytes)
        step(f"the frame queue ({frames.capacity} + 2 frames of I420)")
        del aligner, stage, frames, gate
    owned_total = rss_mb()
    children = children_mb()
    running = run_show(show, seconds)
    return {
        "parts_mb": [{"part": name, "mb": round(mb, 1)} for name, mb in rows],
        "built_rss_mb": round(owned_total, 1),
        "children_mb": {str(pid): round(mb, 1) for pid, mb in children.items()},
        "show": running,
    }


def measure_station(show: Path, seconds: float) -> dict[str, Any]:
    """The station as `talkshow serve` builds it, step by step: the rows, and each child's memory."""
    import asyncio

    from talkshow.process_memory import limit_malloc_arenas

    limit_malloc_arenas()
    # A cold speech cache: every line is voiced, so the voice's model and its buffers are in the figures.
    os.environ["TALKSHOW_CACHE_DIR"] = tempfile.mkdtemp(prefix="memory-speech-")
    rows: list[tuple[str, float]] = [("python, before any talkshow import", rss_mb())]
    last = rows[0][1]

    def step(name: str) -> None:
        nonlocal last
        now = rss_mb()
        rows.append((name, now - last))
        last = now

    from talkshow.live.settings import LiveSettings
    from talkshow.server.app import create_app
    from talkshow.show_file import read_show
    from talkshow.station.station import open_station
    from talkshow.telemetry.events import Telemetry

    step("the modules serve imports (the engine, the server, numpy, PyAV, OpenCV, onnxruntime...)")
    config, _ = read_show(show)
    folder = Path(tempfile.mkdtemp(prefix="memory-station-"))
    station = open_station(config, LiveSettings(folder / "hls"), folder / "s.sqlite3", Telemetry())
    step("open_station: the studio database, voices, the stage, moderation, the engine's parts")
    create_app(station, None)
    step("the web app (routes, the overlay's feed, /mcp)")

    async def run() -> dict[str, float]:
        await asyncio.to_thread(station._warm)
        step("talk mode's ears warmed (VAD, turn model, STT) and the phone's prompts spoken")
        await asyncio.to_thread(station.engine.start)
        step("the engine started: the frame queue filled, the encoder and outputs open, the clock running")
        peak = rss_mb()
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            await asyncio.sleep(1.0)
            peak = max(peak, rss_mb())
        rows.append((f"the show on air for {seconds:g} s (to its peak)", peak - last))
        kids = children_mb()
        await station.stop()
        return {"peak_process_mb": round(peak, 1), "children_mb": round(sum(kids.values()), 1)}

    result = asyncio.run(run())
    return {"rows": [{"part": name, "mb": round(mb, 1)} for name, mb in rows], **result}


def run_show(show: Path, seconds: float) -> dict[str, Any]:
    """`talkshow serve` on ``show``: its RSS and its children's, sampled each second for ``seconds``."""
    import subprocess

    from talkshow.bench.serving import Served

    folder = Path(tempfile.mkdtemp(prefix="memory-"))
    args = [str(show), "--hls-dir", str(folder / "hls"), "--db", str(folder / "s.sqlite3")]
    with Served(args, folder / "serve.log", ready_path="/api/status") as served:
        samples = []
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            ps = ["ps", "--ppid", str(served.process.pid), "-o", "pid="]
            listed = subprocess.run(ps, capture_output=True, text=True)
            kids = [int(p) for p in listed.stdout.split()]
            samples.append((rss_mb(served.process.pid), sum(rss_mb(k) for k in kids)))
            time.sleep(1.0)
    return {
        "seconds": seconds,
        "peak_process_mb": round(max(s[0] for s in samples), 1),
        "peak_children_mb": round(max(s[1] for s in samples), 1),
        "peak_total_mb": round(max(s[0] + s[1] for s in samples), 1),
    }


def main() -> None:
    """Print the rows (and JSON with ``--json``)."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--show", type=Path, default=ROOT / "shows" / "lambo.toml")
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--station", action="store_true", help="the station as serve builds it, step by step")
    args = parser.parse_args()
    if args.station:
        station = measure_station(args.show, args.seconds)
        for row in station["rows"]:
            print(f"{row['mb']:8.1f} MB  {row['part']}")
        print(f"peak: {station['peak_process_mb']} MB in the process, {station['children_mb']} MB in its children")
        if args.json:
            args.json.write_text(json.dumps(station, indent=2))
        return
    result = measure(args.show, args.seconds)
    for row in result["parts_mb"]:
        print(f"{row['mb']:8.1f} MB  {row['part']}")
    print(f"built: {result['built_rss_mb']} MB; children: {result['children_mb']}")
    print(f"the show running: {result['show']}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
