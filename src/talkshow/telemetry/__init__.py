"""Timestamped events from every stage.

Each event carries monotonic milliseconds since the show started and the wall clock,
so anyone can prove where time went.
"""

from talkshow.telemetry.events import Event, EventSink, JsonlSink, MemorySink, Telemetry

__all__ = ["Event", "EventSink", "JsonlSink", "MemorySink", "Telemetry"]
