"""Timestamped events from every stage.

Each event carries monotonic milliseconds since the show started and the wall clock,
so anyone can prove where time went.
"""

from talkshow.telemetry.events import Event, EventSink, JsonlSink, MemorySink, Telemetry
from talkshow.telemetry.resources import ResourceSampler, current_rss_mb
from talkshow.telemetry.schema import EVENT_FIELDS, schema_errors

__all__ = [
    "EVENT_FIELDS",
    "Event",
    "EventSink",
    "JsonlSink",
    "MemorySink",
    "ResourceSampler",
    "Telemetry",
    "current_rss_mb",
    "schema_errors",
]
