"""How long each test takes, so ``make test``'s workers start the longest files first.

pytest-xdist's ``--dist loadfile`` hands a worker one file at a time, in collection order. Shuffled (pytest-randomly),
a two-minute file drawn last keeps one worker busy while the other idles: on the solo tier's 702 s of work on two
workers, 200 shuffles of the files gave a median of 367 s and a p90 of 405 s, where longest-first gives 352 s
whatever the seed. So the conftest sorts the files by the seconds their selected tests took when measured (a file
can have tests in more than one tier), longest first; the order of the tests inside each file, and of files
measured alike, stays the shuffled one.

``file_seconds.json`` is made from the output of pytest's ``--durations=0`` on every tier::

    python tests/support/file_seconds.py first.log solo.log beside.log > tests/file_seconds.json
"""

from __future__ import annotations

import json
import re
import sys
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import pytest

__all__ = ["Measured", "longest_files_first", "measured"]

SECONDS_FILE = Path(__file__).resolve().parent.parent / "file_seconds.json"
UNMEASURED_TEST_S = 5.0  # a test in a file not measured yet is taken to be slow: the file starts early, not last
_LISTED_FROM_S = 0.05  # quicker tests are left out of the file; they count as nothing

_DURATION = re.compile(r"^([\d.]+)s (?:call|setup|teardown)\s+(\S+)$")


class Measured:
    """Seconds per test (pytest's node id), and the test files that were measured at all."""

    def __init__(self, tests: dict[str, float], files: Iterable[str]) -> None:
        self.tests = tests
        self.files = frozenset(files)

    def seconds(self, item: pytest.Item) -> float:
        """What ``item`` took when measured: nothing if it was too quick to list, more if its file is new."""
        if item.nodeid in self.tests:
            return self.tests[item.nodeid]
        return 0.0 if _file_of(item) in self.files else UNMEASURED_TEST_S


def measured(path: Path = SECONDS_FILE) -> Measured:
    """The measurements in ``path``; none if it is missing (every test then counts ``UNMEASURED_TEST_S``)."""
    if not path.exists():
        return Measured({}, ())
    data = json.loads(path.read_text())
    return Measured(data["tests"], data["files"])


def longest_files_first(items: list[pytest.Item], measured: Measured) -> list[pytest.Item]:
    """``items`` with whole files in order of their selected tests' seconds, longest first (a stable sort)."""
    per_file: defaultdict[str, float] = defaultdict(float)
    for item in items:
        per_file[_file_of(item)] += measured.seconds(item)
    return sorted(items, key=lambda item: -per_file[_file_of(item)])


def _file_of(item: pytest.Item) -> str:
    return item.nodeid.split("::")[0]


def _seconds_from_logs(lines: Iterable[str]) -> dict[str, float]:
    totals: defaultdict[str, float] = defaultdict(float)
    for line in lines:
        if match := _DURATION.match(line):
            totals[match[2]] += float(match[1])
    return {test: round(total, 2) for test, total in sorted(totals.items()) if total >= _LISTED_FROM_S}


def main(logs: list[str]) -> int:
    """Print the seconds per test that the ``--durations=0`` logs ``logs`` report, as JSON."""
    root = Path(__file__).resolve().parents[2]
    tests = _seconds_from_logs(line for log in logs for line in Path(log).read_text().splitlines())
    files = sorted(path.relative_to(root).as_posix() for path in (root / "tests").rglob("test_*.py"))
    print(json.dumps({"files": files, "tests": tests}, indent=0))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
