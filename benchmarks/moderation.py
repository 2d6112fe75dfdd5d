"""Stage-1 moderation's cost per line, from a cold start: the classifier's load, then every labelled line.

    .venv/bin/python benchmarks/moderation.py [--rounds 20]

Lines are tests/support/moderation_set.py's 56 (half hostile). Each round judges every line as a
chat message (the path with the most checks: prompt injection, word lists, classifier).
Prints the load time, per-line median / p90 / max in ms, and precision and recall.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from support.moderation_set import LABELLED
from talkshow.moderation.build import build_gate
from talkshow.moderation.settings import ModerationSettings
from talkshow.telemetry.events import Telemetry


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    started = time.perf_counter()
    gate = build_gate(ModerationSettings(), Telemetry())
    load_ms = (time.perf_counter() - started) * 1000
    times: list[float] = []
    held = {}
    for _ in range(args.rounds):
        for text, _hostile in LABELLED:
            began = time.perf_counter()
            verdict = gate.review(text, "chat")
            times.append((time.perf_counter() - began) * 1000)
            held[text] = verdict.held
    caught = sum(1 for t, h in LABELLED if h and held[t])
    alarms = sum(1 for t, h in LABELLED if not h and held[t])
    hostile = sum(1 for _, h in LABELLED if h)
    times.sort()
    print(f"load: {load_ms:.0f} ms (classifier files read, no scikit-learn)")
    print(f"per line over {len(times)} judgements: median {statistics.median(times):.3f} ms, "
          f"p90 {times[int(len(times) * 0.9)]:.3f} ms, max {times[-1]:.3f} ms")  # fmt: skip
    print(f"precision {caught / (caught + alarms):.3f} ({caught}/{caught + alarms}), recall {caught / hostile:.3f}")


if __name__ == "__main__":
    main()
