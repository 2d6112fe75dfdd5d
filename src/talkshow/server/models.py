"""Request and response bodies of the studio API (they are its OpenAPI schema)."""

from __future__ import annotations

import unicodedata

from pydantic import BaseModel, Field

__all__ = ["PLAIN_NOT_BLANK", "PLAIN_TEXT", "CastChoice", "ControlState", "QueueOrder", "ShowRequest", "text_problem"]

MAX_TOPIC_CHARS = 200
# text_problem's rule (lone surrogates aside: JSON cannot carry them) as a character class, for the schema
_NOT_TEXT = "\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f"
PLAIN_NOT_BLANK = f"^[^{_NOT_TEXT}]*[^\\s{_NOT_TEXT}][^{_NOT_TEXT}]*$"
PLAIN_TEXT = f"^[^{_NOT_TEXT}]*$"  # text_problem's rule as a pattern: no control characters, no lone surrogates


def text_problem(field: str, text: str) -> str | None:
    """Why ``text`` cannot go on air or into the database, or None.

    Control characters (NUL, the ANSI escape that rewrites a terminal) and lone
    surrogates (not encodable as UTF-8) are refused by name; tabs and newlines are
    ordinary whitespace and were already folded.
    """
    for position, char in enumerate(text):
        category = unicodedata.category(char)
        if category == "Cs":
            return f"{field}: character {position + 1} is a lone surrogate (U+{ord(char):04X}), not text"
        if category == "Cc" and char not in "\t\n\r":
            return f"{field}: character {position + 1} is the control character U+{ord(char):04X}; remove it"
    return None


class CastChoice(BaseModel):
    """A character on stage, and the voice it speaks with in this show."""

    id: str = Field(description="a character id from GET /api/characters")
    voice: str | None = Field(default=None, description="a voice name from GET /api/voices; omit for its own")


class ShowRequest(BaseModel):
    """A show to queue: its topic, and optionally its cast, writer and length."""

    # The route checks these itself, with messages that say what was wrong; the schema says them too.
    topic: str = Field(
        description=f"what the show is about (1-{MAX_TOPIC_CHARS} characters, not blank, no control characters)",
        json_schema_extra={"minLength": 1, "maxLength": MAX_TOPIC_CHARS, "pattern": PLAIN_NOT_BLANK},
    )
    cast: list[CastChoice] = Field(default_factory=list, description="two or more characters; empty: everyone")
    writer: str = Field(default="", description="'improv', 'llm' (when configured) or '' for the configured one")
    turns: int | None = Field(default=None, description="lines in the show (default: the configured number)")


class QueueOrder(BaseModel):
    """The queue's new order: every queued show id, once."""

    ids: list[int]


class ControlState(BaseModel):
    """Whether shows are running, and which one is on air."""

    holding: bool = Field(description="true after stop: no new show starts until start")
    show: int | None = Field(description="the show being prepared or on air")
