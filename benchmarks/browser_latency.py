"""Frame-to-screen latency in headless Chromium (hls.js) against a running `talkshow serve`.

The page (Low-Latency HLS, ``/hls/ll.m3u8``, hls.js in ``lowLatencyMode``) computes
``Date.now() - hls.playingDate``: the wall time now minus the EXT-X-PROGRAM-DATE-TIME of
the frame on screen, i.e. how long ago that frame was due on air. Start the studio first, then:

    .venv/bin/python benchmarks/browser_latency.py http://127.0.0.1:8000 --seconds 30
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import time

from playwright.sync_api import sync_playwright

FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--autoplay-policy=no-user-gesture-required"]  # fmt: skip


def main() -> None:
    """Sample the page's latency every 0.5 s and print median and max."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("url", nargs="?", default="http://127.0.0.1:8000")
    parser.add_argument("--seconds", type=float, default=30)
    args = parser.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=FLAGS)
        page = browser.new_page()
        page.goto(args.url)
        page.wait_for_function("window.talkshow.latencyMs !== null", timeout=60_000)
        samples = []
        end = time.monotonic() + args.seconds
        while time.monotonic() < end:
            samples.append(page.evaluate("window.talkshow.latencyMs"))
            time.sleep(0.5)
        stalls = page.evaluate("window.talkshow.core.errors")
        browser.close()
    p90 = sorted(samples)[int(0.9 * (len(samples) - 1))]
    median = statistics.median(samples)
    print(f"{len(samples)} samples: latency median {median:.0f} ms, p90 {p90:.0f} ms, max {max(samples):.0f} ms")
    print(f"hls.js errors: {stalls or 'none'}")


if __name__ == "__main__":
    main()
