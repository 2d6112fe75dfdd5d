"""Benchmarks: the standard scenarios at 1080p30, with the seed's compositor as a baseline.

Entry points: ``talkshow.bench.runner.run_bench`` and ``python -m talkshow.bench.measure``.
"""
