"""The HTTP API fuzzed from its own OpenAPI schema against a real `talkshow serve` process.

The suite sends 400 generated requests; `benchmarks/fuzz_api.py --requests 2000` is the
full run (docs/reliability.md). The fuzzer lives in benchmarks/ so both share it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from support.budgets import LATE_FRAMES_ALLOWED
from support.paths import BENCHMARKS

sys.path.insert(0, str(BENCHMARKS))

from fuzz_api import run, studio

# It counts the show's late frames while it fuzzes the server: in the solo tier, on a core of its own. In the first
# tier, three workers on two cores, it saw 5 against the budget's 3 (seed 72094800, fresh clone), as the serve and
# cast editor tests had before it. In the solo tier it once saw 7 (seed 438059242) while Hypothesis drew each request
# between sends on the server's core; the requests are now drawn before the window that counts.
pytestmark = [pytest.mark.slow, pytest.mark.solo]

REQUESTS = 400


def test_every_generated_request_gets_a_2xx_or_a_json_4xx_and_the_stream_goes_on(tmp_path: Path) -> None:
    with studio(tmp_path) as base:
        report, stream = run(base, REQUESTS, seed=1)
    assert report.requests == REQUESTS
    assert not report.problems, "\n".join(report.problems[:10])
    assert report.statuses[200] >= 1 and report.statuses[422] >= 1  # the fuzz reached the handlers, not only 404s
    assert stream["healthy"]
    # Frames keep going out while the fuzz runs. The window is two seconds or so, so the rate is
    # coarse (27 of 30); late frames are the sharp check, with 3 allowed for the 2 shared cores.
    assert stream["frames_per_s"] >= 27, stream
    assert stream["late_frames"] <= LATE_FRAMES_ALLOWED, stream
