"""Helpers the tests and benchmarks share: local servers speaking vendors' protocols, test speech, files."""
