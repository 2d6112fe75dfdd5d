"""WebRTC viewers: what each extra peer costs the server, side by side in one run.

A 1080p `talkshow serve` runs in its own process; this process adds aiortc viewers
(WHEP-style `POST /api/rtc/watch`) and reads the server's CPU time from /proc while 0,
then N viewers watch. Each viewer gets the encoder's own H.264 packets and the shared
Opus stream, so the cost per viewer is packetising and encryption (SRTP), not encoding.

    .venv/bin/python benchmarks/webrtc_viewers.py --viewers 4 --seconds 20
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from aiortc import RTCPeerConnection, RTCSessionDescription

from talkshow.bench.serving import Served

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of ``pid`` so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


async def viewer(base: str, frames: list[int], tasks: list[asyncio.Future[None]]) -> RTCPeerConnection:
    """One watch-only peer; counts the video frames it decodes in ``frames``."""
    pc = RTCPeerConnection()
    pc.addTransceiver("video", direction="recvonly")
    pc.addTransceiver("audio", direction="recvonly")
    index = len(frames)
    frames.append(0)

    @pc.on("track")
    def on_track(track: Any) -> None:
        async def read() -> None:
            while True:
                await track.recv()
                if track.kind == "video":
                    frames[index] += 1

        tasks.append(asyncio.ensure_future(read()))

    await pc.setLocalDescription(await pc.createOffer())
    async with httpx.AsyncClient() as http:
        reply = await http.post(
            base + "/api/rtc/watch", content=pc.localDescription.sdp, headers={"Content-Type": "application/sdp"}
        )
    reply.raise_for_status()
    await pc.setRemoteDescription(RTCSessionDescription(reply.text, "answer"))
    return pc


async def measure(base: str, pid: int, viewers: int, seconds: float) -> dict[str, float]:
    frames: list[int] = []
    tasks: list[asyncio.Future[None]] = []
    peers = [await viewer(base, frames, tasks) for _ in range(viewers)]
    await asyncio.sleep(3.0)  # connected, past the first keyframe
    start_cpu, start = cpu_seconds(pid), time.perf_counter()
    start_frames = list(frames)
    await asyncio.sleep(seconds)
    cores = (cpu_seconds(pid) - start_cpu) / (time.perf_counter() - start)
    fps = [(b - a) / seconds for a, b in zip(start_frames, frames, strict=True)]
    for pc in peers:
        await pc.close()
    for task in tasks:
        task.cancel()
    await asyncio.sleep(2.0)
    return {"cores": cores, "viewer_fps": statistics.median(fps) if fps else 0.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--viewers", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--rounds", type=int, default=2, help="alternate 0 and N viewers this many times")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        served = Served(["--hls-dir", f"{tmp}/hls", "--db", f"{tmp}/studio.sqlite3"], Path(tmp) / "serve.log")
        server, base = served.process, served.base
        try:
            rows: dict[int, list[dict[str, float]]] = {0: [], args.viewers: []}
            for _ in range(args.rounds):
                for count in (0, args.viewers):
                    rows[count].append(asyncio.run(measure(base, server.pid, count, args.seconds)))
        finally:
            server.send_signal(signal.SIGINT)
            server.wait(timeout=30)
    idle = statistics.median(r["cores"] for r in rows[0])
    busy = statistics.median(r["cores"] for r in rows[args.viewers])
    print(f"server CPU with 0 viewers: {idle:.3f} cores (median of {args.rounds} runs of {args.seconds:g} s)")
    print(f"server CPU with {args.viewers} viewers: {busy:.3f} cores")
    print(f"per extra viewer: {(busy - idle) / args.viewers:.4f} cores")
    print(
        f"frames per second each viewer decoded: {statistics.median(r['viewer_fps'] for r in rows[args.viewers]):.1f}"
    )


if __name__ == "__main__":
    main()
