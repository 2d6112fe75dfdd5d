"""Two channels side by side for ten minutes: late frames and CPU of each, from one ``talkshow serve --channels``.

By default a 1080p30 channel on core 0 and a 720p30 channel on core 1, each from an empty
speech cache (every line is voiced during the run). The house's ``/api/channels`` is read
every 10 s; at the end each channel's own ``/api/status`` gives its frames, late frames and
worst lateness. CPU is each channel's process tree (with its model processes), in % of one
core, per 10 s window: median and p90.

    .venv/bin/python benchmarks/channels.py --minutes 10
    .venv/bin/python benchmarks/channels.py --minutes 10 --sizes 1280x720,1280x720
"""

from __future__ import annotations

import argparse
import signal
import tempfile
import time
from pathlib import Path

import httpx

from talkshow.bench.serving import Served, stats

SHOWS = Path(__file__).resolve().parent.parent / "shows"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--sizes", default="1920x1080,1280x720", help="one channel per size, comma-separated")
    args = parser.parse_args()
    sizes = args.sizes.split(",")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        channels = "".join(
            f'[[channel]]\nname = "ch{i}"\nshow = "{SHOWS / "lambo.toml"}"\nsize = "{size}"\n'
            for i, size in enumerate(sizes)
        )
        (work / "channels.toml").write_text(f'[house]\ndata = "air"\n{channels}')
        env = {"TALKSHOW_CACHE_DIR": str(work / "cache")}
        house_args = ["--channels", str(work / "channels.toml")]
        served = Served(house_args, work / "house.log", env, ready_path="/api/channels")
        house, base = served.process, served.base
        cores: dict[str, list[float]] = {}
        try:
            start = time.monotonic()
            while time.monotonic() - start < 180:
                try:
                    states = [c["state"] for c in httpx.get(base + "/api/channels").json()["channels"]]
                except httpx.HTTPError:
                    states = []
                if states and all(s in ("running", "refused") for s in states):
                    break
                time.sleep(1)
            listing = httpx.get(base + "/api/channels").json()["channels"]
            said = [f"{c['name']} {c['size']} on cores {c['cpus']}: {c['state']} {c['reason']}" for c in listing]
            print(f"on air after {time.monotonic() - start:.0f} s: " + "; ".join(said))
            begin = {c["name"]: _status(c["studio"]) for c in listing if c["state"] == "running"}
            end_at = time.monotonic() + args.minutes * 60
            while time.monotonic() < end_at:
                time.sleep(10)
                for channel in httpx.get(base + "/api/channels").json()["channels"]:
                    if channel["state"] == "running":
                        cores.setdefault(channel["name"], []).append(100 * channel["cores"])
            final = {c["name"]: (c, _status(c["studio"])) for c in httpx.get(base + "/api/channels").json()["channels"]}
        finally:
            house.send_signal(signal.SIGINT)
            house.wait(60)
    print(f"{args.minutes:g} minutes, cold speech cache, late = sent over one frame time after its due time:")
    for name, first in begin.items():
        channel, last = final[name]
        print(
            f"  {name} {channel['size']}: {last['frames'] - first['frames']} frames, "
            f"{last['late_frames'] - first['late_frames']} late, max lateness {last['max_lateness_ms']} ms, "
            f"restarts {channel['restarts']}, CPU % of a core {stats(cores.get(name, []))}"
        )


def _status(studio: str) -> dict[str, float]:
    return dict(httpx.get(studio + "api/status", timeout=5).json())


if __name__ == "__main__":
    main()
