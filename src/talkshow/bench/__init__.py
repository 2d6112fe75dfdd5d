"""Benchmarks: the standard scenarios at 1080p30, with the seed's compositor as a baseline."""

from talkshow.bench.runner import run_bench

__all__ = ["run_bench"]
