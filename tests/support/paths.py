"""Where things are in the repository, for tests and benchmarks wherever they sit."""

from __future__ import annotations

from pathlib import Path

__all__ = ["BENCHMARKS", "DOCS", "REPO", "SHOWS", "SRC", "TESTS"]

REPO = Path(__file__).resolve().parents[2]
SRC = REPO / "src"
SHOWS = REPO / "shows"
DOCS = REPO / "docs"
TESTS = REPO / "tests"
BENCHMARKS = REPO / "benchmarks"
