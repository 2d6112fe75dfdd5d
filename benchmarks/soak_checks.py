"""What the soak measures: HLS segments decoded back, the timeline, lines, memory."""

from __future__ import annotations

import itertools
import os
import threading
import time
from pathlib import Path
from typing import Any

import av

from talkshow.telemetry.events import MemorySink

LATE_WINDOW_S = 60.0  # lines accepted this close to the end may still wait in the queue: not counted lost


class HlsChecker:
    """Decodes every segment the playlist lists, while it still exists, on its own thread."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.checked: dict[str, int] = {}  # uri -> video frames decoded
        self.broken: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="soak-hls-check", daemon=True)

    def start(self) -> None:
        """Begin checking."""
        self._thread.start()

    def stop(self) -> None:
        """Check what is left, then stop."""
        self._stop.set()
        self._thread.join(30)

    def _run(self) -> None:
        while True:
            self._check_listed()
            if self._stop.wait(0.2):
                self._check_listed()
                return

    def _check_listed(self) -> None:
        try:
            playlist = (self.directory / "live.m3u8").read_text()
        except OSError:
            return
        for uri in [line for line in playlist.splitlines() if line and not line.startswith("#")]:
            if uri in self.checked:
                continue
            try:
                with av.open(str(self.directory / uri)) as container:
                    frames = sum(1 for _ in container.decode(video=0))
            except FileNotFoundError:
                continue  # deleted before we got to it: not checked, not broken
            except (av.error.FFmpegError, OSError) as exc:
                self.broken.append(f"{uri}: {exc}")
                frames = 0
            else:
                if frames == 0:
                    self.broken.append(f"{uri}: no video frames")
            self.checked[uri] = frames


def timeline_report(events: MemorySink, checker: HlsChecker) -> dict[str, Any]:
    """Gaps in the published timeline (frame numbers), and which a full disk explains."""
    published = sorted(events.of_kind("segment_published"), key=lambda e: e.fields["sequence"])
    dropped_frames = sorted(int(e.fields["first_frame"]) for e in events.of_kind("segment_dropped"))
    gaps, explained = 0, 0
    for before, after in itertools.pairwise(published):
        expected = int(before.fields["first_frame"]) + int(before.fields["frames"])
        if int(after.fields["first_frame"]) != expected:
            if any(expected <= f < int(after.fields["first_frame"]) for f in dropped_frames):
                explained += 1
            else:
                gaps += 1
    return {
        "segments_published": len(published),
        "segments_dropped_by_full_disk": len(dropped_frames),
        "timeline_gaps_outside_disk_faults": gaps,
        "timeline_gaps_from_full_disk": explained,
        "segments_decoded": len(checker.checked),
        "broken_segments": len(checker.broken),
        "broken_examples": checker.broken[:5],
    }


def lines_report(events: MemorySink, said: list[int], refused: list[str]) -> dict[str, Any]:
    """Every accepted line aired, or was reported skipped with why; the rest are lost."""
    end = max((e.wall for e in events.of_kind("stream_stopped")), default=time.time())
    aired = {(e.fields.get("show"), e.fields["turn"]) for e in events.of_kind("turn_on_air")}
    skipped = {(e.fields.get("show"), e.fields["turn"]): e.fields["error"] for e in events.of_kind("turn_skipped")}
    written = [(e.fields.get("show"), e.fields["turn"], e.wall) for e in events.of_kind("line_written")]
    aired_turns = {turn for _, turn in aired}
    skipped_turns = {turn for _, turn in skipped}
    ended_shows = {e.fields["show"] for e in events.of_kind("show_done")}
    lost_written = [
        (show, turn)
        for show, turn, wall in written
        if (show, turn) not in aired and (show, turn) not in skipped and show in ended_shows and wall < end - 1
    ]
    lost_said = [
        turn for turn in said if turn not in aired_turns and turn not in skipped_turns and _accepted_early(events, end)
    ]
    reasons: dict[str, int] = {}
    for error in skipped.values():
        key = str(error).split(":")[0][:60]
        reasons[key] = reasons.get(key, 0) + 1
    return {
        "written": len(written),
        "said_accepted": len(said),
        "said_refused": len(refused),
        "said_refused_examples": refused[:3],
        "aired": len(aired),
        "skipped_with_reason": len(skipped),
        "skip_reasons": reasons,
        "lost": len(lost_written) + len(lost_said),
        "lost_examples": [
            _story(events, show, turn) for show, turn in (lost_written + [(None, t) for t in lost_said])[:5]
        ],
    }


def _story(events: MemorySink, show: Any, turn: Any) -> list[str]:
    """What happened to one line, event by event (for a lost line's report)."""
    return [
        f"{e.kind} {e.fields.get('outcome', e.fields.get('error', ''))}"[:120]
        for e in events.events
        if (e.fields.get("show") == show and e.fields.get("turn") in (turn, None))
        or (show is None and e.fields.get("turn") == turn)
    ]


def _accepted_early(events: MemorySink, end: float) -> bool:
    return bool(events.of_kind("stream_started")) and end - LATE_WINDOW_S > events.of_kind("stream_started")[0].wall


class RssSampler:
    """Resident memory every 2 s of wall time, against show time."""

    def __init__(self) -> None:
        self.samples: list[tuple[float, float, float]] = []  # (show s, wall s, MB)
        self._started = time.monotonic()
        self._page_mb = os.sysconf("SC_PAGE_SIZE") / 2**20

    def sample(self, show_s: float) -> None:
        """Take a sample if 2 s have passed since the last."""
        wall = time.monotonic() - self._started
        if self.samples and wall - self.samples[-1][1] < 2.0:
            return
        with open("/proc/self/statm") as statm:
            rss_mb = int(statm.read().split()[1]) * self._page_mb
        self.samples.append((show_s, wall, rss_mb))

    def report(self, warmup_show_s: float) -> dict[str, Any]:
        """Least-squares slope after warm-up, per show minute and per wall minute."""
        kept = [s for s in self.samples if s[0] >= warmup_show_s]
        return {
            "samples": len(kept),
            "first_mb": round(kept[0][2], 1) if kept else None,
            "last_mb": round(kept[-1][2], 1) if kept else None,
            "peak_mb": round(max((s[2] for s in self.samples), default=0.0), 1),
            "slope_mb_per_show_min": _slope([(s[0] / 60, s[2]) for s in kept]),
            "slope_mb_per_wall_min": _slope([(s[1] / 60, s[2]) for s in kept]),
        }


def _slope(points: list[tuple[float, float]]) -> float | None:
    if len(points) < 3:
        return None
    n = len(points)
    mean_x = sum(p[0] for p in points) / n
    mean_y = sum(p[1] for p in points) / n
    spread = sum((p[0] - mean_x) ** 2 for p in points)
    if spread == 0:
        return None
    return round(sum((p[0] - mean_x) * (p[1] - mean_y) for p in points) / spread, 4)
