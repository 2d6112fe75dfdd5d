"""A tutor's reply as typed chunks: something said, a correction (wrong, right, why), a follow-up question.

A server model is asked for them as JSON held to ``CHUNKS_SCHEMA`` (Ollama's ``format``, OpenAI's
``response_format``); ``ChunkStream`` takes the streamed text and gives each chunk the moment its
object is complete, so the first is voiced while the rest are written. Anything that does not
validate raises ``TutorReplyError`` naming what was wrong.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

from talkshow.core.errors import WriterError

__all__ = ["CHUNKS_SCHEMA", "CHUNK_KINDS", "MAX_CHUNKS", "Chunk", "ChunkStream", "TutorReplyError", "parse_chunk"]

CHUNK_KINDS = ("say", "correction", "follow_up")
MAX_CHUNK_CHARS = 300
MAX_CHUNKS = 3  # a lesson's pace: the recast, one correction, the follow-up

CHUNKS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "chunks": {
            "type": "array",
            "minItems": 1,
            "maxItems": MAX_CHUNKS,
            "items": {
                "type": "object",
                "properties": {
                    "type": {"type": "string", "enum": list(CHUNK_KINDS)},
                    "text": {"type": "string"},
                    "wrong": {"type": "string"},
                    "right": {"type": "string"},
                    "why": {"type": "string"},
                },
                "required": ["type", "text"],
            },
        }
    },
    "required": ["chunks"],
}


class TutorReplyError(WriterError):
    """A tutor's reply from a model was not the chunks asked for; says which chunk and what."""


@dataclass(frozen=True)
class Chunk:
    """One piece of a tutor's reply: ``text`` is what is spoken; a correction also has wrong, right and why."""

    kind: str
    text: str
    wrong: str = ""
    right: str = ""
    why: str = ""
    source: str = ""  # "checker" when the correction came from the grammar checker, not the model

    def as_dict(self) -> dict[str, str]:
        """The chunk as plain data (the page and the lesson's API)."""
        return asdict(self)


def parse_chunk(data: object, position: int) -> Chunk:
    """``data`` (one decoded JSON object) as a Chunk; TutorReplyError naming chunk ``position`` otherwise."""
    if not isinstance(data, dict):
        raise TutorReplyError(f"chunk {position} is {type(data).__name__}, not an object")
    kind = data.get("type")
    if kind not in CHUNK_KINDS:
        raise TutorReplyError(f"chunk {position} has type {kind!r}; expected one of {', '.join(CHUNK_KINDS)}")
    fields: dict[str, str] = {}
    for key in ("text", "wrong", "right", "why"):
        value = data.get(key, "")
        if not isinstance(value, str):
            raise TutorReplyError(f"chunk {position}'s {key} is {type(value).__name__}, not text")
        fields[key] = " ".join(value.split())
        if len(fields[key]) > MAX_CHUNK_CHARS:
            raise TutorReplyError(
                f"chunk {position}'s {key} is {len(fields[key])} characters (limit {MAX_CHUNK_CHARS})"
            )
    if not fields["text"]:
        raise TutorReplyError(f"chunk {position} ({kind}) has no text to say")
    if kind == "correction" and not (fields["wrong"] and fields["right"]):
        raise TutorReplyError(f"chunk {position} is a correction without both 'wrong' and 'right'")
    return Chunk(str(kind), **fields)


class ChunkStream:
    """Chunks out of a JSON reply as it streams: ``feed`` text, get the chunks completed by it."""

    def __init__(self) -> None:
        self._text = ""
        self._at = -1  # where the next chunk's object may begin, once the array has opened
        self._count = 0
        self._decoder = json.JSONDecoder()

    def feed(self, delta: str) -> list[Chunk]:
        """The chunks whose objects ``delta`` completed (TutorReplyError if one is not a chunk)."""
        self._text += delta
        out: list[Chunk] = []
        if self._at < 0:
            opened = self._text.find("[")
            if opened < 0:
                return out
            self._at = opened + 1
        while self._count < MAX_CHUNKS:
            start = self._next_object()
            if start < 0:
                break
            try:
                data, end = self._decoder.raw_decode(self._text, start)
            except json.JSONDecodeError:
                break  # not complete yet
            out.append(parse_chunk(data, self._count))
            self._count += 1
            self._at = end
        return out

    def finish(self) -> None:
        """The reply ended: TutorReplyError if it held no chunk or is not the JSON asked for."""
        try:
            data = json.loads(self._text)
        except json.JSONDecodeError as exc:
            raise TutorReplyError(f"the reply is not JSON ({exc.msg} at character {exc.pos})") from exc
        if not isinstance(data, dict) or not isinstance(data.get("chunks"), list):
            raise TutorReplyError("the reply is not an object with a list of 'chunks'")
        if not self._count:
            raise TutorReplyError("the reply has no chunks")

    def _next_object(self) -> int:
        """Where the next chunk object begins after ``_at`` (-1 if it has not come yet)."""
        for index in range(self._at, len(self._text)):
            char = self._text[index]
            if char == "{":
                return index
            if char == "]":
                return -1
            if not (char.isspace() or char == ","):
                raise TutorReplyError(f"the chunk list holds {char!r} where a chunk object should begin")
        return -1
