"""talkshow's CPU with the WHIP output on, with 1 and with 20 viewers on the SFU: the SFU does the fan-out.

Runs a real SFU (Janus with simple-whip-server, as ``tests/broadcast/test_sfu.py`` does; ``make
sfu-deps``), then a 1080p ``talkshow serve`` twice, each from an empty speech cache:
first without WHIP, then with ``--whip`` to the SFU while 1 and 20 aiortc viewers take
turns watching through Janus. The viewers receive every packet (ICE, DTLS, SRTP, jitter
buffer) but skip the H.264 decode, so twenty of them do not crowd talkshow off the two
cores. The server's CPU (its process and its model processes) is read from /proc in
10 s windows; the figures are each phase's median and p90, from one run.

    .venv/bin/python benchmarks/whip_sfu.py --seconds 60
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from support.janus_sfu import JanusSfu, JanusViewer, missing_sfu_parts
from talkshow.bench.serving import Served, stats
from talkshow.channels.admission import tree_cpu_seconds

WINDOW_S = 10.0
TOKEN = "bench-token"


RECEIVED = {"video": 0, "audio": 0}  # encoded frames that reached the viewers' decoders


def _skip_decoding() -> None:
    """Viewers that receive everything but decode nothing (their CPU is not what is measured); counted."""
    import aiortc.rtcrtpreceiver as receiver

    class Discard:
        def __init__(self, kind: str) -> None:
            self.kind = kind

        def decode(self, encoded_frame: Any) -> list[Any]:
            RECEIVED[self.kind] += 1
            return []

    receiver.get_decoder = lambda codec: Discard(codec.mimeType.split("/")[0])  # type: ignore[assignment,attr-defined,return-value]


async def windows(pid: int, seconds: float) -> list[float]:
    """The server's CPU in each ``WINDOW_S`` window over ``seconds``, in % of one core."""
    cores = []
    for _ in range(max(1, round(seconds / WINDOW_S))):
        start_cpu, start = tree_cpu_seconds(pid), time.perf_counter()
        await asyncio.sleep(WINDOW_S)
        cores.append(100 * (tree_cpu_seconds(pid) - start_cpu) / (time.perf_counter() - start))
    return cores


async def with_viewers(sfu: JanusSfu, pid: int, viewers: int, seconds: float) -> tuple[list[float], str]:
    """The server's CPU while ``viewers`` watch through the SFU, and what each received per second."""
    feed = int(sfu.publishers()[0]["id"])
    watching = [JanusViewer(sfu.janus_url, feed) for _ in range(viewers)]
    for viewer in watching:
        await viewer.join()
    await asyncio.sleep(3.0)  # connected, past a keyframe
    before = dict(RECEIVED)
    cores = await windows(pid, seconds)
    each = {kind: (RECEIVED[kind] - before[kind]) / viewers / seconds for kind in RECEIVED}
    receiving = f"each viewer received {each['video']:.1f} video and {each['audio']:.1f} audio frames/s"
    for viewer in watching:
        await viewer.close()
    return cores, receiving


def serve(work: Path, *args: str) -> tuple[str, subprocess.Popen[bytes]]:
    env = {"TALKSHOW_CACHE_DIR": str(work / "cache"), "TALKSHOW_WHIP_TOKEN": TOKEN}
    args = ("--hls-dir", str(work / "hls"), "--db", str(work / "studio.sqlite3"), *args)
    served = Served(list(args), work / "serve.log", env)
    return served.base, served.process


def stop(server: subprocess.Popen[bytes], base: str) -> dict[str, Any]:
    status = httpx.get(base + "/api/status").json()
    server.send_signal(signal.SIGINT)
    server.wait(timeout=30)
    return {"frames": status.get("frames"), "late_frames": status.get("late_frames")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60.0, help="per phase")
    parser.add_argument("--viewers", type=int, default=20)
    args = parser.parse_args()
    missing = missing_sfu_parts()
    if missing:
        raise SystemExit(f"no SFU here: {missing}")
    _skip_decoding()
    with tempfile.TemporaryDirectory() as tmp, JanusSfu(Path(tmp) / "sfu", TOKEN) as sfu:
        base, server = serve(Path(tmp) / "plain")
        try:
            plain = asyncio.run(windows(server.pid, args.seconds))
        finally:
            plain_end = stop(server, base)
        base, server = serve(Path(tmp) / "whip", "--whip", sfu.url)
        try:
            deadline = time.monotonic() + 60
            while not sfu.publishers():
                if time.monotonic() > deadline:
                    raise SystemExit(f"talkshow never published:\n{sfu.logs()}")
                time.sleep(0.5)
            one, one_receiving = asyncio.run(with_viewers(sfu, server.pid, 1, args.seconds))
            many, many_receiving = asyncio.run(with_viewers(sfu, server.pid, args.viewers, args.seconds))
        finally:
            whip_end = stop(server, base)
    print(
        f"server CPU (% of one core) in {WINDOW_S:g} s windows, {args.seconds:g} s a phase, 1080p30, cold speech cache:"
    )
    print(f"  WHIP off:                  {stats(plain)}   {plain_end}")
    print(f"  WHIP on, 1 SFU viewer:     {stats(one)}   {one_receiving}")
    print(f"  WHIP on, {args.viewers} SFU viewers:   {stats(many)}   {many_receiving}   {whip_end}")


if __name__ == "__main__":
    main()
