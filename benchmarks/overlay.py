"""The OBS overlay at 1080p on these 2 cores: what three open overlay pages cost the show, how soon a line is on
them, and how well mouth and voice agree there; and what the other way (the server encodes the cast as VP9 with
alpha) would cost.

It starts its own `talkshow serve shows/cohost.toml` (1080p30, the show held, as a co-host starts), counts late
frames for a window with no overlay, then opens ``/overlay/duke``, ``/overlay`` and ``/overlay/wendell`` in
headless Chromium, and for ``--lines`` lines said through the API measures on Duke's page (the same probe as the
tests: an AudioWorklet on the page's output, the canvas's pixels around the mouth):

    .venv/bin/python benchmarks/overlay.py --lines 8 [--json overlay.json]
"""

from __future__ import annotations

import argparse
import io
import json
import shutil
import statistics
import tempfile
import time
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import httpx
import numpy as np
from PIL import Image
from playwright.sync_api import sync_playwright

from talkshow.acting.types import Pose
from talkshow.bench.serving import Served
from talkshow.overlay.cast import OverlayCast
from talkshow.show_file import read_show
from talkshow.testing.overlay_probe import PROBE_JS, read_line

SHOW = Path(__file__).resolve().parents[1] / "shows" / "cohost.toml"
FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--autoplay-policy=no-user-gesture-required"]
LINES = [
    "Chat, that boss fight was a disgrace, and I say that with love.",
    "Nobody has ever dodged that badly, and I have seen a lot of dodging.",
    "Remember this moment, because I will remind you of it every day.",
    "Brilliant. Truly. Do it again, but this time with your eyes open.",
]


def _late(base: str) -> int:
    return int(httpx.get(base + "/api/status", timeout=10).json()["late_frames"])


def _trace(path: Path, kind: str) -> list[dict[str, Any]]:
    events = [json.loads(line) for line in path.read_text().splitlines()]
    return [e for e in events if e["kind"] == kind]


def _stats(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {"median": statistics.median(ordered), "p90": ordered[int(0.9 * (len(ordered) - 1))], "n": len(ordered)}


def measure_pages(lines: int, baseline_s: float) -> dict[str, Any]:
    """Late frames without and with three pages, and each said line as Duke's page showed it."""
    folder = Path(tempfile.mkdtemp(prefix="overlay-bench-"))
    trace = folder / "trace.jsonl"
    args = [str(SHOW), "--hls-dir", str(folder / "hls"), "--db", str(folder / "s.sqlite3"), "--trace", str(trace)]
    with Served(args, folder / "serve.log", ready_path="/api/status") as served:
        base = served.base
        time.sleep(3)  # the prefill and the first segment: not the overlay's
        start = _late(base)
        time.sleep(baseline_s)
        without = _late(base) - start
        duke = httpx.get(base + "/api/overlay", params={"character": "duke"}, timeout=60).json()["characters"]["duke"]
        chromium = shutil.which("chromium") or shutil.which("chromium-browser")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=FLAGS)
            opened = _late(base)
            pages = [browser.new_page() for _ in range(3)]
            for page, path in zip(pages, ("/overlay/duke", "/overlay", "/overlay/wendell?captions=1"), strict=True):
                page.goto(base + path)
            for page in pages:
                page.wait_for_function("window.talkshowOverlay && window.talkshowOverlay.state.drawn > 0")
            pages[0].evaluate(PROBE_JS, {"mouth": duke["mouth"], "origin": duke["box"][:2]})
            time.sleep(1.0)
            steady = _late(base)
            opening = steady - opened
            measured = []
            for n in range(lines):
                said = httpx.post(base + "/api/say", data={"character": "duke", "text": LINES[n % len(LINES)]})
                said.raise_for_status()
                time.sleep(6.0)
                probe = pages[0].evaluate("window.probe")
                aired = [e for e in _trace(trace, "turn_aired") if e["source"] == "say"][-1]
                line = read_line(probe, aired["frame"])
                measured.append((line, aired["wall"]))
                pages[0].evaluate("window.probe.samples = window.probe.samples.slice(-30)")
            with_three = _late(base) - steady
            seconds = lines * 6.0
            browser.close()
    gaps = [abs(line.mouth_minus_sound_s) * 1000 for line, _ in measured if line.mouth_minus_sound_s is not None]
    shown = [(line.shown_wall - wall) * 1000 for line, wall in measured if line.shown_wall is not None]
    return {
        "late_without_overlay": {"frames": without, "seconds": baseline_s},
        "late_while_opening_three": opening,
        "late_with_three_open": {"frames": with_three, "seconds": seconds},
        "mouth_to_sound_ms": _stats(gaps) if gaps else None,
        "on_screen_after_air_ms": _stats(shown) if shown else None,
        "lines_measured": len(measured),
    }


def measure_vp9_alpha(frames: int) -> dict[str, float]:
    """The alternative: the cast drawn on the server and encoded as VP9 with alpha (one page's stream)."""
    config, _ = read_show(SHOW)
    cast = OverlayCast(config)
    sprites = [_decoded(cast.png(n)) for n in range(cast.sprite_count)]
    encoder = av.CodecContext.create("libvpx-vp9", "w")
    encoder.width, encoder.height, encoder.pix_fmt = cast.width, cast.height, "yuva420p"
    encoder.time_base = Fraction(1, 30)
    encoder.framerate = Fraction(30, 1)
    encoder.options = {"deadline": "realtime", "cpu-used": "8", "lag-in-frames": "0", "row-mt": "1"}
    draw_s, encode_s = 0.0, 0.0
    for index in range(frames):
        started = time.perf_counter()
        poses = {cid: Pose(mouth="DX"[index // 3 % 2]) for cid in cast.characters}
        canvas = np.zeros((cast.height, cast.width, 4), np.uint8)
        for placed in cast.placements(index / 30, poses).values():
            for number, x, y in placed:
                _over(canvas, sprites[number], x, y)
        frame = av.VideoFrame.from_ndarray(canvas, format="rgba").reformat(format="yuva420p")
        frame.pts = index
        drawn = time.perf_counter()
        encoder.encode(frame)
        draw_s += drawn - started
        encode_s += time.perf_counter() - drawn
    per_frame = 1000 / frames
    return {"frames": frames, "draw_ms_per_frame": draw_s * per_frame, "encode_ms_per_frame": encode_s * per_frame}


SCENE = """<!doctype html><body style="margin:0;width:1920px;height:1080px;overflow:hidden;
background:linear-gradient(160deg,#1b2a4a,#3b5d3a 55%,#6b4a2a);font:700 40px system-ui;color:#fff">
<div style="position:absolute;left:60px;top:50px;text-shadow:0 2px 6px #000">A streamer's game (stand-in)</div>
<div style="position:absolute;left:60px;bottom:60px;width:520px;height:28px;border:3px solid #fff;border-radius:6px">
<div style="width:12%;height:100%;background:#d33"></div></div>
<iframe src="OVERLAY" style="position:absolute;inset:0;width:1920px;height:1080px;border:0;background:transparent">
</iframe></body>"""


def screenshot(path: Path) -> None:
    """The overlay as a browser source sees it: ``/overlay?captions=1`` over a stand-in game, at 1920x1080."""
    folder = Path(tempfile.mkdtemp(prefix="overlay-shot-"))
    args = [str(SHOW), "--hls-dir", str(folder / "hls"), "--db", str(folder / "s.sqlite3")]
    with Served(args, folder / "serve.log", ready_path="/api/status") as served, sync_playwright() as playwright:
        chromium = shutil.which("chromium") or shutil.which("chromium-browser")
        browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=FLAGS)
        page = browser.new_page(viewport={"width": 1920, "height": 1080})
        page.set_content(SCENE.replace("OVERLAY", served.base + "/overlay?captions=1&size=44"))
        time.sleep(3)
        httpx.post(served.base + "/api/say", data={"character": "duke", "text": LINES[0]}).raise_for_status()
        time.sleep(1.6)
        page.screenshot(path=str(path))
        browser.close()


def _decoded(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))


def _over(canvas: np.ndarray, sprite: np.ndarray, x: int, y: int) -> None:
    h = min(sprite.shape[0], canvas.shape[0] - y)
    w = min(sprite.shape[1], canvas.shape[1] - x)
    if h <= 0 or w <= 0:
        return
    region = canvas[y : y + h, x : x + w].astype(np.float32)
    src = sprite[:h, :w].astype(np.float32)
    alpha = src[..., 3:4] / 255
    region[..., :3] = src[..., :3] * alpha + region[..., :3] * (1 - alpha)
    region[..., 3:4] = src[..., 3:4] + region[..., 3:4] * (1 - alpha)
    canvas[y : y + h, x : x + w] = region.astype(np.uint8)


def main() -> None:
    """Run both and print a table (and JSON with ``--json``)."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=8)
    parser.add_argument("--baseline-s", type=float, default=20.0)
    parser.add_argument("--vp9-frames", type=int, default=90)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--screenshot", type=Path, help="only take the docs' screenshot, to this PNG")
    args = parser.parse_args()
    if args.screenshot:
        screenshot(args.screenshot)
        return
    results = {"pages": measure_pages(args.lines, args.baseline_s), "vp9_alpha": measure_vp9_alpha(args.vp9_frames)}
    print(json.dumps(results, indent=2))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
