"""How far behind the show clock a WebRTC viewer in Chromium plays (target: 0.5 s).

A 1080p `talkshow serve` runs in its own process; headless Chromium opens /talk and
presses "Just watch". Every half second the page's `getStats()` gives, for the video it
is playing, `estimatedPlayoutTimestamp`: the sender's NTP time of the media on screen
now. The server stamps its RTCP sender reports with its wall clock as it sends each
frame, which is when the pacer hands the frame to the encoder plus the encode, so on one
machine `now - estimatedPlayoutTimestamp` is how far the picture on screen is behind
the show clock (give or take the encode: ~5-15 ms at 1080p).

    .venv/bin/python benchmarks/webrtc_view_latency.py --seconds 30
"""

from __future__ import annotations

import argparse
import shutil
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

from talkshow.bench.serving import Served

NTP_TO_UNIX_MS = 2_208_988_800_000

STATS = """async () => {
    const report = await window.talkshowTalk.pc.getStats();
    let out = null;
    report.forEach((s) => {
        if (s.type === "inbound-rtp" && s.kind === "video") {
            out = {
                playout: s.estimatedPlayoutTimestamp || null,
                now: Date.now(),
                decoded: s.framesDecoded || 0,
                jitterMs: s.jitterBufferEmittedCount ? 1000 * s.jitterBufferDelay / s.jitterBufferEmittedCount : null,
            };
        }
    });
    return out;
}"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=30.0)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        sys.exit("needs Chromium (Debian: apt install chromium)")
    with tempfile.TemporaryDirectory() as tmp:
        served = Served(["--hls-dir", f"{tmp}/hls", "--db", f"{tmp}/s.sqlite3"], Path(tmp) / "serve.log")
        server, base = served.process, served.base
        behind: list[float] = []
        jitter: list[float] = []
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=chromium,
                    headless=True,
                    args=["--no-sandbox", "--autoplay-policy=no-user-gesture-required"],
                )
                page = browser.new_page()
                page.goto(base + "/talk")
                page.click("#watch")
                page.wait_for_function("document.getElementById('state').textContent === 'watching live'")
                time.sleep(3.0)
                end = time.monotonic() + args.seconds
                while time.monotonic() < end:
                    sample = page.evaluate(STATS)
                    if sample and sample["playout"]:
                        behind.append(sample["now"] - (sample["playout"] - NTP_TO_UNIX_MS))
                        if sample["jitterMs"] is not None:
                            jitter.append(sample["jitterMs"])
                    time.sleep(0.5)
                browser.close()
        finally:
            server.send_signal(signal.SIGINT)
            server.wait(timeout=30)
    if not behind:
        sys.exit("Chromium reported no estimatedPlayoutTimestamp")
    ordered = sorted(behind)
    p90 = ordered[round(0.9 * (len(ordered) - 1))]
    print(f"picture on screen behind the show clock: median {statistics.median(behind):.0f} ms, p90 {p90:.0f} ms")
    print(f"({len(behind)} samples; Chromium's video jitter buffer: median {statistics.median(jitter or [0]):.0f} ms)")


if __name__ == "__main__":
    main()
