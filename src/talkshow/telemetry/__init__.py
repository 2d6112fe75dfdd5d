"""Timestamped events from every stage.

Each event carries monotonic milliseconds since the show started and the wall clock,
so anyone can prove where time went.

This package file loads nothing: import what you need from its modules.
"""
