"""A fault-injection soak: the live studio runs while its parts are broken on a schedule.

One cycle breaks each part in turn for ``--fault-s`` show seconds, with a rest after:
writer errors and hangs (a local OpenAI-style endpoint), TTS errors and hangs, a real
RTMP server (ffmpeg) that drops and returns, the HLS and record disks filling up
(small tmpfs mounts, root only), a corrupt TV clip, a telemetry sink that raises, a
WebSocket client that never reads, and a CPU hog on one core. Lines are pushed with
``say`` throughout. Accelerated (unpaced) by default, so an hour of show runs in less.

It reports late and repeated frames, the HLS timeline (gaps, broken segments decoded
back), A/V drift in samples, lines accepted vs aired, RSS slope after warm-up, and
each fault's recovery time after its cause ended (in show seconds).

    sudo .venv/bin/python benchmarks/soak.py --minutes 60            # accelerated hour
    sudo .venv/bin/python benchmarks/soak.py --minutes 10 --real     # paced, real time
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import uvicorn
from soak_checks import HlsChecker, RssSampler, lines_report, timeline_report
from soak_faults import (
    ChatEndpoint,
    CorruptClip,
    CpuHog,
    FaultyEspeak,
    FullDisk,
    RaisingSink,
    RtmpServer,
    StuckWebSocket,
    can_mount,
    part_state,
)

from talkshow.config import WriterSettings, show_from_topic
from talkshow.live.settings import LiveSettings
from talkshow.server.app import create_app
from talkshow.station.station import open_station
from talkshow.telemetry.events import Event, MemorySink, Telemetry
from talkshow.voice.service import SpeechService

FPS = 30


@dataclass
class Fault:
    """One kind of fault: how to cause it, end it, and tell that its part works again."""

    name: str
    begin: Callable[[], None]
    end: Callable[[], None]
    recovered: Callable[[float], bool]  # given the wall time the cause ended
    recoveries_s: list[float] = field(default_factory=list)  # wall seconds from the cause ending
    unrecovered: int = 0


class KeptEvents(MemorySink):
    """Keeps only the events the report reads: keeping every frame's event would be the soak's own leak."""

    KINDS = frozenset(
        "segment_published segment_dropped rtmp_connected turn_on_air turn_skipped line_written show_started "
        "show_done stream_started stream_stopped dead_air writer_breaker part_state".split()
    )

    def record(self, event: Event) -> None:
        """Keep ``event`` if the report needs it."""
        if event.kind in self.KINDS:
            super().record(event)


def make_clip(path: Path) -> None:
    """A 2 s test clip for the TV, made with PyAV."""
    import av
    import numpy as np

    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=25)
        stream.width, stream.height, stream.pix_fmt = 320, 180, "yuv420p"
        for index in range(50):
            rgb = np.full((180, 320, 3), 60, np.uint8)
            rgb[:, (index * 6) % 300 : (index * 6) % 300 + 20] = (255, 220, 40)
            for packet in stream.encode(av.VideoFrame.from_ndarray(rgb, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)


def main(argv: list[str] | None = None) -> int:
    """Run the soak and print (and write) its report; exit 1 if a target was missed."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=60, help="show minutes to run")
    parser.add_argument("--real", action="store_true", help="pace at real time (default: accelerated)")
    parser.add_argument("--fault-s", type=float, default=10, help="wall seconds each fault lasts")
    parser.add_argument("--rest-s", type=float, default=10, help="wall seconds after each fault")
    parser.add_argument("--size", default="640x360")
    parser.add_argument("--out", type=Path, default=Path("soak-report.json"))
    args = parser.parse_args(argv)
    width, height = (int(v) for v in args.size.split("x"))
    work = Path(tempfile.mkdtemp(prefix="talkshow-soak-"))
    disks = can_mount()
    hls_disk = FullDisk(work / "hls-disk", 16) if disks else None
    record_disk = FullDisk(work / "record-disk", 512) if disks else None
    chat, rtmp, espeak, sink_fault = ChatEndpoint(), RtmpServer(work), FaultyEspeak(), RaisingSink()
    clip = work / "tv.mp4"
    make_clip(clip)
    rtmp.start()
    config = show_from_topic("why there's a lambo in the room", turns=4, seed=3)
    writer = WriterSettings(
        "openai", {"model": "soak", "base_url": chat.url, "timeout": 5, "deadline_floor_s": 2.0, "breaker_open_s": 5}
    )
    config = replace(
        config,
        writer=writer,
        scene=replace(config.scene, tv=str(clip)),
        video=replace(config.video, width=width, height=height),
    )
    hls_dir = (hls_disk.mount if hls_disk else work) / "hls"
    record = (record_disk.mount if record_disk else work) / "soak.mp4"
    settings = LiveSettings(
        hls_dir=hls_dir,
        record=record,
        rtmp_urls=(rtmp.url,),
        frame_limit=round(args.minutes * 60 * FPS),
        paced=args.real,
        show_gap_s=2.0,
        rtmp_backoff_s=(0.5, 2.0),
    )
    events = KeptEvents()
    telemetry = Telemetry([events, sink_fault])
    speech = SpeechService(config.video.sample_rate, None, telemetry, engines={"espeak": lambda: espeak})
    station = open_station(config, settings, work / "soak.sqlite3", telemetry, speech=speech)
    engine = station.engine
    server = uvicorn.Server(uvicorn.Config(create_app(station, None), host="127.0.0.1", port=0, log_level="error"))
    server_thread = threading.Thread(target=server.run, name="soak-http", daemon=True)
    server_thread.start()
    while not server.started:
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    stuck, hog, corrupt = StuckWebSocket(port), CpuHog(), CorruptClip(clip)

    def parts() -> dict[str, dict[str, Any]]:
        return engine.supervisor.snapshot()

    def works(prefix: str) -> Callable[[float], bool]:
        return lambda _ended: part_state(parts(), prefix) in ("running", "starting")

    def published_since(ended: float) -> bool:
        return any(e.wall >= ended for e in events.of_kind("segment_published")[-3:]) and works("hls:")(ended)

    def rtmp_back(ended: float) -> bool:
        return any(e.wall >= ended for e in events.of_kind("rtmp_connected")[-2:])

    sink_seen = [0]

    def sink_begin() -> None:
        sink_fault.raising = True

    def sink_end() -> None:
        sink_fault.raising = False
        sink_seen[0] = sink_fault.received_after_end

    def mode(target: Any, value: str) -> Callable[[], None]:
        return lambda: setattr(target, "mode", value)

    faults = [
        Fault("writer_error", mode(chat, "error"), mode(chat, "ok"), works("writer")),
        Fault("writer_hang", mode(chat, "hang"), mode(chat, "ok"), works("writer")),
        Fault("tts_error", mode(espeak, "error"), mode(espeak, "ok"), lambda ended: espeak.succeeded_at > ended),
        Fault("tts_hang", mode(espeak, "hang"), mode(espeak, "ok"), lambda ended: espeak.succeeded_at > ended),
        Fault("rtmp_drop", rtmp.stop, rtmp.start, rtmp_back),
        Fault("tv_corrupt", corrupt.begin, corrupt.end, works("tv-decode")),
        Fault("sink_raises", sink_begin, sink_end, lambda _e: sink_fault.received_after_end > sink_seen[0]),
        Fault("ws_stuck", stuck.begin, stuck.end, lambda _e: engine.healthy()),
        Fault("cpu_hog", hog.begin, hog.end, lambda _e: engine.healthy()),
    ]
    if hls_disk is not None and record_disk is not None:
        faults.insert(5, Fault("hls_full", hls_disk.fill, hls_disk.free, published_since))
        faults.insert(6, Fault("record_full", record_disk.fill, record_disk.free, works("mp4:")))
    slot = args.fault_s + args.rest_s
    cycle = slot * len(faults)
    checker = HlsChecker(hls_dir)
    rss = RssSampler()
    said: list[int] = []
    said_refused: list[str] = []

    def sayer() -> None:
        n = 0
        while not engine.pacer.done.is_set():
            time.sleep(3.0 if args.real else 1.5)
            n += 1
            try:
                said.append(engine.say("duke", f"Soak check number {n}. Still here.").index)
            except Exception as exc:
                said_refused.append(f"{type(exc).__name__}: {exc}")

    started = time.monotonic()
    threading.Thread(target=sayer, name="soak-say", daemon=True).start()
    checker.start()
    active: Fault | None = None
    pending: list[tuple[Fault, float, float]] = []  # (fault, ended at: Unix time, monotonic)
    late_in: dict[str, int] = {}
    late_at_begin = 0
    try:
        while not engine.pacer.done.is_set():
            time.sleep(0.05)
            show_s = engine.stats.frames / FPS
            now = time.monotonic()
            rss.sample(show_s)
            # Faults follow the wall clock: retries and backoffs are wall time, whatever the pace.
            at = (now - started) % cycle
            index, offset = int(at // slot), at % slot
            should = faults[index] if offset < args.fault_s else None
            if should is not active:
                if active is not None:
                    active.end()
                    pending.append((active, time.time(), now))
                    late_in[active.name] = late_in.get(active.name, 0) + engine.stats.late - late_at_begin
                if should is not None:
                    late_at_begin = engine.stats.late
                    should.begin()
                active = should
            if active is None or active.name != "rtmp_drop":
                rtmp.keep_listening()
            for item in list(pending):
                fault, ended_wall, ended_at = item
                if fault.recovered(ended_wall):
                    fault.recoveries_s.append(round(now - ended_at, 2))
                    pending.remove(item)
                elif now - ended_at > args.rest_s:
                    fault.unrecovered += 1
                    pending.remove(item)
    finally:
        if active is not None:
            active.end()
        wall_s = time.monotonic() - started
        server.should_exit = True
        server_thread.join(30)
        checker.stop()
        chat.close()
        rtmp.stop()
        hog.end()
        for disk in (hls_disk, record_disk):
            if disk is not None:
                disk.free()
    report = {
        "show_minutes": round(engine.stats.frames / FPS / 60, 2),
        "wall_minutes": round(wall_s / 60, 2),
        "paced": args.real,
        "frames": engine.stats.frames,
        "late_frames": engine.stats.late,
        "repeated_frames": engine.stats.repeated,
        "late_frames_during": late_in,
        "hls": timeline_report(events, checker),
        "av_drift_samples": _drift(events),
        "lines": lines_report(events, said, said_refused),
        "rss": rss.report(warmup_show_s=300),
        "faults": {
            f.name: {
                "times": len(f.recoveries_s) + f.unrecovered,
                "recovery_s": f.recoveries_s,
                "max_recovery_s": max(f.recoveries_s, default=0.0),
                "unrecovered": f.unrecovered,
            }
            for f in faults
        },
        "skipped_faults": [] if disks else ["hls_full", "record_full (needs root to mount a tmpfs)"],
        "exit_code": engine.exit_code,
    }
    for disk in (hls_disk, record_disk):
        if disk is not None:
            disk.close()
    args.out.write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))
    return 0 if _targets_met(report) else 1


def _drift(events: MemorySink) -> int | None:
    stopped = events.of_kind("stream_stopped")
    if not stopped:
        return None
    return int(stopped[-1].fields["samples"]) - int(stopped[-1].fields["frames"]) * 1600


def _targets_met(report: dict[str, Any]) -> bool:
    hls, lines = report["hls"], report["lines"]
    recovered = all(f["unrecovered"] == 0 and f["max_recovery_s"] <= 5 for f in report["faults"].values())
    return (
        hls["timeline_gaps_outside_disk_faults"] == 0
        and hls["broken_segments"] == 0
        and report["av_drift_samples"] == 0
        and lines["lost"] == 0
        and (report["rss"]["slope_mb_per_show_min"] or 0) < 0.5
        and recovered
    )


if __name__ == "__main__":
    sys.exit(main())
